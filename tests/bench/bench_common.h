/* What the benchmark programs share (bench_common.c). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

int64_t	now_ns(void);
int	cmp_int64(const void *, const void *);
double	quantile_ms(const int64_t *sorted, long n, double q);
int	write_all(int fd, const char *p, size_t len);
void	prison_number(long n, char out[8]);

#endif
