/* The ward board: each patient's row decided from plain structs and
 * `now`; the handler (api_board.c) only loads, calls and writes out. */
#include <stdio.h>
#include <string.h>

#include "board.h"

#define BOARD_MINUTE_MS	(60 * 1000LL)

/* A row with nothing known yet. */
void
board_row_init(struct board_row *row)
{
	memset(row, 0, sizeof *row);
	row->news2 = -1;
	row->alerts_worst = -1;
	(void)snprintf(row->obs_words, sizeof row->obs_words,
	    "no observations planned");
}

/* A span in words: "5 min", "2 h", "1 h 5 min". */
static void
board_span(int64_t ms, char *buf, size_t len)
{
	int64_t	minutes = ms / BOARD_MINUTE_MS;

	if (minutes < 60)
		(void)snprintf(buf, len, "%lld min", (long long)minutes);
	else if (minutes % 60 == 0)
		(void)snprintf(buf, len, "%lld h", (long long)(minutes / 60));
	else
		(void)snprintf(buf, len, "%lld h %lld min",
		    (long long)(minutes / 60), (long long)(minutes % 60));
}

/* The patient's last score (their last observation not entered in
 * error, plan or no plan). */
void
board_score(struct board_row *row, int total, const char *band,
    int64_t taken_at)
{
	row->news2 = total;
	(void)snprintf(row->band, sizeof row->band, "%s", band);
	row->last_taken_at = taken_at;
}

/* The patient's open due (NULL: none): overdue once past its grace
 * (warn_at), as GET /v1/observations/due says, and said in words for a
 * reader who cannot tell red from green. */
void
board_observation(struct board_row *row, const struct observation_due *due,
    int64_t now)
{
	char	span[24];

	if (due == NULL || due->state != OBS_DUE_OPEN)
		return;
	row->obs_due_at = due->due_at;
	if (now > due->warn_at) {
		row->obs = BOARD_OBS_OVERDUE;
		board_span(now - due->due_at, span, sizeof span);
		(void)snprintf(row->obs_words, sizeof row->obs_words,
		    "overdue by %s", span);
	} else if (now >= due->due_at) {
		row->obs = BOARD_OBS_DUE;
		(void)snprintf(row->obs_words, sizeof row->obs_words,
		    "due now");
	} else {
		row->obs = BOARD_OBS_DUE;
		board_span(due->due_at - now + BOARD_MINUTE_MS - 1, span,
		    sizeof span);
		(void)snprintf(row->obs_words, sizeof row->obs_words,
		    "due in %s", span);
	}
}

/* One of the patient's doses of the local day, as it stands now: the
 * round is the doses whose window is open now. */
void
board_dose(struct board_row *row, const struct dose *d, int standing,
    int64_t now)
{
	enum dose_state	state = dose_state_at(d, standing, now);

	if (state == DOSE_AWAY || state == DOSE_HELD)
		return;		/* not the ward's to give */
	row->day_due++;
	if (state == DOSE_GIVEN)
		row->day_given++;
	else if (dose_not_taken(state))
		row->day_not_taken++;
	if (d->window_start <= now && now < d->window_end) {
		row->round_due++;
		if (state == DOSE_GIVEN)
			row->round_given++;
	}
}

/* One of the patient's open alerts. */
void
board_alert(struct board_row *row, const struct alert *a)
{
	if (a->acked_at != 0)
		return;
	row->alerts_open++;
	if ((int)a->severity > row->alerts_worst)
		row->alerts_worst = (int)a->severity;
}

/* One of the patient's movements: a court trip still planned for the
 * local day after today, [tomorrow_from, tomorrow_to). */
void
board_movement(struct board_row *row, const struct movement *m,
    int64_t tomorrow_from, int64_t tomorrow_to)
{
	if (m->kind != MOVEMENT_COURT || m->state != MOVEMENT_PLANNED ||
	    m->departs_at < tomorrow_from || m->departs_at >= tomorrow_to)
		return;
	if (row->court_at == 0 || m->departs_at < row->court_at)
		row->court_at = m->departs_at;
}

/* How urgent a row is, as an alert_severity: an emergency for a last
 * NEWS2 of 7 or more (the score that raises an emergency alert) or an
 * open emergency alert; urgent for a red 3 or 5-6 or an open urgent
 * alert; a warning for an overdue observation or an open warning alert;
 * else info. */
static int
board_urgency(const struct board_row *row)
{
	int	level = SEVERITY_INFO;

	if (row->news2 >= 7 || strcmp(row->band, "high") == 0)
		level = SEVERITY_EMERGENCY;
	else if (row->news2 >= 5 || strcmp(row->band, "medium") == 0 ||
	    strcmp(row->band, "low_medium") == 0)
		level = SEVERITY_URGENT;
	else if (row->obs == BOARD_OBS_OVERDUE)
		level = SEVERITY_WARNING;
	if (row->alerts_worst > level)
		level = row->alerts_worst;
	return level;
}

/* The board's order, most urgent first: the more urgent row (an
 * emergency, then urgent, then a warning such as an overdue observation,
 * then the rest; board_urgency()), then within a level an overdue
 * observation first, then the higher last score, then the sooner due;
 * 0 keeps the caller's order. */
int
board_compare(const struct board_row *a, const struct board_row *b)
{
	int	ua = board_urgency(a), ub = board_urgency(b);

	if (ua != ub)
		return ua > ub ? -1 : 1;
	if ((a->obs == BOARD_OBS_OVERDUE) != (b->obs == BOARD_OBS_OVERDUE))
		return a->obs == BOARD_OBS_OVERDUE ? -1 : 1;
	if (a->news2 != b->news2)
		return a->news2 > b->news2 ? -1 : 1;
	if (a->obs_due_at != b->obs_due_at) {
		if (a->obs_due_at == 0 || b->obs_due_at == 0)
			return a->obs_due_at == 0 ? 1 : -1;
		return a->obs_due_at < b->obs_due_at ? -1 : 1;
	}
	return 0;
}

/* The observation state's name in the API. */
const char *
board_obs_name(enum board_obs obs)
{
	switch (obs) {
	case BOARD_OBS_DUE:
		return "due";
	case BOARD_OBS_OVERDUE:
		return "overdue";
	case BOARD_OBS_NONE:
		break;
	}
	return "none";
}
