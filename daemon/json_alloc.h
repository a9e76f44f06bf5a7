/* jansson's allocator, counting the allocations it could not make. */
#ifndef IDTSD_JSON_ALLOC_H
#define IDTSD_JSON_ALLOC_H

void		json_alloc_init(void);
unsigned long	json_alloc_failures(void);

#endif
