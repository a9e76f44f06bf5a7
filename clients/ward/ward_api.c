/* Talking to the daemon: one request at a time on a loop of its own, so
 * no key or stream callback can run in the middle of one, and the
 * daemon's clock, which the ward shows (a test clock included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "timefmt.h"
#include "ward.h"

/* Our clock in milliseconds. */
static int64_t
ward_api_clock(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * MS_PER_SECOND + tv.tv_usec / 1000;
}

/* Seconds that only go forward, for the idle lock and the refreshes:
 * neither should jump when someone sets the clock. */
time_t
ward_seconds(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The daemon's time now, as it was when last asked, moved on by ours. */
int64_t
ward_now(const struct ward *w)
{
	return ward_api_clock() + w->skew_ms;
}

/* Make a call; 0 if the answer has the status expected, -1 otherwise,
 * with the reason in words for the nurse.  body is taken.  A POST
 * carries key as its Idempotency-Key, so a form sent twice (after the
 * daemon could not be reached, say) records once. */
int
ward_call(struct ward *w, const char *method, const char *path, json_t *body,
    const char *key, int expect, struct ward_reply *out)
{
	struct client_reply	 reply;
	char			*cause = NULL;
	const char		*code;

	memset(out, 0, sizeof *out);
	if (client_call(&w->calls, method, path, body, key, &reply,
	    &cause) == -1) {
		json_decref(body);
		snprintf(out->code, sizeof out->code, "unreachable");
		/* A POST may have been recorded with its answer lost: the
		 * same form sent again replays it, never records twice. */
		snprintf(out->words, sizeof out->words, "Cannot reach the "
		    "daemon at %s.%s", w->calls.server, strcmp(method,
		    "POST") == 0 && key != NULL ? " Send it again when the "
		    "daemon is back: it will be recorded once." : "");
		free(cause);
		return -1;
	}
	json_decref(body);
	out->status = reply.status;
	out->body = reply.body;
	reply.body = NULL;
	client_reply_free(&reply);
	if (out->status == expect)
		return 0;
	code = client_error_code(&(struct client_reply){ .body = out->body });
	snprintf(out->code, sizeof out->code, "%s", code);
	ward_words_say(code, json_string_value(json_object_get(
	    json_object_get(out->body, "error"), "message")), out->words,
	    sizeof out->words);
	/* A session that ended (expired, or signed out elsewhere) locks the
	 * terminal: the view stays for whoever signs in next. */
	if (out->status == 401 && strcmp(path, "/sessions") != 0 &&
	    w->signed_in) {
		w->signed_in = 0;
		ward_lock(w, out->words);
	}
	return -1;
}

void
ward_reply_free(struct ward_reply *r)
{
	json_decref(r->body);
	r->body = NULL;
}

/* Learn the daemon's clock: the ward shows its time, which under a test
 * clock is not ours. */
void
ward_clock_sync(struct ward *w)
{
	struct ward_reply	 r;
	int64_t			 before = ward_api_clock(), now;

	if (ward_call(w, "GET", "/health", NULL, NULL, 200, &r) == 0 &&
	    ward_instant_ms(ward_str(r.body, "now"), &now) == 0)
		w->skew_ms = now - (before + (ward_api_clock() - before) / 2);
	ward_reply_free(&r);
}

/* Ask the daemon again for everything the panes show. */
void
ward_refresh(struct ward *w)
{
	w->refresh_soon = 0;
	w->last_refresh = ward_seconds();
	if (!w->signed_in)
		return;
	ward_clock_sync(w);
	if (w->signed_in)
		ward_round_fetch(w);
	if (w->signed_in)
		ward_obs_fetch(w);
	if (w->signed_in)
		ward_court_fetch(w);
}
