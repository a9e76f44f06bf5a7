/* Talking to the daemon, and the daemon's clock, which the ward shows
 * (a test clock included).
 *
 * What a nurse sends (a dose given, an alert acknowledged, a sign-in)
 * is one call at a time on a loop of its own, so no key or stream
 * callback runs in the middle of one: the screen waits for its answer,
 * at most WARD_CALL_SECONDS.  The refreshes are read from the main loop
 * instead, one read in flight at a time, so a daemon slow to answer
 * never stops the keys, the lock or the alerts.  A read the daemon does
 * not answer ends the refresh, and the next waits WARD_BACKOFF_FIRST
 * seconds, then twice as long each time, up to WARD_BACKOFF_MAX. */
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

/* What a refusal of a PIN adds (client_pin_told): the tries left before
 * the account locks, or when a lock lifts. */
static void
ward_refusal_more(const json_t *body, char *words, size_t size)
{
	char	told[96];
	size_t	n = strlen(words);

	if (client_pin_told(&(struct client_reply){ .body = (json_t *)body },
	    told, sizeof told) != NULL && n < size)
		snprintf(words + n, size - n, " %c%s.", told[0] >= 'a' &&
		    told[0] <= 'z' ? told[0] - 'a' + 'A' : told[0], told + 1);
}

/* An answer as the ward takes it: 0 if it has the status expected, -1
 * otherwise, with the reason in words for the nurse.  A session that
 * ended (expired, or signed out elsewhere) locks the terminal: the view
 * stays for whoever signs in next. */
static int
ward_reply_take(struct ward *w, const char *method, const char *path,
    const char *key, int expect, struct client_reply *reply,
    struct ward_reply *out)
{
	const char	*code;

	memset(out, 0, sizeof *out);
	if (reply->status == 0) {
		snprintf(out->code, sizeof out->code, "unreachable");
		/* A POST may have been recorded with its answer lost: the
		 * same form sent again replays it, never records twice. */
		snprintf(out->words, sizeof out->words, "Cannot reach the "
		    "daemon at %s.%s", w->calls.server, strcmp(method,
		    "POST") == 0 && key != NULL ? " Send it again when the "
		    "daemon is back: it will be recorded once." : "");
		return -1;
	}
	/* It answered: the refreshes need not wait any longer. */
	w->refresh.backoff = 0;
	w->refresh.resume = 0;
	out->status = reply->status;
	out->body = reply->body;
	reply->body = NULL;
	if (out->status == expect)
		return 0;
	code = client_error_code(&(struct client_reply){ .body = out->body });
	snprintf(out->code, sizeof out->code, "%s", code);
	ward_words_say(code, json_string_value(json_object_get(
	    json_object_get(out->body, "error"), "message")), out->words,
	    sizeof out->words);
	ward_refusal_more(out->body, out->words, sizeof out->words);
	if (strcmp(code, "not_found") == 0 && strcmp(method, "GET") != 0)
		w->refresh_soon = 1;	/* as the words say */
	if (out->status == 401 && strcmp(path, "/sessions") != 0 &&
	    w->signed_in) {
		w->signed_in = 0;
		ward_lock(w, out->words);
	}
	return -1;
}

/* Make a call and wait for its answer; 0 if it has the status expected,
 * -1 otherwise, with the reason in words for the nurse.  body is taken,
 * and any PIN in it wiped.  A POST carries key as its Idempotency-Key,
 * so a form sent twice (after the daemon could not be reached, say)
 * records once. */
int
ward_call(struct ward *w, const char *method, const char *path, json_t *body,
    const char *key, int expect, struct ward_reply *out)
{
	struct client_reply	 reply;
	char			*cause = NULL;
	int			 rc;

	if (client_call(&w->calls, method, path, body, key, &reply,
	    &cause) == -1)
		memset(&reply, 0, sizeof reply);
	free(cause);
	client_json_wipe(body);
	json_decref(body);
	rc = ward_reply_take(w, method, path, key, expect, &reply, out);
	client_reply_free(&reply);
	return rc;
}

void
ward_reply_free(struct ward_reply *r)
{
	json_decref(r->body);
	r->body = NULL;
}

/* --- the refreshes -------------------------------------------------------- */

static void	ward_refresh_next(struct ward *);

/* The pane a read is for, or -1. */
static int
ward_refresh_pane(int read)
{
	switch (read) {
	case WARD_READ_ALERTS:
		return WARD_ALERTS;
	case WARD_READ_DOSES:
	case WARD_READ_DOSES_NEXT:
		return WARD_ROUND;
	case WARD_READ_DUES:
		return WARD_OBS;
	case WARD_READ_MOVES:
	case WARD_READ_MOVES_NEXT:
		return WARD_COURT;
	default:
		return -1;
	}
}

/* The path of a read, or NULL when it is not made this time. */
static const char *
ward_refresh_path(struct ward *w, int read, char *buf, size_t size)
{
	struct ward_refresh	*rf = &w->refresh;

	if (read == WARD_READ_ALERTS)
		return !w->alerts_loaded &&
		    w->live_state == CLIENT_STREAM_CONNECTED ?
		    "/alerts?state=open" : NULL;
	if (rf->alerts_only)
		return NULL;
	switch (read) {
	case WARD_READ_CLOCK:
		return "/health";
	case WARD_READ_DOSES:
		return ward_round_path(w, 0, buf, size);
	case WARD_READ_DOSES_NEXT:
		return rf->doses != NULL ? ward_round_path(w, 1, buf, size) :
		    NULL;
	case WARD_READ_DUES:
		return "/observations/due";
	case WARD_READ_MOVES:
		return ward_court_path(w, 0, buf, size);
	case WARD_READ_MOVES_NEXT:
		return rf->moves != NULL ? ward_court_path(w, 1, buf, size) :
		    NULL;
	case WARD_READ_PATIENTS:
		return "/patients?status=in_custody";
	default:
		return NULL;
	}
}

/* The daemon's clock, from GET /health and the time the call took. */
static void
ward_refresh_clock(struct ward *w, const struct ward_reply *r)
{
	int64_t	now, sent = w->refresh.sent;

	if (r->status == 200 && ward_instant_ms(ward_str(r->body, "now"),
	    &now) == 0)
		w->skew_ms = now - (sent + (ward_api_clock() - sent) / 2);
}

/* An answer to the read in flight: to the pane that asked, then the
 * next read.  One the daemon did not answer ends the refresh; every
 * pane still to be read keeps what it showed, NOT CURRENT. */
static void
ward_refresh_answer(struct client_reply *reply, void *arg)
{
	struct ward		*w = arg;
	struct ward_refresh	*rf = &w->refresh;
	struct ward_reply	 r;
	char			 path[128];
	const char		*p;
	int			 read, pane;

	rf->call = NULL;
	p = ward_refresh_path(w, rf->read, path, sizeof path);
	ward_reply_take(w, "GET", p != NULL ? p : "", NULL, 200, reply, &r);
	if (r.status == 0) {
		for (read = rf->read; read < WARD_NREADS; read++)
			if ((pane = ward_refresh_pane(read)) != -1 &&
			    (read == rf->read || !rf->alerts_only) &&
			    (pane != WARD_ALERTS || !w->alerts_loaded))
				snprintf(w->error[pane], sizeof w->error[pane],
				    "%s", r.words);
		rf->backoff = rf->backoff == 0 ? WARD_BACKOFF_FIRST :
		    rf->backoff * 2 > WARD_BACKOFF_MAX ? WARD_BACKOFF_MAX :
		    rf->backoff * 2;
		rf->resume = ward_seconds() + rf->backoff;
		ward_refresh_stop(w);
		ward_redraw(w);
		return;
	}
	switch (rf->read) {
	case WARD_READ_CLOCK:
		ward_refresh_clock(w, &r);
		break;
	case WARD_READ_ALERTS:
		ward_alerts_answer(w, &r);
		break;
	case WARD_READ_DOSES:
	case WARD_READ_DOSES_NEXT:
		ward_round_answer(w, rf->read - WARD_READ_DOSES, &r);
		break;
	case WARD_READ_DUES:
		ward_obs_answer(w, &r);
		break;
	case WARD_READ_PATIENTS:
		ward_alerts_patients(w, &r);
		break;
	default:
		ward_court_answer(w, rf->read - WARD_READ_MOVES, &r);
		break;
	}
	ward_reply_free(&r);
	ward_redraw(w);
	if (!w->signed_in) {		/* a 401 has locked the terminal */
		ward_refresh_stop(w);
		return;
	}
	if (rf->read == WARD_READ_CLOCK)
		rf->now = ward_now(w);
	rf->read++;
	ward_refresh_next(w);
}

/* Send the next read there is, or end the refresh. */
static void
ward_refresh_next(struct ward *w)
{
	struct ward_refresh	*rf = &w->refresh;
	const char		*path = NULL;
	char			 buf[128];

	for (; rf->read < WARD_NREADS; rf->read++)
		if ((path = ward_refresh_path(w, rf->read, buf,
		    sizeof buf)) != NULL)
			break;
	if (path == NULL) {
		ward_refresh_stop(w);
		return;
	}
	rf->sent = ward_api_clock();
	if ((rf->call = client_call_start(&w->live, "GET", path, NULL, NULL,
	    ward_refresh_answer, w)) == NULL) {
		ward_say(w, WARD_A_ERROR, "Out of memory: the panes cannot be "
		    "read again.");
		ward_refresh_stop(w);
	}
}

/* Begin a refresh: every pane, or only the open alerts. */
static void
ward_refresh_start(struct ward *w, int alerts_only)
{
	struct ward_refresh	*rf = &w->refresh;

	ward_refresh_stop(w);
	rf->alerts_only = alerts_only;
	rf->read = 0;
	rf->now = ward_now(w);
	if (!alerts_only) {
		w->refresh_soon = 0;
		w->last_refresh = ward_seconds();
	}
	ward_refresh_next(w);
}

/* Forget the refresh under way, if any (the session it was reading with
 * has ended, or the program is). */
void
ward_refresh_stop(struct ward *w)
{
	struct ward_refresh	*rf = &w->refresh;

	client_call_cancel(rf->call);
	rf->call = NULL;
	json_decref(rf->doses);
	json_decref(rf->moves);
	rf->doses = rf->moves = NULL;
}

/* Ask the daemon again for everything the panes show, now (^R, a form
 * sent): after the refresh under way if there is one. */
void
ward_refresh(struct ward *w)
{
	if (!w->signed_in)
		return;
	if (w->refresh.call != NULL) {
		w->refresh_soon = 1;
		return;
	}
	w->refresh.resume = 0;		/* asked for: not after a backoff */
	ward_refresh_start(w, 0);
}

/* Once a second: a refresh when one is due and the daemon is not being
 * left alone after failing to answer; else the open alerts, as long as
 * they have not been read. */
void
ward_refresh_tick(struct ward *w)
{
	time_t	now = ward_seconds();

	if (w->locked || !w->signed_in || w->refresh.call != NULL ||
	    now < w->refresh.resume)
		return;
	if (w->refresh_soon || now - w->last_refresh >= w->refresh_every)
		ward_refresh_start(w, 0);
	else if (!w->alerts_loaded &&
	    w->live_state == CLIENT_STREAM_CONNECTED)
		ward_refresh_start(w, 1);
}
