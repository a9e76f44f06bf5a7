/* JSON as text, whole or not at all.  jansson 2.14's json_dumps() ignores
 * a failure to write an object's key and goes on, so when memory runs out
 * at the wrong moment it returns text with a key missing, which is not
 * JSON: an answer sent so, an idempotency record or an audit entry stored
 * so (found by tests/faults/alloc_faults.sh).  json_out_text() writes
 * through its own buffer and says NULL if any part could not be written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

struct json_out_buf {
	char	*text;
	size_t	 len, cap;
	int	 failed;
};

/* json_dump_callback()'s writer: append, or remember that it could not. */
static int
json_out_append(const char *p, size_t n, void *arg)
{
	struct json_out_buf	*b = arg;
	char			*grown;
	size_t			 cap;

	if (b->failed)
		return -1;
	if (n >= SIZE_MAX / 2 - b->len) {
		b->failed = 1;
		return -1;
	}
	if (b->len + n + 1 > b->cap) {
		for (cap = b->cap ? b->cap : 256; cap < b->len + n + 1; cap *= 2)
			;
		if ((grown = realloc(b->text, cap)) == NULL) {
			b->failed = 1;
			return -1;
		}
		b->text = grown;
		b->cap = cap;
	}
	memcpy(b->text + b->len, p, n);
	b->len += n;
	b->text[b->len] = '\0';
	return 0;
}

/* What json_dumps() would return, or NULL if memory ran out on the way;
 * the caller frees it. */
char *
json_out_text(const json_t *j, size_t flags)
{
	struct json_out_buf	b = { NULL, 0, 0, 0 };

	if (json_dump_callback(j, json_out_append, &b, flags) != 0 ||
	    b.failed || b.text == NULL) {
		free(b.text);
		return NULL;
	}
	return b.text;
}
