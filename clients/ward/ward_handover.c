/* The handover pane (issue 17), h from any pane: the sheet for the shift
 * about to start, from GET /v1/handover, over the panes until Esc; d and
 * n show the day's and the night's.  For each patient: the cell, prison
 * number and name, the last NEWS2 and its trend, open alerts, at court,
 * court or release tomorrow, then what falls due in the shift, a line
 * each.  The lines are drawn by ward_view_draw() (ward_patient.c). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ward.h"

/* h: the sheet for the shift about to start, or for shift ("day" or
 * "night") when not NULL. */
void
ward_handover_open(struct ward *w, const char *shift)
{
	char	path[64];

	snprintf(path, sizeof path, "/handover%s%s", shift ? "?shift=" : "",
	    shift ? shift : "");
	if (ward_view_read(w, WARD_VIEW_HANDOVER, path) == 0)
		w->message[0] = '\0';
}

/* d or n on the sheet: the day's or the night's. */
void
ward_handover_key(struct ward *w, const struct ward_key *k)
{
	if (k->fn == 0 && (k->ch == 'd' || k->ch == 'n'))
		ward_handover_open(w, k->ch == 'd' ? "day" : "night");
	else if (k->fn == 0 && k->ch == 'r')
		ward_handover_open(w, ward_str(w->view_body, "shift"));
}

/* One thing that falls due, as a line. */
static void
ward_handover_item(struct ward *w, struct ward_view_text *t,
    const json_t *it)
{
	const char	*kind = WARD_S(ward_str(it, "kind"));
	char		 at[32], what[160];
	int		 overdue = json_is_true(json_object_get(it, "overdue"));
	int		 attr = overdue ? WARD_A_URGENT : WARD_A_NORMAL;

	if (strcmp(kind, "dose") == 0) {
		snprintf(what, sizeof what, "dose%s%s", json_is_true(
		    json_object_get(it, "held")) ? " HELD: not to be given "
		    "until reviewed" : "", json_integer_value(json_object_get(
		    it, "cautions")) > 0 ? ", cautions to confirm" : "");
		if (json_is_true(json_object_get(it, "held")))
			attr = WARD_A_URGENT;
	} else if (strcmp(kind, "observations") == 0)
		snprintf(what, sizeof what, "observation%s, then every %lld "
		    "min: %lld in the shift", overdue ? " OVERDUE" : "",
		    (long long)json_integer_value(json_object_get(it,
		    "every_minutes")), (long long)json_integer_value(
		    json_object_get(it, "count")));
	else if (strcmp(kind, "clock") == 0)
		snprintf(what, sizeof what, "%s deadline%s",
		    WARD_S(ward_str(it, "what")), overdue ? " BREACHED" : "");
	else if (strcmp(kind, "hold_review") == 0)
		snprintf(what, sizeof what, "held for review since then");
	else
		snprintf(what, sizeof what, "%s departs%s",
		    WARD_S(ward_str(it, "what")), json_is_true(json_object_get(
		    it, "tomorrow")) ? " tomorrow" : "");
	ward_view_line(t, attr, "    %-10s %s", WARD_S(ward_instant(w,
	    ward_str(it, "at"), WARD_DAY_HM, at, sizeof at)), what);
}

/* A patient's heading: who, NEWS2, alerts, court. */
static void
ward_handover_patient(struct ward *w, struct ward_view_text *t,
    const json_t *e, int width)
{
	const json_t	*n = json_object_get(e, "news2");
	char		 who[384], news[48] = "", alerts[48] = "", away[48] = "";
	char		 at[32];

	if (json_is_integer(json_object_get(n, "last")))
		snprintf(news, sizeof news, "  NEWS2 %lld %s",
		    (long long)json_integer_value(json_object_get(n, "last")),
		    WARD_S(ward_str(n, "trend")));
	if (json_integer_value(json_object_get(e, "alerts_open")) > 0)
		snprintf(alerts, sizeof alerts, "  %lld alert%s (%s)",
		    (long long)json_integer_value(json_object_get(e,
		    "alerts_open")), json_integer_value(json_object_get(e,
		    "alerts_open")) == 1 ? "" : "s", WARD_S(ward_str(e,
		    "alerts_worst")));
	if (ward_str(e, "away_since") != NULL)
		snprintf(away, sizeof away, "  AT COURT since %s",
		    WARD_S(ward_instant(w, ward_str(e, "away_since"), WARD_HM,
		    at, sizeof at)));
	ward_view_line(t, WARD_A_TITLE, "%s%s%s", ward_who_line(
	    json_object_get(e, "patient"), who, sizeof who), news,
	    width >= 100 ? alerts : "");
	if (away[0] != '\0' || json_is_true(json_object_get(e,
	    "court_tomorrow")) || json_is_true(json_object_get(e,
	    "release_tomorrow")) || (width < 100 && alerts[0] != '\0'))
		ward_view_line(t, WARD_A_WARNING, " %s%s%s%s", away,
		    json_is_true(json_object_get(e, "court_tomorrow")) ?
		    "  COURT TOMORROW" : "", json_is_true(json_object_get(e,
		    "release_tomorrow")) ? "  RELEASE TOMORROW" : "",
		    width < 100 ? alerts : "");
}

/* The sheet's lines for a screen width columns wide. */
void
ward_handover_lines(struct ward *w, struct ward_view_text *t, int width)
{
	const json_t	*list = json_object_get(w->view_body, "patients");
	const json_t	*e, *it;
	char		 a[32], b[32];
	size_t		 i, j;

	ward_view_line(t, WARD_A_TITLE, "Handover, %s shift %s to %s  "
	    "(d day, n night, Esc back)", WARD_S(ward_str(w->view_body,
	    "shift")), WARD_S(ward_instant(w, ward_str(w->view_body, "from"),
	    WARD_DAY_HM, a, sizeof a)), WARD_S(ward_instant(w,
	    ward_str(w->view_body, "to"), WARD_DAY_HM, b, sizeof b)));
	if (json_array_size(list) == 0)
		ward_view_line(t, WARD_A_NORMAL, "Nothing to hand over.");
	json_array_foreach(list, i, e) {
		ward_handover_patient(w, t, e, width);
		json_array_foreach(json_object_get(e, "items"), j, it)
			ward_handover_item(w, t, it);
		if (json_array_size(json_object_get(e, "items")) == 0)
			ward_view_line(t, WARD_A_DIM, "    nothing falls due "
			    "in the shift");
	}
}
