/* The daemon's idea of now: the system clock, or with --test-clock the
 * system clock plus an offset a test sets through the API. */
#ifndef IDTSD_CLOCK_H
#define IDTSD_CLOCK_H

#include <stdint.h>

struct clock {
	int	test;		/* --test-clock given */
	int64_t	offset_ms;	/* added to the system clock */
};

int64_t	clock_system_ms(void);
int64_t	clock_now(const struct clock *);

#endif
