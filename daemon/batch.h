/* A batch: a growable array of fixed-size items, filled by the store's
 * row callbacks so that nothing is written while a query is still
 * stepping over the table it would change.  Used by the scheduler's
 * passes and by the requests that call the same services. */
#ifndef IDTSD_BATCH_H
#define IDTSD_BATCH_H

#include <stddef.h>

struct batch {
	void	*items;
	size_t	 size, n, cap;
	int	 failed;	/* an item did not fit in memory */
};

#define BATCH_OF(type)	{ NULL, sizeof(type), 0, 0, 0 }

void	batch_init(struct batch *, size_t size);
void	batch_add(struct batch *, const void *item);
void	*batch_item(const struct batch *, size_t i);
void	batch_free(struct batch *);

#endif
