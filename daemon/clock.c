/* Reading the time.  Everything else takes now as an argument. */
#include <time.h>

#include "clock.h"

/* The system's real time, in milliseconds since the epoch. */
int64_t
clock_system_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Now, as every rule is told it. */
int64_t
clock_now(const struct clock *c)
{
	return clock_system_ms() + (c->test ? c->offset_ms : 0);
}
