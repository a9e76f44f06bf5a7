/* jansson's allocator, counting the allocations it could not make.
 *
 * jansson carries on past some failures without saying so: json_pack()
 * leaves out an optional member ("s*") whose string it could not copy,
 * and json_object_set_new() is not checked at every call.  Either way a
 * record built while memory ran out can lack a member and still look
 * whole: an answer, an audit entry's detail or an alert's.  So every
 * failed allocation is counted, and the store commits no transaction
 * during which the count moved (store_commit()): a request is answered
 * 503 and can be sent again, a scheduler pass runs again.  (Found by
 * tests/faults/alloc_faults.sh.) */
#include <stdlib.h>

#include <jansson.h>

#include "json_alloc.h"

static unsigned long	json_alloc_failed;

static void *
json_alloc_malloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL)
		json_alloc_failed++;
	return p;
}

static void
json_alloc_free(void *p)
{
	free(p);
}

/* Before the daemon makes any JSON value. */
void
json_alloc_init(void)
{
	json_set_alloc_funcs(json_alloc_malloc, json_alloc_free);
}

/* How many of jansson's allocations have failed so far: compare two
 * readings to learn whether any failed in between. */
unsigned long
json_alloc_failures(void)
{
	return json_alloc_failed;
}
