/* The handover sheet's decisions: which shift, and what of each patient's
 * falls due in it. */
#include <stdlib.h>
#include <string.h>

#include "handover.h"

static const char *const handover_shifts[] = { "day", "night" };
static const char *const handover_trends[] = {
	"none", "steady", "rising", "falling",
};
static const char *const handover_items[] = {
	"dose", "observations", "clock", "hold_review", "movement",
};

/* The shift of that kind starting on local date d. */
static void
handover_on(enum handover_shift shift, struct civil_date d,
    struct handover_window *w)
{
	w->shift = shift;
	w->date = d;
	if (shift == HANDOVER_DAY) {
		w->from = calendar_local_time(d, HANDOVER_DAY_STARTS);
		w->to = calendar_local_time(d, HANDOVER_NIGHT_STARTS);
	} else {
		w->from = calendar_local_time(d, HANDOVER_NIGHT_STARTS);
		w->to = calendar_local_time(calendar_add_days(d, 1),
		    HANDOVER_DAY_STARTS);
	}
}

/* The shift of that kind a handover at now is for: the one in progress,
 * as a sheet is printed as the shift begins and read through it, or else
 * the next to start.  Local wall-clock times, so a night across a change
 * of the clocks is eleven or thirteen hours long. */
void
handover_window(enum handover_shift shift, int64_t now,
    struct handover_window *w)
{
	struct civil_date	d = calendar_add_days(calendar_local_date(now),
				    -1);
	int			i;

	for (i = 0; i < 3; i++, d = calendar_add_days(d, 1)) {
		handover_on(shift, d, w);
		if (now < w->to)
			return;
	}
}

/* The shift a handover at now is for by default: the one about to
 * start, night from 08:00 until 20:00 local, day otherwise. */
enum handover_shift
handover_next_shift(int64_t now)
{
	struct civil_date	d = calendar_local_date(now);

	return now >= calendar_local_time(d, HANDOVER_DAY_STARTS) &&
	    now < calendar_local_time(d, HANDOVER_NIGHT_STARTS) ?
	    HANDOVER_NIGHT : HANDOVER_DAY;
}

/* Whether the NEWS2 totals, newest first, have risen or fallen: the
 * newest against the one before; none with fewer than two. */
enum handover_trend
handover_trend(const int *newest_first, size_t n)
{
	if (n < 2)
		return HANDOVER_TREND_NONE;
	if (newest_first[0] > newest_first[1])
		return HANDOVER_TREND_RISING;
	if (newest_first[0] < newest_first[1])
		return HANDOVER_TREND_FALLING;
	return HANDOVER_TREND_STEADY;
}

/* A new item of the entry, or NULL if it is full (a patient with 64
 * things in one shift has more than a sheet can say). */
static struct handover_item *
handover_add(struct handover_entry *e, enum handover_item_kind kind,
    const char *id, int64_t at, int64_t now)
{
	struct handover_item	*it;

	if (e->nitems == HANDOVER_MAX_ITEMS)
		return NULL;
	it = &e->items[e->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->id = id;
	it->at = at;
	it->overdue = at < now;	/* past due at now, whichever shift */
	return it;
}

/* Doses due in the shift, or whose window opens in it (a court
 * morning's, moved to the shift's last hour), a held one marked so (not
 * to be given until a prescriber reviews it); one still open and due
 * before now is handed over as overdue. */
static void
handover_doses(const struct handover_facts *f,
    const struct handover_window *w, int64_t now, struct handover_entry *e)
{
	struct handover_item	*it;
	size_t			 i;

	for (i = 0; i < f->ndoses; i++) {
		if (f->doses[i].due_at >= w->to &&
		    f->doses[i].window_start >= w->to)
			continue;
		if ((it = handover_add(e, HANDOVER_ITEM_DOSE, f->doses[i].id,
		    f->doses[i].due_at, now)) == NULL)
			return;
		it->held = f->doses[i].held;
		it->ncautions = f->doses[i].ncautions;
		e->cautions += f->doses[i].ncautions > 0;
	}
}

/* The observations the plan asks for in the shift: the one open (overdue
 * if due before now), then one every interval in the shift while the
 * plan runs, as if each were taken on time; a score may ask for them
 * sooner.  None while the patient is away at court. */
static void
handover_observations(const struct handover_facts *f,
    const struct handover_window *w, int64_t now, struct handover_entry *e)
{
	struct handover_item	*it;
	int64_t			 t, end;

	if (!f->plan_running || f->obs_next_due == 0 || f->away_since != 0 ||
	    f->obs_next_due >= w->to || f->obs_interval_ms <= 0)
		return;
	if ((it = handover_add(e, HANDOVER_ITEM_OBSERVATIONS, NULL,
	    f->obs_next_due, now)) == NULL)
		return;
	it->every_ms = f->obs_interval_ms;
	end = f->plan_ends_at < w->to ? f->plan_ends_at : w->to;
	for (t = f->obs_next_due; t < end; t += f->obs_interval_ms)
		if (t == f->obs_next_due || t >= w->from)
			it->count++;
}

/* Clock deadlines before the end of the shift (one passed at now is a
 * breach still to be met), and each hold waiting for its review. */
static void
handover_deadlines(const struct handover_facts *f,
    const struct handover_window *w, int64_t now, struct handover_entry *e)
{
	struct handover_item	*it;
	size_t			 i;

	for (i = 0; i < f->nclocks; i++)
		if (f->clocks[i].due_at < w->to && (it = handover_add(e,
		    HANDOVER_ITEM_CLOCK, f->clocks[i].id, f->clocks[i].due_at,
		    now)) != NULL)
			it->what = f->clocks[i].kind;
	for (i = 0; i < f->nheld; i++)
		handover_add(e, HANDOVER_ITEM_HOLD_REVIEW, f->held_ids[i],
		    f->held_at[i], now);
}

/* Movements departing in the shift or tomorrow, which the next staff
 * prepare for: the morning dose before the escort, the summary or
 * discharge letter.  Tomorrow is the local day after today's date at
 * now, or after the shift's date for a shift starting on a later day (a
 * day shift asked for the evening before): a night in progress at 03:59
 * began yesterday, and 06:00 today is not tomorrow. */
static void
handover_movements(const struct handover_facts *f,
    const struct handover_window *w, int64_t now, struct handover_entry *e)
{
	struct civil_date	 today = calendar_local_date(now);
	struct civil_date	 tomorrow;
	int64_t			 from, until;
	struct handover_item	*it;
	size_t			 i;

	if (calendar_local_midnight(w->date) > calendar_local_midnight(today))
		today = w->date;
	tomorrow = calendar_add_days(today, 1);
	from = calendar_local_midnight(tomorrow);
	until = calendar_local_midnight(calendar_add_days(tomorrow, 1));

	for (i = 0; i < f->nmovements; i++) {
		if (f->movements[i].departs_at >= until ||
		    f->movements[i].departs_at < now)
			continue;
		if ((it = handover_add(e, HANDOVER_ITEM_MOVEMENT,
		    f->movements[i].id, f->movements[i].departs_at, now)) ==
		    NULL)
			return;
		it->what = f->movements[i].kind;
		it->tomorrow = it->at >= from;
		if (it->tomorrow && strcmp(it->what, "court") == 0)
			e->court_tomorrow = 1;
		else if (it->tomorrow)
			e->release_tomorrow = 1;
	}
}

/* Items in time order; the same time keeps the order they were added in
 * (doses, observations, clocks, holds, movements). */
static int
handover_item_cmp(const void *a, const void *b)
{
	const struct handover_item	*x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* Decide what the sheet says of one patient for the shift w at now. */
void
handover_decide(const struct handover_facts *f,
    const struct handover_window *w, int64_t now, struct handover_entry *e)
{
	memset(e, 0, sizeof *e);
	e->news2_last = f->nnews2 > 0 ? f->news2[0] : -1;
	e->trend = handover_trend(f->news2, f->nnews2);
	e->away = f->away_since != 0;
	e->alerts_open = f->alerts_open;
	e->alerts_worst = f->alerts_worst;
	handover_doses(f, w, now, e);
	handover_observations(f, w, now, e);
	handover_deadlines(f, w, now, e);
	handover_movements(f, w, now, e);
	qsort(e->items, e->nitems, sizeof e->items[0], handover_item_cmp);
}

/* A shift's name in the API. */
const char *
handover_shift_name(enum handover_shift s)
{
	return handover_shifts[s];
}

/* A shift from its name; -1 if it is none. */
int
handover_shift_parse(const char *name, enum handover_shift *s)
{
	if (strcmp(name, "day") == 0)
		*s = HANDOVER_DAY;
	else if (strcmp(name, "night") == 0)
		*s = HANDOVER_NIGHT;
	else
		return -1;
	return 0;
}

/* A trend's name in the API. */
const char *
handover_trend_name(enum handover_trend t)
{
	return handover_trends[t];
}

/* An item's kind in the API. */
const char *
handover_item_name(enum handover_item_kind k)
{
	return handover_items[k];
}
