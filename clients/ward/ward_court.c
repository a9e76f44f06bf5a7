/* The court list: today's and tomorrow's movements (court, release,
 * transfer) and each person's morning dose, moved before the escort
 * leaves, so the night staff can see who must be dosed early.  From
 * GET /v1/movements?date=YYYY-MM-DD; a daemon without it answers 404,
 * and the pane says the list is not available rather than empty. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "timefmt.h"
#include "ward.h"

/* Today's movements (day 0) and tomorrow's (day 1): the path of the
 * read, or NULL. */
const char *
ward_court_path(struct ward *w, int day, char *buf, size_t size)
{
	char	date[16];

	if (ward_local_date(w->refresh.now, day, date, sizeof date) == NULL)
		return NULL;
	snprintf(buf, size, "/movements?date=%s", date);
	return buf;
}

/* A day's movements read: gathered until both days are, then shown. */
void
ward_court_answer(struct ward *w, int day, struct ward_reply *r)
{
	struct ward_refresh	*rf = &w->refresh;
	json_t			*m;
	size_t			 i;

	if (r->status != 200 || !json_is_array(r->body)) {
		if (r->status == 404) {	/* no /v1/movements here */
			w->court = WARD_COURT_MISSING;
			w->error[WARD_COURT][0] = '\0';
		} else {
			w->court = WARD_COURT_ERROR;
			snprintf(w->error[WARD_COURT],
			    sizeof w->error[WARD_COURT], "%s", r->status ==
			    200 ? "The daemon's answer was not the list "
			    "expected." : r->words);
		}
		json_decref(rf->moves);
		rf->moves = NULL;
		return;
	}
	if (day == 0) {
		json_decref(rf->moves);
		rf->moves = json_array();
	}
	json_array_foreach(r->body, i, m)
		if (json_is_object(m))
			json_array_append(rf->moves, m);
	if (day == 0)
		return;
	json_decref(w->moves);
	w->moves = rf->moves;
	rf->moves = NULL;
	w->moves_at = rf->now;
	w->court = WARD_COURT_OK;
	w->error[WARD_COURT][0] = '\0';
	ward_list_keep(w, WARD_COURT, w->moves);
}

/* The morning dose as the night staff need it: "DUE 07:30 30 ml (moved
 * from 09:00)", or that there is none.  Its quantity is "dose" as the
 * daemon answers a dose ("amount" in the plan first drawn up). */
static const char *
ward_court_dose(struct ward *w, const json_t *m, char *buf, size_t size)
{
	const json_t	*d = json_object_get(m, "morning_dose");
	const json_t	*qty = json_object_get(d, "amount");
	const char	*state = ward_str(d, "state"), *unit;
	const char	*due = ward_str(d, "due_at");
	const char	*was = ward_str(d, "original_due_at");
	char		 amount[AMOUNT_TEXT_LEN], at[32], from[64];
	char		 moved[80] = "";

	if (!json_is_object(d)) {
		snprintf(buf, size, "no dose that morning");
		return buf;
	}
	if (qty == NULL)
		qty = json_object_get(d, "dose");
	if ((unit = ward_str(json_object_get(d, "product"), "unit")) == NULL)
		unit = ward_str(d, "unit");
	if (was != NULL && due != NULL && strcmp(was, due) != 0)
		snprintf(moved, sizeof moved, " (moved from %s)",
		    ward_instant(w, was, WARD_HM, from, sizeof from) ? from :
		    "?");
	/* The state first: what a narrow column must not lose. */
	snprintf(buf, size, "%s %s %s%s", state == NULL ? "?" :
	    strcmp(state, "due") == 0 ? "DUE" : state, ward_instant(w, due,
	    WARD_HM, at, sizeof at) ? at : "?", amount_json_text(qty, unit,
	    json_object_get(d, "active"), amount) == 0 ? amount : "?",
	    moved);
	return buf;
}

/* How the dose plan stands: not given before the escort is the danger. */
static int
ward_court_attr(const json_t *m)
{
	const json_t	*d = json_object_get(m, "morning_dose");
	const char	*state = ward_str(d, "state");
	const char	*mstate = ward_str(m, "state");

	if (mstate != NULL && (strcmp(mstate, "cancelled") == 0 ||
	    strcmp(mstate, "ended") == 0))
		return WARD_A_DIM;
	if (state == NULL)
		return WARD_A_NORMAL;
	if (strcmp(state, "given") == 0)
		return WARD_A_OK;
	if (strcmp(state, "due") == 0)
		return WARD_A_DUE;
	if (strcmp(state, "missed") == 0 || strcmp(state, "held") == 0)
		return WARD_A_URGENT;
	return WARD_A_NORMAL;
}

void
ward_court_draw(struct ward *w, int y, int rows, int width)
{
	struct ward_col	 c[8] = {
		{ "DEPARTS", 9, 0, 0, 0 }, { "KIND", 7, 0, 0, 0 },
		[5] = { "TO", 8, 1, 0, 2 }, { "MORNING DOSE", 14, 3, 0, 0 },
		{ "STATE", 9, 0, 0, 1 },
	};
	struct ward_list *l = &w->list[WARD_COURT];
	size_t		 i, more, n = json_array_size(w->moves);
	const json_t	*m, *p, *d, *prod;
	const char	*cells[8];
	struct ward_who	 who;
	char		 title[256], today[32], tomorrow[32], at[32];
	char		 name[256], dose[256], line[512];
	int		 attrs[8], list_rows = rows - 4;

	ward_when(w, ward_now(w), WARD_DATE, today, sizeof today);
	ward_when(w, ward_now(w) + MS_PER_DAY, WARD_DATE, tomorrow,
	    sizeof tomorrow);
	snprintf(title, sizeof title, "Court list: %s and %s", today,
	    tomorrow);
	ward_pane_title(w, y, width, title, w->moves_at,
	    w->error[WARD_COURT]);
	if (w->court == WARD_COURT_MISSING) {
		ward_put(y + 2, 0, width, "Court list not available: this "
		    "daemon has no court list yet (GET /v1/movements answered "
		    "404).", ward_screen_attr(w, WARD_A_WARNING));
		ward_put(y + 3, 0, width, "Ask reception for today's escort "
		    "list.", A_NORMAL);
		return;
	}
	ward_who_cols(c, 2);
	ward_cols_fit(c, 8, width);
	ward_cols_header(c, 8, y + 1, A_UNDERLINE);
	if (n == 0) {
		ward_put(y + 2, 0, width, w->moves != NULL ? "No one leaves "
		    "for court, release or transfer today or tomorrow." :
		    w->court == WARD_COURT_ERROR ? "The court list could not "
		    "be read: see above." : "Reading the court list...",
		    A_NORMAL);
		return;
	}
	ward_list_show(w, WARD_COURT, n, list_rows);
	ward_list_more(w, WARD_COURT, n, list_rows, y, width);
	for (i = l->top; i < n && (int)(i - l->top) < list_rows; i++) {
		m = json_array_get(w->moves, i);
		cells[0] = ward_instant(w, ward_str(m, "departs_at"),
		    WARD_DAY_HM, at, sizeof at);
		cells[1] = ward_str(m, "kind");
		ward_who_cells(c, 2, json_object_get(m, "patient"), &who,
		    cells);
		cells[5] = ward_str(m, "destination");
		cells[6] = ward_court_dose(w, m, dose, sizeof dose);
		cells[7] = ward_str(m, "state");
		memset(attrs, 0, sizeof attrs);
		attrs[6] = ward_screen_attr(w, ward_court_attr(m));
		ward_cols_row(c, 8, y + 2 + (int)(i - l->top), cells, attrs,
		    i == l->sel ? A_REVERSE : A_NORMAL);
	}
	m = json_array_get(w->moves, l->sel);
	d = json_object_get(m, "morning_dose");
	prod = json_object_get(d, "product");
	p = json_object_get(m, "patient");
	snprintf(line, sizeof line, "%s %s to %s, leaves %s", ward_str(p,
	    "prison_number") ? ward_str(p, "prison_number") : "?",
	    ward_person(p, name, sizeof name), ward_str(m, "destination") ?
	    ward_str(m, "destination") : "?", ward_instant(w, ward_str(m,
	    "departs_at"), WARD_DAY_HM, at, sizeof at) ? at : "?");
	ward_put(y + rows - 2, 0, width, line, A_BOLD);
	more = json_array_size(json_object_get(m, "morning_doses"));
	if (json_is_object(d))
		snprintf(line, sizeof line, "Morning dose: %s %s %s %s%s: "
		    "give it on the Round pane before the escort leaves.",
		    ward_str(prod, "name") ? ward_str(prod, "name") : "?",
		    ward_str(prod, "form") ? ward_str(prod, "form") : "",
		    ward_str(prod, "strength") ? ward_str(prod, "strength") :
		    "", ward_court_dose(w, m, dose, sizeof dose), more > 1 ?
		    ", and more that morning (see the round)" : "");
	else
		snprintf(line, sizeof line, "No dose is due that morning.");
	ward_put(y + rows - 1, 0, width, line, A_NORMAL);
}

int
ward_court_key(struct ward *w, const struct ward_key *k)
{
	if (ward_list_key(w, WARD_COURT, json_array_size(w->moves), k)) {
		ward_list_remember(w, WARD_COURT, w->moves);
		return 1;
	}
	return 0;
}
