/* The alerts pane, live from GET /v1/alerts/stream.  The daemon's store
 * is the truth: every event carries its position, and a stream that
 * drops (the network, a restart of the daemon, the next person signing
 * in) resumes after the last one seen, so the ward misses nothing.
 * Only the first stream starts from now, with the open alerts read
 * once to go with it.
 *
 * Shown: the ward's alerts, and those to the audiences whose roles the
 * person signed in holds (a manager sees the managers'; a prescriber or
 * a manager the doctor on call's).  Open ones first, the most severe
 * and newest first; the bell rings for an urgent or emergency alert as
 * it arrives. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"

static const struct {
	const char	*severity, *marker;
	int		 attr, rank;
} ward_severities[] = {
	{ "emergency", "!!! EMERGENCY", WARD_A_EMERGENCY, 4 },
	{ "urgent", "!!  URGENT", WARD_A_URGENT, 3 },
	{ "warning", "!   warning", WARD_A_WARNING, 2 },
	{ "info", "    info", WARD_A_INFO, 1 },
};
#define WARD_NSEVERITIES (sizeof ward_severities / sizeof ward_severities[0])

static size_t
ward_alert_severity(const char *severity)
{
	size_t	i;

	for (i = 0; severity != NULL && i < WARD_NSEVERITIES; i++)
		if (strcmp(severity, ward_severities[i].severity) == 0)
			return i;
	return WARD_NSEVERITIES - 1;
}

/* How an alert of severity looks. */
int
ward_alert_attr(const char *severity)
{
	return ward_severities[ward_alert_severity(severity)].attr;
}

static int
ward_alert_loud(const json_t *a)
{
	return ward_severities[ward_alert_severity(ward_str(a,
	    "severity"))].rank >= 3;
}

static int
ward_alert_open(const json_t *a)
{
	return !json_is_string(json_object_get(a, "acked_at"));
}

static int
ward_alert_is(const json_t *a, const char *audience)
{
	const char	*to = ward_str(a, "audience");

	return strcmp(to != NULL ? to : "ward", audience) == 0;
}

/* Whether the person signed in may acknowledge the alert, as the daemon
 * decides (POST /v1/alerts/{id}/ack): the filter "mine". */
static int
ward_alert_mine(const struct ward *w, const json_t *a)
{
	if (ward_alert_is(a, "ward"))
		return w->clinical;
	if (ward_alert_is(a, "reception"))
		return w->reception || w->clinical || w->manager;
	if (ward_alert_is(a, "manager"))
		return w->manager;
	if (ward_alert_is(a, "prescriber") || ward_alert_is(a, "on_call"))
		return w->prescriber || w->manager;
	if (ward_alert_is(a, "pharmacy"))
		return w->pharmacist || w->manager;
	return 0;
}

/* Whether the person signed in is shown this alert. */
static int
ward_alert_shown(const struct ward *w, const json_t *a)
{
	const char	*audience = ward_str(a, "audience");

	if (audience == NULL || strcmp(audience, "ward") == 0)
		return 1;
	return (strcmp(audience, "manager") == 0 && w->manager) ||
	    (strcmp(audience, "prescriber") == 0 && w->prescriber) ||
	    (strcmp(audience, "on_call") == 0 && (w->prescriber ||
	    w->manager)) ||
	    (strcmp(audience, "pharmacy") == 0 && w->pharmacist) ||
	    (strcmp(audience, "reception") == 0 && w->reception);
}

static int64_t
ward_alert_ms(const json_t *a, const char *key)
{
	int64_t	ms;

	return ward_instant_ms(ward_str(a, key), &ms) == 0 ? ms : 0;
}

/* Open first; then the most severe; then the newest (acknowledged ones
 * by when they were acknowledged). */
static int
ward_alert_cmp(const void *x, const void *y)
{
	const json_t	*a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int		 ao = ward_alert_open(a), bo = ward_alert_open(b);
	int		 ar, br;
	int64_t		 at, bt;

	if (ao != bo)
		return ao ? -1 : 1;
	if (ao) {
		ar = ward_severities[ward_alert_severity(ward_str(a,
		    "severity"))].rank;
		br = ward_severities[ward_alert_severity(ward_str(b,
		    "severity"))].rank;
		if (ar != br)
			return ar > br ? -1 : 1;
		at = ward_alert_ms(a, "raised_at");
		bt = ward_alert_ms(b, "raised_at");
	} else {
		at = ward_alert_ms(a, "acked_at");
		bt = ward_alert_ms(b, "acked_at");
	}
	return at > bt ? -1 : at < bt;
}

/* Whether the filter chosen lets the alert through. */
static int
ward_alert_filtered(const struct ward *w, const json_t *a)
{
	if (w->alerts_filter == WARD_FILTER_MINE)
		return ward_alert_mine(w, a);
	if (w->alerts_filter == WARD_FILTER_WARD)
		return ward_alert_is(a, "ward");
	return 1;
}

/* Count an open alert shown: emergencies on their own, not among the
 * urgent ones. */
static void
ward_alerts_count(struct ward *w, const json_t *a)
{
	if (!ward_alert_open(a))
		return;
	w->alerts_open++;
	if (ward_severities[ward_alert_severity(ward_str(a,
	    "severity"))].rank == 4)
		w->alerts_emergency++;
	else
		w->alerts_loud += (size_t)ward_alert_loud(a);
}

/* Rebuild the rows shown and their counts (of every alert shown to the
 * person, whatever the filter). */
static void
ward_alerts_sort(struct ward *w)
{
	json_t	**v, *a;
	size_t	  i, n = 0;

	json_decref(w->alert_rows);
	w->alert_rows = json_array();
	w->alerts_open = w->alerts_loud = w->alerts_emergency = 0;
	if ((v = calloc(json_array_size(w->alerts) + 1, sizeof *v)) == NULL)
		return;
	json_array_foreach(w->alerts, i, a)
		if (ward_alert_shown(w, a)) {
			ward_alerts_count(w, a);
			if (ward_alert_filtered(w, a))
				v[n++] = a;
		}
	qsort(v, n, sizeof *v, ward_alert_cmp);
	for (i = 0; i < n; i++)
		json_array_append(w->alert_rows, v[i]);
	free(v);
	ward_list_keep(w, WARD_ALERTS, w->alert_rows);
}

/* Make room for one more: the oldest acknowledged alert goes.  Open
 * alerts are never dropped; with nothing but open ones, the list grows. */
static void
ward_alerts_trim(struct ward *w)
{
	json_t	*b;
	size_t	 i, oldest = (size_t)-1;
	int64_t	 at, oldest_at = 0;

	while (json_array_size(w->alerts) > WARD_ALERTS_MAX) {
		json_array_foreach(w->alerts, i, b) {
			if (ward_alert_open(b))
				continue;
			at = ward_alert_ms(b, "acked_at");
			if (oldest == (size_t)-1 || at < oldest_at) {
				oldest = i;
				oldest_at = at;
			}
		}
		if (oldest == (size_t)-1)
			return;
		json_array_remove(w->alerts, oldest);
		oldest = (size_t)-1;
	}
}

/* Put an alert in the list, or its new state over the old (unless only
 * a new one is wanted: the open alerts read may be older than what the
 * stream has said since); 1 if it was not known. */
static int
ward_alerts_put(struct ward *w, json_t *a, int only_new)
{
	const char	*id = ward_str(a, "id"), *other;
	json_t		*b;
	size_t		 i;

	if (id == NULL) {
		json_decref(a);
		return 0;
	}
	json_array_foreach(w->alerts, i, b) {
		other = ward_str(b, "id");
		if (other != NULL && strcmp(other, id) == 0) {
			if (only_new)
				json_decref(a);
			else
				json_array_set_new(w->alerts, i, a);
			return 0;
		}
	}
	json_array_append_new(w->alerts, a);
	ward_alerts_trim(w);
	return 1;
}

/* Each event of the stream: "alert" when raised, "ack" when
 * acknowledged; both carry the whole alert. */
static int
ward_alerts_event(const char *id, const char *event, const char *data,
    void *arg)
{
	struct ward	*w = arg;
	json_t		*a = json_loads(data, 0, NULL);
	char		 alert_id[UUID_STR_LEN];
	int		 fresh, ring;

	(void)id;
	if (!json_is_object(a)) {
		json_decref(a);
		return 0;
	}
	ring = strcmp(event, "alert") == 0 && ward_alert_open(a) &&
	    ward_alert_loud(a) && ward_alert_shown(w, a);
	if (ring)
		snprintf(alert_id, sizeof alert_id, "%s", ward_str(a, "id") ?
		    ward_str(a, "id") : "");
	fresh = ward_alerts_put(w, a, 0);
	if (fresh && ring) {
		/* Chosen, ready for whoever comes to the Alerts pane; never
		 * under the eyes (and the finger) of a nurse already on it,
		 * who has the bell and the list. */
		if (w->pane != WARD_ALERTS || w->locked)
			snprintf(w->list[WARD_ALERTS].sel_id,
			    sizeof w->list[WARD_ALERTS].sel_id, "%s",
			    alert_id);
		beep();
	}
	ward_alerts_sort(w);
	w->refresh_soon = 1;	/* a missed dose, an overdue observation */
	ward_redraw(w);
	return 0;
}

/* The open alerts, read (ward_api.c asks, every tick until the daemon
 * has answered, once the first stream is there). */
void
ward_alerts_answer(struct ward *w, struct ward_reply *r)
{
	json_t	*a;
	size_t	 i, loud;

	if (r->status != 200 || !json_is_array(r->body)) {
		snprintf(w->error[WARD_ALERTS], sizeof w->error[WARD_ALERTS],
		    "%s", r->status == 200 ? "The daemon's answer was not "
		    "the list expected." : r->words);
		return;
	}
	json_array_foreach(r->body, i, a)
		if (json_is_object(a))
			ward_alerts_put(w, json_incref(a), 1);
	if (!w->alerts_loaded)
		ward_alerts_top(w);
	w->alerts_loaded = 1;
	w->error[WARD_ALERTS][0] = '\0';
	loud = w->alerts_loud + w->alerts_emergency;
	ward_alerts_sort(w);
	if (w->alerts_loud + w->alerts_emergency > loud)
		beep();
}

/* How the stream stands: shown in the header, and since when it is
 * down. */
static void
ward_alerts_state(int state, int status, void *arg)
{
	struct ward	*w = arg;
	char		 at[32], since[32];

	w->live_state = state;
	switch (state) {
	case CLIENT_STREAM_CONNECTED:
		if (w->down_since != 0)
			ward_say(w, WARD_A_OK, "Alerts reconnected at %s "
			    "(down since %s): nothing was missed.",
			    ward_when(w, ward_now(w), WARD_HMS, at, sizeof at) ?
			    at : "?", ward_when(w, w->down_since, WARD_HMS,
			    since, sizeof since) ? since : "?");
		w->down_since = 0;
		w->refresh_soon = 1;	/* and the open alerts, if unread */
		break;
	case CLIENT_STREAM_LOST:
		if (w->down_since == 0)
			w->down_since = ward_now(w);
		w->live_retry_at = w->stream != NULL ? ward_seconds() +
		    client_stream_retry_seconds(w->stream) : 0;
		break;
	default:
		/* Refused: no use trying again on this session.  The
		 * header says so; ^R, or the next sign-in, tries again. */
		ward_alerts_stop(w);
		w->live_refused = status;
		w->down_since = 0;
		if (status == 401 && w->signed_in) {
			w->signed_in = 0;
			ward_lock(w, "Your session has ended. Sign in again.");
		} else if (status != 401)
			ward_say(w, WARD_A_ERROR, "The daemon refused the "
			    "alert stream (HTTP %d): no alerts arrive. ^R "
			    "tries again.", status);
		break;
	}
	ward_redraw(w);
}

/* (Re)start the stream on the session now signed in, after the last
 * event seen. */
void
ward_alerts_start(struct ward *w)
{
	ward_alerts_stop(w);
	if (w->alerts == NULL)
		w->alerts = json_array();
	w->live_refused = 0;
	w->live_state = 0;
	w->stream = client_stream_start(&w->live, "/alerts/stream",
	    w->last_event, ward_alerts_event, ward_alerts_state, w);
	if (w->stream == NULL)
		ward_say(w, WARD_A_ERROR, "Out of memory: no alert stream.");
	ward_alerts_sort(w);
}

/* Stop the stream, remembering where it stood. */
void
ward_alerts_stop(struct ward *w)
{
	if (w->stream == NULL)
		return;
	snprintf(w->last_event, sizeof w->last_event, "%s",
	    client_stream_last_id(w->stream));
	client_stream_stop(w->stream);
	w->stream = NULL;
}

void
ward_alerts_free(struct ward *w)
{
	ward_alerts_stop(w);
	json_decref(w->alerts);
	json_decref(w->alert_rows);
	json_decref(w->patients);
	w->alerts = w->alert_rows = w->patients = NULL;
}

/* The patient an alert is about, from those in custody read; NULL if
 * it is about none, or one not read. */
static const json_t *
ward_alert_patient(const struct ward *w, const json_t *a)
{
	const char	*id = ward_str(a, "patient_id"), *other;
	const json_t	*p;
	size_t		 i;

	json_array_foreach(w->patients, i, p) {
		other = ward_str(p, "id");
		if (id != NULL && other != NULL && strcmp(id, other) == 0)
			return p;
	}
	return NULL;
}

/* Those in custody, read: the alerts' cells and names. */
void
ward_alerts_patients(struct ward *w, struct ward_reply *r)
{
	if (r->status != 200 || !json_is_array(r->body))
		return;		/* the alerts' messages name them too */
	json_decref(w->patients);
	w->patients = json_incref(r->body);
}

/* The message of a row: without the "A1234BC Name, Given: " it begins
 * with when the columns before it say so; with its audience when it is
 * not the ward's; acknowledged, when the STATE column is left out. */
static void
ward_alert_text(struct ward *w, const json_t *a, const json_t *p,
    int state_shown, char *buf, size_t size)
{
	const char	*msg = ward_str(a, "message"), *pn, *colon;
	char		 at[32];

	if (msg == NULL)
		msg = "?";
	pn = ward_str(p, "prison_number");
	if (pn != NULL && strncmp(msg, pn, strlen(pn)) == 0 &&
	    (colon = strstr(msg, ": ")) != NULL)
		msg = colon + 2;
	buf[0] = '\0';
	if (!ward_alert_open(a) && !state_shown)
		snprintf(buf, size, "ack %s: ", ward_instant(w, ward_str(a,
		    "acked_at"), WARD_HM, at, sizeof at) ? at : "");
	if (!ward_alert_is(a, "ward"))
		snprintf(buf + strlen(buf), size - strlen(buf), "[%s] ",
		    ward_str(a, "audience"));
	snprintf(buf + strlen(buf), size - strlen(buf), "%s", msg);
}

/* The pane's title: the filter, and the open alerts counted, each
 * severity on its own. */
static void
ward_alerts_title(struct ward *w, int y, int width)
{
	static const char *const filters[] = { "all", "mine", "the ward's" };
	char	title[256];

	snprintf(title, sizeof title, "Alerts (%s): %zu open", filters[
	    w->alerts_filter], w->alerts_open);
	if (w->alerts_emergency > 0)
		snprintf(title + strlen(title), sizeof title - strlen(title),
		    ", %zu EMERGENCY", w->alerts_emergency);
	if (w->alerts_loud > 0)
		snprintf(title + strlen(title), sizeof title - strlen(title),
		    ", %zu URGENT", w->alerts_loud);
	snprintf(title + strlen(title), sizeof title - strlen(title), "%s%s",
	    w->alerts_open > 0 ? "; most severe first" : "",
	    w->alerts_loaded ? "" : w->error[WARD_ALERTS][0] != '\0' ?
	    " (the open alerts are not read yet)" :
	    " (waiting for the daemon)");
	ward_pane_title(w, y, width, title, 0, w->error[WARD_ALERTS]);
}

/* Row by row: severity, when, who, the message, and the state. */
void
ward_alerts_draw(struct ward *w, int y, int rows, int width)
{
	struct ward_col	 c[7] = {
		{ "SEVERITY", 13, 0, 0, 0 }, { "RAISED", 9, 0, 0, 0 },
		[5] = { "ALERT", 12, 4, 0, 0 }, { "STATE", 9, 0, 0, 1 },
	};
	struct ward_list *l = &w->list[WARD_ALERTS];
	size_t		 i, n = json_array_size(w->alert_rows);
	const json_t	*a, *p;
	struct ward_who	 who;
	char		 text[600], whole[600], at[32], raised[32], state[64];
	const char	*cells[7];
	int		 attr, sev, list_rows, detail;

	ward_alerts_title(w, y, width);
	ward_who_cols(c, 2);
	ward_cols_fit(c, 7, width);
	ward_cols_header(c, 7, y + 1, A_UNDERLINE);
	if (n == 0) {
		ward_put(y + 2, 0, width, w->alerts_filter == WARD_FILTER_ALL ?
		    "No alerts." : "No alerts: f shows others.", A_NORMAL);
		return;
	}
	/* The selected alert whole, since a row cuts a long message: on
	 * as many rows as it needs below the list (two at least), the list
	 * shorter for it but never under three rows. */
	if (l->sel >= n)
		l->sel = n - 1;
	a = json_array_get(w->alert_rows, l->sel);
	snprintf(whole, sizeof whole, "%s: %s%s", ward_str(a, "kind") ?
	    ward_str(a, "kind") : "alert", ward_str(a, "message") ?
	    ward_str(a, "message") : "", json_is_true(json_object_get(a,
	    "escalated")) ? " (escalated to the managers)" : "");
	if (ward_str(a, "ack_note") != NULL)
		snprintf(whole + strlen(whole), sizeof whole - strlen(whole),
		    " (acknowledged: %s)", ward_str(a, "ack_note"));
	detail = ward_put_wrapped(-1, 0, width, whole, A_BOLD, rows);
	if (detail < 2)
		detail = 2;
	if (detail > rows - 5)
		detail = rows - 5 > 2 ? rows - 5 : 2;
	list_rows = rows - 2 - detail;
	ward_list_show(w, WARD_ALERTS, n, list_rows);
	ward_list_more(w, WARD_ALERTS, n, list_rows, y, width);
	for (i = l->top; i < n && (int)(i - l->top) < list_rows; i++) {
		a = json_array_get(w->alert_rows, i);
		sev = ward_alert_attr(ward_str(a, "severity"));
		attr = ward_alert_open(a) ? ward_screen_attr(w, sev) :
		    ward_screen_attr(w, WARD_A_DIM);
		if (i == l->sel)
			attr |= A_REVERSE;
		p = ward_alert_patient(w, a);
		ward_alert_text(w, a, p, c[6].width > 0, text, sizeof text);
		if (ward_alert_open(a))
			snprintf(state, sizeof state, "OPEN");
		else
			snprintf(state, sizeof state, "ack %s",
			    ward_instant(w, ward_str(a, "acked_at"), WARD_HM,
			    at, sizeof at) ? at : "");
		cells[0] = ward_severities[ward_alert_severity(ward_str(a,
		    "severity"))].marker;
		cells[1] = ward_instant(w, ward_str(a, "raised_at"),
		    WARD_DAY_HM, raised, sizeof raised);
		ward_who_cells(c, 2, p, &who, cells);
		if (p == NULL)
			cells[2] = cells[3] = cells[4] = "";
		cells[5] = text;
		cells[6] = state;
		ward_cols_row(c, 7, y + 2 + (int)(i - l->top), cells, NULL,
		    attr);
	}
	ward_put_wrapped(y + 2 + list_rows, 0, width, whole, A_BOLD, detail);
}

/* The list from its top, the most severe alert chosen: as the pane
 * opens, and when the open alerts are first read. */
void
ward_alerts_top(struct ward *w)
{
	w->list[WARD_ALERTS].sel = w->list[WARD_ALERTS].top = 0;
	ward_list_remember(w, WARD_ALERTS, w->alert_rows);
}

/* The loudest open alert on one row, seen from the other panes. */
int
ward_alerts_banner(struct ward *w, int y, int width)
{
	const json_t	*a = json_array_get(w->alert_rows, 0);
	char		 text[640], at[32];

	if (a == NULL || !ward_alert_open(a))
		return 0;
	snprintf(text, sizeof text, "%s %s %s",
	    ward_severities[ward_alert_severity(ward_str(a,
	    "severity"))].marker, ward_instant(w, ward_str(a, "raised_at"),
	    WARD_DAY_HM, at, sizeof at) ? at : "", ward_str(a, "message") ?
	    ward_str(a, "message") : "");
	ward_put(y, 0, width, text, ward_screen_attr(w,
	    ward_alert_attr(ward_str(a, "severity"))));
	return 1;
}

/* y: acknowledge the alert the form named, in the name of whoever is
 * signed in, with the note typed if any. */
static int
ward_alerts_ack_yes(struct ward *w, struct ward_form *f)
{
	struct ward_reply	 r;
	json_t			*body = json_object();
	char			 path[128], message[256];

	snprintf(path, sizeof path, "/alerts/%s/ack", ward_str(f->subject,
	    "id") ? ward_str(f->subject, "id") : "");
	snprintf(message, sizeof message, "%s", ward_str(f->subject,
	    "message") ? ward_str(f->subject, "message") : "");
	if (f->field[0].value[0] != '\0')
		json_object_set_new(body, "note",
		    json_string(f->field[0].value));
	if (ward_call(w, "POST", path, body, f->key, 200, &r) == -1) {
		ward_say(w, WARD_A_ERROR, "Not acknowledged: %s", r.words);
		ward_reply_free(&r);
		return 0;
	}
	ward_say(w, WARD_A_OK, "Acknowledged by %s%s%s%s: %s", w->display_name,
	    f->field[0].value[0] != '\0' ? " (note: " : "", f->field[0].value,
	    f->field[0].value[0] != '\0' ? ")" : "", ward_str(r.body,
	    "message") ? ward_str(r.body, "message") : message);
	if (json_is_object(r.body))
		ward_alerts_put(w, json_incref(r.body), 0);
	ward_reply_free(&r);
	ward_alerts_sort(w);
	return 0;
}

/* Enter on the note: the question, naming who acknowledges. */
static int
ward_alerts_ack_check(struct ward *w, struct ward_form *f)
{
	snprintf(f->question, sizeof f->question, "Acknowledge this alert "
	    "as %.60s?  y: acknowledge   n: change the note", w->display_name);
	return 0;
}

/* a: the alert chosen, in full, with a note to type if wished, then a
 * question, so what is acknowledged is what was read. */
static void
ward_alerts_ack(struct ward *w)
{
	json_t			*a = ward_list_selected(w, WARD_ALERTS,
				    w->alert_rows);
	struct ward_form	*f;
	const char		*aud;
	char			 at[32];

	if (a == NULL) {
		ward_say(w, WARD_A_NORMAL, "There is no alert to acknowledge.");
		return;
	}
	if (!ward_alert_open(a)) {
		ward_say(w, WARD_A_NORMAL, "This alert is already "
		    "acknowledged.");
		return;
	}
	f = ward_form_open(w, "Acknowledge an alert");
	f->subject = json_incref(a);
	aud = ward_str(a, "audience");
	ward_form_info(f, "Acknowledge this alert as %.60s? A note if you "
	    "wish, then Enter and y.", w->display_name);
	ward_form_info(f, "%s  raised %s%s%s", ward_severities[
	    ward_alert_severity(ward_str(a, "severity"))].marker,
	    ward_instant(w, ward_str(a, "raised_at"), WARD_DAY_HM, at,
	    sizeof at) ? at : "?", aud != NULL && strcmp(aud, "ward") != 0 ?
	    "  to the " : "", aud != NULL && strcmp(aud, "ward") != 0 ? aud :
	    "");
	ward_form_info(f, "%s", ward_str(a, "message") ? ward_str(a,
	    "message") : "?");
	ward_form_info(f, "(%s)", ward_str(a, "kind") ? ward_str(a, "kind") :
	    "alert");
	ward_form_add(f, "Note (optional)", 0, 1, 200, NULL);
	f->check = ward_alerts_ack_check;
	f->submit = ward_alerts_ack_yes;
}

/* f: all the alerts shown to the person, those they may acknowledge,
 * the ward's; the list from its top. */
static void
ward_alerts_filter(struct ward *w)
{
	static const char *const said[] = {
		"Every alert shown to you.",
		"Only the alerts you may acknowledge.",
		"Only the ward's alerts.",
	};

	w->alerts_filter = (w->alerts_filter + 1) % 3;
	ward_alerts_sort(w);
	ward_alerts_top(w);
	ward_say(w, WARD_A_NORMAL, "%s f: the next filter.",
	    said[w->alerts_filter]);
}

int
ward_alerts_key(struct ward *w, const struct ward_key *k)
{
	size_t	n = json_array_size(w->alert_rows);

	if (ward_list_key(w, WARD_ALERTS, n, k)) {
		ward_list_remember(w, WARD_ALERTS, w->alert_rows);
		return 1;
	}
	if (k->fn == 0 && (k->ch == 'a' || k->ch == 'A')) {
		ward_alerts_ack(w);
		return 1;
	}
	if (k->fn == 0 && (k->ch == 'f' || k->ch == 'F')) {
		ward_alerts_filter(w);
		return 1;
	}
	return 0;
}
