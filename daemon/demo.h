/* The demo ward `make run` starts with. */
#ifndef IDTSD_DEMO_H
#define IDTSD_DEMO_H

#include <stdint.h>

struct store;

struct care_clock_policy;

int	demo_seed(struct store *, int64_t now,
	    const struct care_clock_policy *, char **cause);

#endif
