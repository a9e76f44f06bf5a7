/* What the benchmark programs share: a monotonic clock, quantiles by
 * nearest rank, writing all of a buffer, and the prison numbers the
 * write benchmarks make. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"

int64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
cmp_int64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The q-th quantile of n sorted values, by nearest rank, in ms. */
double
quantile_ms(const int64_t *sorted, long n, double q)
{
	long	rank = (long)(q * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)sorted[rank - 1] / 1e6;
}

int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A distinct prison number for counter n: one letter, four digits, two
 * letters (A0000AA, A0001AA, ... A9999AA, A0000AB, ...). */
void
prison_number(long n, char out[8])
{
	long	digits = n % 10000, rest = n / 10000;

	out[6] = (char)('A' + rest % 26);
	rest /= 26;
	out[5] = (char)('A' + rest % 26);
	rest /= 26;
	out[0] = (char)('A' + rest % 26);
	out[1] = (char)('0' + digits / 1000);
	out[2] = (char)('0' + digits / 100 % 10);
	out[3] = (char)('0' + digits / 10 % 10);
	out[4] = (char)('0' + digits % 10);
	out[7] = '\0';
}
