/* The demo ward `make run` starts with. */
#ifndef IDTSD_DEMO_H
#define IDTSD_DEMO_H

#include <stdint.h>

struct server;
struct staff;
struct store;

int	demo_seed(struct server *, int64_t now, char **cause);
/* The readiness register and the duty rota (demo_readiness.c). */
int	demo_seed_readiness(struct store *, int64_t now,
	    const struct staff *nina, const struct staff *carl,
	    const struct staff *priya, const struct staff *mo,
	    const struct staff *lee);

#endif
