/* The patient screen (issue 17): the whole record of the patient of the
 * row selected in any list, from GET /v1/patients/{id}/record, over the
 * panes until Esc: clocks, prescriptions with their run and hold, the
 * week's doses with who gave and who witnessed them, the observations
 * with a NEWS2 sparkline and trend, movements, open alerts and
 * corrections.  Readable at 80x24; at 100 columns and more each line says
 * more.  The screens over the panes (this one and the handover sheet,
 * ward_handover.c) are lines of text built for the width at each draw,
 * scrolled with the arrows and the page keys. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "ward.h"

#define WARD_VIEW_WIDE	100	/* columns from which lines say more */

/* "▁".."█" for a NEWS2 total, a step a point up to 7. */
static const char *const ward_bars[] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
	"\u2588",
};

/* --- the lines of a screen over the panes ------------------------------- */

/* Add a line to the screen being built. */
void
ward_view_line(struct ward_view_text *t, int attr, const char *fmt, ...)
{
	va_list	ap;

	if (t->n == WARD_VIEW_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(t->line[t->n], sizeof t->line[t->n], fmt, ap);
	va_end(ap);
	t->attr[t->n++] = attr;
}

/* Add a line of free text (an alert's message, a correction's reason)
 * wrapped at spaces over as many lines as it needs within width
 * columns, those after the first indented by indent: never cut. */
static void
ward_view_wrapped(struct ward_view_text *t, int attr, int width, int indent,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void
ward_view_wrapped(struct ward_view_text *t, int attr, int width, int indent,
    const char *fmt, ...)
{
	char		 text[1024];
	const char	*s = text;
	size_t		 cut;
	int		 first = 1;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	while (*s != '\0') {
		cut = table_wrap_cut(s, first ? width : width - indent,
		    sizeof t->line[0] - 1 - (size_t)indent);
		if (cut == 0)
			break;
		ward_view_line(t, attr, "%*s%.*s", first ? 0 : indent, "",
		    (int)cut, s);
		first = 0;
		s += cut;
		while (*s == ' ')
			s++;
	}
}

/* Close the screen over the panes. */
static void
ward_view_close(struct ward *w)
{
	json_decref(w->view_body);
	w->view_body = NULL;
	w->view = WARD_VIEW_NONE;
	w->view_top = 0;
}

/* Read path for a screen over the panes; 0, or -1 with the words said. */
int
ward_view_read(struct ward *w, int view, const char *path)
{
	struct ward_reply	r;

	memset(&r, 0, sizeof r);
	if (ward_call(w, "GET", path, NULL, NULL, 200, &r) == -1) {
		ward_say(w, WARD_A_ERROR, "%s", r.words);
		ward_reply_free(&r);
		return -1;
	}
	json_decref(w->view_body);
	w->view_body = r.body;
	w->view = view;
	w->view_top = 0;
	return 0;
}

/* A key on a screen over the panes: scrolling, Esc to close, r to read
 * again, and the handover's own (d, n). */
void
ward_view_key(struct ward *w, const struct ward_key *k)
{
	int	page = LINES - 8 > 1 ? LINES - 8 : 1;

	if (k->fn == KEY_UP || k->fn == KEY_PPAGE)
		w->view_top -= k->fn == KEY_UP ? 1 : page;
	else if (k->fn == KEY_DOWN || k->fn == KEY_NPAGE)
		w->view_top += k->fn == KEY_DOWN ? 1 : page;
	else if (k->fn == KEY_HOME)
		w->view_top = 0;
	else if (k->fn == 0 && (k->ch == 27 || k->ch == 'q' || k->ch == 'Q'))
		ward_view_close(w);
	else if (k->fn == 0 && (k->ch == 'l' || k->ch == 'L'))
		ward_lock(w, NULL);
	else if (k->fn == 0 && k->ch == 'r' && w->view == WARD_VIEW_PATIENT)
		ward_patient_open(w, w->view_id);
	else if (w->view == WARD_VIEW_HANDOVER)
		ward_handover_key(w, k);
	if (w->view_top < 0)
		w->view_top = 0;
}

/* Draw a screen over the panes: its lines from view_top, "more" marks
 * when some are out of sight. */
void
ward_view_draw(struct ward *w, int y, int rows, int width)
{
	struct ward_view_text	*t;
	int			 i, last;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return;
	if (w->view == WARD_VIEW_PATIENT)
		ward_patient_lines(w, t, width);
	else
		ward_handover_lines(w, t, width);
	if (w->view_top > t->n - rows)
		w->view_top = t->n - rows > 0 ? t->n - rows : 0;
	last = w->view_top + rows;
	for (i = w->view_top; i < t->n && i < last; i++)
		ward_put(y + i - w->view_top, 0, width, t->line[i],
		    ward_screen_attr(w, t->attr[i]));
	if (w->view_top > 0)
		ward_put(y, width - 12, 12, "  more above", ward_screen_attr(w,
		    WARD_A_DIM));
	if (last < t->n)
		ward_put(y + rows - 1, width - 12, 12, "  more below",
		    ward_screen_attr(w, WARD_A_DIM));
	free(t);
}

/* --- the patient screen -------------------------------------------------- */

/* The id of the patient of the row selected in the pane shown, or
 * NULL. */
static const char *
ward_patient_selected(struct ward *w)
{
	json_t	*row;

	switch (w->pane) {
	case WARD_ALERTS:
		row = ward_list_selected(w, WARD_ALERTS, w->alert_rows);
		return ward_str(row, "patient_id");
	case WARD_ROUND:
		row = ward_list_selected(w, WARD_ROUND, w->dose_rows);
		break;
	case WARD_OBS:
		row = ward_list_selected(w, WARD_OBS, w->dues);
		break;
	default:
		row = ward_list_selected(w, WARD_COURT, w->moves);
		break;
	}
	return ward_str(json_object_get(row, "patient"), "id");
}

/* p: the patient screen of the selected row's patient (id NULL), or of
 * patient id. */
void
ward_patient_open(struct ward *w, const char *id)
{
	char	path[128], keep[UUID_STR_LEN];

	if (id == NULL && (id = ward_patient_selected(w)) == NULL) {
		ward_say(w, WARD_A_WARNING, "Choose a row about a patient "
		    "first.");
		return;
	}
	snprintf(keep, sizeof keep, "%s", id);
	snprintf(path, sizeof path, "/patients/%s/record", keep);
	if (ward_view_read(w, WARD_VIEW_PATIENT, path) == 0) {
		snprintf(w->view_id, sizeof w->view_id, "%s", keep);
		w->message[0] = '\0';
	}
}

/* "Tue 08:00" of key in o. */
static const char *
ward_patient_when(struct ward *w, const json_t *o, const char *key,
    char *buf, size_t size)
{
	const char	*s = ward_instant(w, ward_str(o, key), WARD_DAY_HM, buf,
			    size);

	return s != NULL ? s : "-";
}

/* Who, where, and the plan. */
static void
ward_patient_head(struct ward *w, struct ward_view_text *t, const json_t *r)
{
	const json_t	*p = json_object_get(r, "patient");
	const json_t	*plan = json_object_get(p, "observation_plan");
	char		 who[384], a[32], b[32];

	ward_view_line(t, WARD_A_TITLE, "%s  (Esc back, r read again, "
	    "Up/Down scroll)", ward_who_line(p, who, sizeof who));
	if (ward_str(r, "away_since") != NULL)
		ward_view_line(t, WARD_A_WARNING, "AT COURT since %s",
		    ward_patient_when(w, r, "away_since", a, sizeof a));
	if (json_is_true(json_object_get(plan, "running")))
		ward_view_line(t, WARD_A_NORMAL, "Observation plan until %s; "
		    "next due %s", ward_patient_when(w, plan, "ends_at", a,
		    sizeof a), ward_patient_when(w, plan, "next_due_at", b,
		    sizeof b));
}

/* Clocks and prescriptions. */
static void
ward_patient_care(struct ward *w, struct ward_view_text *t, const json_t *p)
{
	const json_t	*c, *rx;
	char		 a[32], dose[64];
	size_t		 i;

	json_array_foreach(json_object_get(p, "clocks"), i, c)
		ward_view_line(t, ward_str(c, "met_at") ? WARD_A_OK :
		    json_is_true(json_object_get(c, "breached")) ?
		    WARD_A_URGENT : WARD_A_NORMAL, "Clock %s: %s %s",
		    WARD_S(ward_str(c, "kind")), ward_str(c, "met_at") ? "met" :
		    "due", ward_patient_when(w, c, ward_str(c, "met_at") ?
		    "met_at" : "due_at", a, sizeof a));
	json_array_foreach(json_object_get(p, "prescriptions"), i, rx)
		ward_view_line(t, ward_str(rx, "held_at") ? WARD_A_URGENT :
		    WARD_A_NORMAL, "Rx %s %s, %s; not taken in a row %lld%s",
		    WARD_S(ward_str(json_object_get(rx, "product"), "name")),
		    ward_amount(json_object_get(rx, "current_dose"),
		    ward_str(rx, "unit"), dose, sizeof dose),
		    WARD_S(ward_str(rx, "state")), (long long)json_integer_value(
		    json_object_get(rx, "not_taken_run")), ward_str(rx,
		    "held_at") ? ": HELD for review" : "");
}

/* The week's doses, newest last, with who gave and who witnessed. */
static void
ward_patient_doses(struct ward *w, struct ward_view_text *t,
    const json_t *r)
{
	const json_t	*d;
	const char	*state, *by, *wit;
	char		 a[32], dose[64];
	size_t		 i;

	ward_view_line(t, WARD_A_TITLE, "Doses, this week");
	json_array_foreach(json_object_get(r, "doses"), i, d) {
		state = WARD_S(ward_str(d, "state"));
		by = ward_str(json_object_get(d, "administered_by"),
		    "display_name");
		wit = ward_str(json_object_get(d, "witnessed_by"),
		    "display_name");
		ward_view_line(t, strcmp(state, "given") == 0 ? WARD_A_NORMAL :
		    WARD_A_WARNING, "  %-10s %-8s %-8s %s%s%s",
		    ward_patient_when(w, d, "due_at", a, sizeof a),
		    ward_amount(json_object_get(d, "dose"), ward_str(d,
		    "unit"), dose, sizeof dose), state, WARD_S(by),
		    wit != NULL ? ", witness " : "", WARD_S(wit));
	}
}

/* The observations under the NEWS2 sparkline and trend. */
static void
ward_patient_obs(struct ward *w, struct ward_view_text *t, const json_t *r,
    int width)
{
	const json_t	*n = json_object_get(r, "news2"), *o, *v, *s;
	char		 spark[96] = "", a[32];
	size_t		 i;
	json_int_t	 x;

	json_array_foreach(json_object_get(n, "totals"), i, v) {
		x = json_integer_value(v);
		strncat(spark, ward_bars[x < 0 ? 0 : x > 7 ? 7 : x],
		    sizeof spark - strlen(spark) - 1);
	}
	if (json_is_integer(json_object_get(n, "last")))
		ward_view_line(t, WARD_A_TITLE, "Observations  NEWS2 %s  last "
		    "%lld, %s", spark, (long long)json_integer_value(
		    json_object_get(n, "last")), WARD_S(ward_str(n, "trend")));
	else
		ward_view_line(t, WARD_A_TITLE, "Observations: none yet");
	json_array_foreach(json_object_get(r, "observations"), i, o) {
		s = json_object_get(o, "news2");
		x = json_integer_value(json_object_get(s, "total"));
		ward_view_line(t, x >= 5 ? WARD_A_URGENT : WARD_A_NORMAL,
		    width >= WARD_VIEW_WIDE ? "  %-10s NEWS2 %2lld %-10s "
		    "RR %lld SpO2 %lld BP %lld P %lld T %.1f %s" :
		    "  %-10s NEWS2 %2lld %s", ward_patient_when(w, o,
		    "taken_at", a, sizeof a), (long long)x,
		    WARD_S(ward_str(s, "band")),
		    (long long)json_integer_value(json_object_get(o,
		    "respiratory_rate")), (long long)json_integer_value(
		    json_object_get(o, "spo2")), (long long)json_integer_value(
		    json_object_get(o, "systolic_bp")),
		    (long long)json_integer_value(json_object_get(o, "pulse")),
		    json_number_value(json_object_get(o, "temperature")),
		    WARD_S(ward_str(o, "consciousness")));
	}
}

/* Movements, open alerts, corrections. */
static void
ward_patient_events(struct ward *w, struct ward_view_text *t,
    const json_t *r, int width)
{
	const json_t	*m, *al, *c;
	char		 a[32];
	size_t		 i;

	ward_view_line(t, WARD_A_TITLE, "Movements, alerts, corrections");
	json_array_foreach(json_object_get(r, "movements"), i, m)
		ward_view_line(t, WARD_A_NORMAL, "  %s %s %s %s",
		    WARD_S(ward_str(m, "kind")), WARD_S(ward_str(m, "state")),
		    ward_patient_when(w, m, "departs_at", a, sizeof a),
		    WARD_S(ward_str(m, "destination")));
	json_array_foreach(json_object_get(r, "alerts"), i, al)
		ward_view_wrapped(t, ward_alert_attr(ward_str(al, "severity")),
		    width, 4, "  %s: %s", WARD_S(ward_str(al, "severity")),
		    WARD_S(ward_str(al, "message")));
	json_array_foreach(json_object_get(r, "corrections"), i, c)
		ward_view_wrapped(t, WARD_A_DIM, width, 4,
		    "  %s %s: %s -> %s (%s)",
		    ward_patient_when(w, c, "at", a, sizeof a),
		    WARD_S(ward_str(c, "field")), WARD_S(ward_str(c, "from")),
		    WARD_S(ward_str(c, "to")), WARD_S(ward_str(c, "reason")));
}

/* The patient screen's lines for a screen width columns wide. */
void
ward_patient_lines(struct ward *w, struct ward_view_text *t, int width)
{
	const json_t	*r = w->view_body;

	ward_patient_head(w, t, r);
	ward_patient_care(w, t, json_object_get(r, "patient"));
	ward_patient_obs(w, t, r, width);
	ward_patient_doses(w, t, r);
	ward_patient_events(w, t, r, width);
}
