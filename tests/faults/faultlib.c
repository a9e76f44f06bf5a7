/* Helpers for the fault tests' programs: see faultlib.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faultlib.h"
#include "timefmt.h"
#include "validate.h"

static unsigned long long	fl_state = 88172645463325252ULL;

void
fl_die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

void
fl_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

/* Prepare a client for server, signed in as user. */
int
fl_open(struct fl_api *a, const char *server, const char *user,
    const char *pin)
{
	char	*cause = NULL;

	if (client_init(&a->c, server, &cause) == -1)
		fl_die("client_init: %s", cause ? cause : "?");
	a->c.timeout_seconds = 15;
	fl_copy(a->user, sizeof a->user, user);
	fl_copy(a->pin, sizeof a->pin, pin);
	return fl_signin(a);
}

/* Sign in again (a new token); -1 if the daemon did not say 201. */
int
fl_signin(struct fl_api *a)
{
	json_t	*body = NULL;
	int	 status;

	a->c.token[0] = '\0';
	status = fl_call(a, "POST", "/sessions", json_pack("{s:s,s:s}",
	    "username", a->user, "pin", a->pin), NULL, &body);
	if (status == 201 && json_string_value(json_object_get(body,
	    "token")) != NULL)
		fl_copy(a->c.token, sizeof a->c.token,
		    json_string_value(json_object_get(body, "token")));
	json_decref(body);
	return status == 201 ? 0 : -1;
}

void
fl_close(struct fl_api *a)
{
	client_free(&a->c);
}

/* One call; takes req. */
int
fl_call(struct fl_api *a, const char *method, const char *path, json_t *req,
    const char *key, json_t **body)
{
	struct client_reply	out;
	char			*cause = NULL;
	int			 status;

	if (body != NULL)
		*body = NULL;
	if (client_call(&a->c, method, path, req, key, &out, &cause) == -1) {
		free(cause);
		json_decref(req);
		return 0;
	}
	json_decref(req);
	status = out.status;
	if (body != NULL) {
		*body = out.body;
		out.body = NULL;
	}
	client_reply_free(&out);
	return status;
}

/* A call that must answer want. */
json_t *
fl_must(struct fl_api *a, int want, const char *method, const char *path,
    json_t *req)
{
	json_t	*body = NULL;
	char	*text;
	char	 key[37];
	int	 status;

	fl_uuid(key);
	status = fl_call(a, method, path, req, strcmp(method, "GET") == 0 ?
	    NULL : key, &body);
	if (status != want) {
		text = body ? json_dumps(body, JSON_COMPACT) : NULL;
		fl_die("%s %s as %s: expected %d, got %d: %s", method, path,
		    a->user, want, status, text ? text : "(no body)");
	}
	return body;
}

void
fl_uuid(char out[37])
{
	validate_new_uuid(out);
}

void
fl_instant(int64_t ms, char out[32])
{
	timefmt_format_instant(ms, out);
}

int64_t
fl_parse_instant(const char *s)
{
	int64_t	ms;

	if (s == NULL || timefmt_parse_instant(s, &ms) == -1)
		return -1;
	return ms;
}

int64_t
fl_real_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
fl_daemon_now(struct fl_api *a)
{
	json_t	*body = NULL;
	int64_t	 now = -1;

	if (fl_call(a, "GET", "/health", NULL, NULL, &body) == 200)
		now = fl_parse_instant(fl_str(body, "now"));
	json_decref(body);
	return now;
}

void
fl_local_date(int64_t ms, char out[11])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	setenv("TZ", "Europe/London", 1);
	tzset();
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

const char *
fl_str(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

void
fl_copy(char *dst, size_t size, const char *src)
{
	size_t	n = strnlen(src, size - 1);

	memmove(dst, src, n);
	dst[n] = '\0';
}

void
fl_seed(unsigned seed)
{
	fl_state = 88172645463325252ULL ^ ((unsigned long long)seed *
	    0x9E3779B97F4A7C15ULL);
	if (fl_state == 0)
		fl_state = 1;
}

/* xorshift64*: plenty for choosing what to do next. */
unsigned
fl_rand(unsigned n)
{
	fl_state ^= fl_state >> 12;
	fl_state ^= fl_state << 25;
	fl_state ^= fl_state >> 27;
	return n ? (unsigned)((fl_state * 2685821657736338717ULL) >> 33) % n :
	    0;
}
