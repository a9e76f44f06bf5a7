/* The demo ward `make run` starts with. */
#ifndef IDTSD_DEMO_H
#define IDTSD_DEMO_H

#include <stdint.h>

struct server;

int	demo_seed(struct server *, int64_t now, char **cause);

#endif
