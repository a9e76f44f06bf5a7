/* A growable array of fixed-size items.  An item that does not fit in
 * memory is not added and the batch says so (failed): the scheduler's
 * next pass finds it again, and a request, which has no next pass, checks
 * failed and refuses. */
#include <stdlib.h>
#include <string.h>

#include "batch.h"

/* An empty batch of items of size bytes. */
void
batch_init(struct batch *b, size_t size)
{
	b->items = NULL;
	b->size = size;
	b->n = b->cap = 0;
	b->failed = 0;
}

/* Copy an item (of the batch's size) onto the end. */
void
batch_add(struct batch *b, const void *item)
{
	void	*grown;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		if ((grown = realloc(b->items, b->cap * b->size)) == NULL) {
			b->cap = b->n;
			b->failed = 1;
			return;
		}
		b->items = grown;
	}
	memcpy((char *)b->items + b->n++ * b->size, item, b->size);
}

/* The ith item. */
void *
batch_item(const struct batch *b, size_t i)
{
	return (char *)b->items + i * b->size;
}

/* Free the items and empty the batch, which can be filled again. */
void
batch_free(struct batch *b)
{
	free(b->items);
	batch_init(b, b->size);
}
