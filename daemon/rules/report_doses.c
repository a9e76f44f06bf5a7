/* Tallying the dose-round report. */
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "report_doses.h"

/* Add one set of dose counts to a sum. */
void
report_dose_add(struct report_dose_counts *sum,
    const struct report_dose_counts *c)
{
	sum->due += c->due;
	sum->on_time += c->on_time;
	sum->late += c->late;
	sum->refused += c->refused;
	sum->withheld += c->withheld;
	sum->missed += c->missed;
	sum->away += c->away;
	sum->held += c->held;
	sum->pending += c->pending;
	sum->late_total_ms += c->late_total_ms;
	if (c->late_max_ms > sum->late_max_ms)
		sum->late_max_ms = c->late_max_ms;
}

/* Start the report of the local dates from to to as of now: -1 if the
 * period is reversed or too long.  report_doses_free() it either way. */
int
report_doses_start(struct report_doses *t, struct civil_date from,
    struct civil_date to, int64_t now)
{
	memset(t, 0, sizeof *t);
	t->now = now;
	return report_period_start(&t->period, from, to);
}

/* The cells' order: patient, day, round. */
static int
report_dose_cell_cmp(const void *a, const void *b)
{
	const struct report_dose_cell	*x = a, *y = b;
	int				 c;

	c = strcmp(x->patient_id, y->patient_id);
	if (c != 0)
		return c;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->minute > y->minute) - (x->minute < y->minute);
}

/* The cell of a patient's round on a day, added if new; NULL if out of
 * memory. */
static struct report_dose_cell *
report_doses_cell(struct report_doses *t, const char *patient_id, int day,
    int minute)
{
	struct report_dose_cell	 key, **found, **more, *c;

	memset(&key, 0, sizeof key);
	strcpy(key.patient_id, patient_id);
	key.day = day;
	key.minute = minute;
	if ((found = tfind(&key, &t->tree, report_dose_cell_cmp)) != NULL)
		return *found;
	if (t->n == t->cap) {
		if ((more = reallocarray(t->cell, t->cap ? 2 * t->cap : 256,
		    sizeof *more)) == NULL)
			return NULL;
		t->cell = more;
		t->cap = t->cap ? 2 * t->cap : 256;
	}
	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	*c = key;
	if (tsearch(c, &t->tree, report_dose_cell_cmp) == NULL) {
		free(c);
		return NULL;
	}
	t->cell[t->n++] = c;
	return c;
}

/* The unit's counts of a round, the round added if new (in the order
 * met; finish sorts them); NULL past REPORT_MAX_ROUNDS. */
static struct report_dose_counts *
report_doses_round(struct report_doses *t, int minute)
{
	int	i;

	for (i = 0; i < t->nrounds; i++)
		if (t->round[i].minute == minute)
			return &t->round[i].c;
	if (t->nrounds == REPORT_MAX_ROUNDS)
		return NULL;
	t->round[t->nrounds].minute = minute;
	return &t->round[t->nrounds++].c;
}

/* Count one dose: given on time or late (how long after its due time),
 * or what else became of it.  A dose still open whose window has closed
 * by now is missed, whether or not the scheduler has closed it yet; one
 * whose window is still open is pending and not yet due. */
static void
report_dose_count(struct report_dose_counts *c,
    const struct report_dose_row *d, int64_t now)
{
	int64_t	late;

	switch (d->state) {
	case DOSE_SCHEDULED:
	case DOSE_DUE:
		if (now < d->window_end) {
			c->pending++;
			return;
		}
		c->missed++;
		break;
	case DOSE_GIVEN:
		late = d->recorded_at - d->due_at;
		if (late <= REPORT_DOSE_LATE_MS) {
			c->on_time++;
			break;
		}
		c->late++;
		c->late_total_ms += late;
		if (late > c->late_max_ms)
			c->late_max_ms = late;
		break;
	case DOSE_REFUSED:
		c->refused++;
		break;
	case DOSE_WITHHELD:
		c->withheld++;
		break;
	case DOSE_MISSED:
		c->missed++;
		break;
	case DOSE_AWAY:
		c->away++;
		break;
	case DOSE_HELD:
		c->held++;
		break;
	}
	c->due++;
}

/* Count a dose on its patient's round of the local day it was due, and
 * on the unit's day and round.  A dose outside the period, or whose
 * patient id is too long to be one, is not counted.  -1 if out of
 * memory. */
int
report_doses_add(struct report_doses *t, const struct report_dose_row *d)
{
	struct report_dose_counts	 one, *round;
	struct report_dose_cell		*cell;
	int				 day, minute;

	if ((day = report_period_day(&t->period, d->due_at)) == -1 ||
	    strlen(d->patient_id) >= UUID_STR_LEN)
		return 0;
	minute = report_minute_of_day(d->due_at);
	if ((cell = report_doses_cell(t, d->patient_id, day, minute)) == NULL ||
	    (round = report_doses_round(t, minute)) == NULL)
		return -1;
	memset(&one, 0, sizeof one);
	report_dose_count(&one, d, t->now);
	report_dose_add(&cell->c, &one);
	report_dose_add(&t->day[day], &one);
	report_dose_add(round, &one);
	report_dose_add(&t->total, &one);
	return 0;
}

/* Count a hold raised in the period: reviewed (and how long after it was
 * raised) or still open.  -1 if out of memory. */
int
report_doses_hold(struct report_doses *t, const struct report_hold_row *h)
{
	if (report_period_day(&t->period, h->held_at) == -1)
		return 0;
	t->holds_raised++;
	if (h->reviewed_at == 0 || h->reviewed_at > t->now) {
		t->holds_open++;
		return 0;
	}
	return report_durations_add(&t->review, h->reviewed_at - h->held_at);
}

/* qsort(3) over the cells' pointers. */
static int
report_dose_cellp_cmp(const void *a, const void *b)
{
	return report_dose_cell_cmp(*(struct report_dose_cell *const *)a,
	    *(struct report_dose_cell *const *)b);
}

/* qsort(3) over the rounds: by time of day. */
static int
report_dose_round_cmp(const void *a, const void *b)
{
	const struct report_dose_round	*x = a, *y = b;

	return (x->minute > y->minute) - (x->minute < y->minute);
}

/* Put the cells in order (patient, day, round) and the rounds by time of
 * day, once every row is in. */
void
report_doses_finish(struct report_doses *t)
{
	if (t->n > 0)
		qsort(t->cell, t->n, sizeof *t->cell, report_dose_cellp_cmp);
	qsort(t->round, (size_t)t->nrounds, sizeof *t->round,
	    report_dose_round_cmp);
}

/* A patient's cells after finish, by day and round: how many, the first
 * in *first. */
size_t
report_doses_cells(const struct report_doses *t, const char *patient_id,
    struct report_dose_cell *const **first)
{
	size_t	lo = 0, hi = t->n, mid, n;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(t->cell[mid]->patient_id, patient_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (n = 0; lo + n < t->n &&
	    strcmp(t->cell[lo + n]->patient_id, patient_id) == 0; n++)
		continue;
	*first = t->cell + lo;
	return n;
}

/* The share of the doses that could be given (due, less those away or
 * held) that were given, in tenths of a percent rounded half up, or -1
 * when none could. */
int
report_dose_given_tenths(const struct report_dose_counts *c)
{
	int64_t	could = c->due - c->away - c->held;

	if (could <= 0)
		return -1;
	return (int)(((int64_t)(c->on_time + c->late) * 2000 + could) /
	    (2 * could));
}

/* Free what the report holds. */
void
report_doses_free(struct report_doses *t)
{
	tdestroy(t->tree, free);
	free(t->cell);
	report_durations_free(&t->review);
	t->tree = NULL;
	t->cell = NULL;
	t->n = t->cap = 0;
}
