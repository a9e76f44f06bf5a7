/* What the benchmark programs share (bench_common.c). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* One keep-alive HTTP/1.1 connection to the daemon and the bytes read
 * from it that are not yet consumed (NUL-terminated). */
struct bench_conn {
	int	 fd;
	char	*in;
	size_t	 in_len, in_cap;
};

int64_t	now_ns(void);
int	cmp_int64(const void *, const void *);
double	quantile_ms(const int64_t *sorted, long n, double q);
int	write_all(int fd, const char *p, size_t len);
void	prison_number(long n, char out[8]);
int	bench_conn_open(struct bench_conn *, const char *addr, int port);
int	bench_conn_open_from(struct bench_conn *, const char *from,
	    const char *addr, int port);
int	bench_conn_answer(struct bench_conn *, int *closing, size_t *body_off,
	    size_t *body_len);
void	bench_conn_consume(struct bench_conn *, size_t len);
void	bench_conn_close(struct bench_conn *);
long	bench_number(const char *, long min, long max, void (*usage)(void));

#endif
