/* What the benchmark programs share: a monotonic clock, quantiles by
 * nearest rank, writing all of a buffer, the prison numbers the write
 * benchmarks make, and a keep-alive HTTP/1.1 connection that reads one
 * answer (with a Content-Length) at a time. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
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

/* Connect to the daemon, with Nagle off so each request leaves at once.
 * The read buffer is kept across reconnections.  Returns 0, or -1 with
 * errno set. */
int
bench_conn_open(struct bench_conn *c, const char *addr, int port)
{
	return bench_conn_open_from(c, NULL, addr, port);
}

/* The same from the local address from (such as 127.0.0.2, another
 * source on loopback), or any if NULL. */
int
bench_conn_open_from(struct bench_conn *c, const char *from,
    const char *addr, int port)
{
	struct sockaddr_in	sin, src;
	int			one = 1, saved;

	c->fd = -1;
	c->in_len = 0;
	if (c->in == NULL) {
		c->in_cap = 65536;
		if ((c->in = malloc(c->in_cap)) == NULL)
			return -1;
	}
	c->in[0] = '\0';
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&src, 0, sizeof src);
	src.sin_family = AF_INET;
	if ((from != NULL && (inet_pton(AF_INET, from, &src.sin_addr) != 1 ||
	    bind(c->fd, (struct sockaddr *)&src, sizeof src) == -1)) ||
	    connect(c->fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		saved = errno;
		close(c->fd);
		c->fd = -1;
		errno = saved;
		return -1;
	}
	return 0;
}

/* Read more of the answer into c->in, growing it as need be.  Returns
 * the bytes read, 0 at end of stream, -1 on error. */
static ssize_t
bench_conn_fill(struct bench_conn *c)
{
	ssize_t	n;
	char	*p;

	if (c->in_cap - c->in_len < 16384) {
		if ((p = realloc(c->in, c->in_cap * 2)) == NULL)
			return -1;
		c->in = p;
		c->in_cap *= 2;
	}
	do
		n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1);
	while (n == -1 && errno == EINTR);
	if (n > 0) {
		c->in_len += (size_t)n;
		c->in[c->in_len] = '\0';
	}
	return n;
}

/* The value of header name in a NUL-terminated header block, or NULL. */
static const char *
bench_header_value(const char *headers, const char *name)
{
	size_t		 len = strlen(name);
	const char	*line = strstr(headers, "\r\n");

	while (line != NULL && line[2] != '\r') {
		line += 2;
		if (strncasecmp(line, name, len) == 0 && line[len] == ':') {
			line += len + 1;
			return line + strspn(line, " \t");
		}
		line = strstr(line, "\r\n");
	}
	return NULL;
}

/* Read one whole answer.  Returns its status (and whether the daemon will
 * close the connection); -1 if the connection failed or closed (errno is
 * then 0); -2 if the answer has no status or no Content-Length (its head
 * is left at c->in).  The body is left at c->in + *body_off, *body_len
 * bytes, until bench_conn_consume(). */
int
bench_conn_answer(struct bench_conn *c, int *closing, size_t *body_off,
    size_t *body_len)
{
	char		*end, *hdr;
	const char	*v;
	size_t		 head_len;
	long		 length;
	int		 status;

	errno = 0;
	while ((end = strstr(c->in, "\r\n\r\n")) == NULL)
		if (bench_conn_fill(c) <= 0)
			return -1;
	head_len = (size_t)(end - c->in) + 4;
	if ((hdr = strndup(c->in, head_len)) == NULL)
		return -1;
	if (sscanf(hdr, "HTTP/1.%*d %d", &status) != 1 ||
	    (v = bench_header_value(hdr, "Content-Length")) == NULL ||
	    (length = strtol(v, NULL, 10)) < 0) {
		free(hdr);
		return -2;
	}
	v = bench_header_value(hdr, "Connection");
	*closing = v != NULL && strncasecmp(v, "close", 5) == 0;
	free(hdr);
	while (c->in_len < head_len + (size_t)length)
		if (bench_conn_fill(c) <= 0)
			return -1;
	*body_off = head_len;
	*body_len = (size_t)length;
	return status;
}

/* Drop the answer just read from c->in, keeping anything after it. */
void
bench_conn_consume(struct bench_conn *c, size_t len)
{
	memmove(c->in, c->in + len, c->in_len - len);
	c->in_len -= len;
	c->in[c->in_len] = '\0';
}

void
bench_conn_close(struct bench_conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	free(c->in);
	c->in = NULL;
	c->in_len = c->in_cap = 0;
}

/* A number argument from min to max, or usage() (which exits). */
long
bench_number(const char *s, long min, long max, void (*usage)(void))
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < min || v > max)
		usage();
	return v;
}
