/* Tallying and adding up compliance counts, and writing them as CSV. */
#include <limits.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Add one set of counts to a sum. */
void
report_add(struct report_counts *sum, const struct report_counts *c)
{
	sum->due += c->due;
	sum->on_time += c->on_time;
	sum->late += c->late;
	sum->missed += c->missed;
	sum->overdue += c->overdue;
	sum->pending += c->pending;
	sum->written_late += c->written_late;
	sum->late_total_ms += c->late_total_ms;
	if (c->late_max_ms > sum->late_max_ms)
		sum->late_max_ms = c->late_max_ms;
}

/* Start a tally of the dues of [from, to) as of now: its local days and
 * the midnights they begin at, found once, so a day across a DST change
 * is 23 or 25 hours long.  -1 if out of memory (or the period is
 * absurdly long); report_tally_free() it either way. */
int
report_tally_start(struct report_tally *t, int64_t from, int64_t to,
    int64_t now)
{
	int64_t	n;
	int	i;

	memset(t, 0, sizeof *t);
	t->now = now;
	t->day0 = calendar_local_date(from);
	n = timefmt_days_from_civil(calendar_local_date(to - 1)) -
	    timefmt_days_from_civil(t->day0) + 1;
	if (n < 1 || n > INT_MAX ||
	    (t->midnight = calloc((size_t)n, sizeof *t->midnight)) == NULL)
		return -1;
	t->ndays = (int)n;
	for (i = 0; i < t->ndays; i++)
		t->midnight[i] = calendar_local_midnight(calendar_add_days(
		    t->day0, i));
	return 0;
}

/* The tree's order.  A patient's id is its first member, so a patient
 * and an id compare alike. */
static int
report_patient_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* A patient's days, the patient added if new; NULL if out of memory. */
static struct report_counts *
report_tally_patient(struct report_tally *t, const char *id)
{
	struct report_patient	**found, **more, *p;

	if ((found = tfind(id, &t->tree, report_patient_cmp)) != NULL)
		return (*found)->day;
	if (t->n == t->cap) {
		if ((more = reallocarray(t->patient, t->cap ? 2 * t->cap : 64,
		    sizeof *more)) == NULL)
			return NULL;
		t->patient = more;
		t->cap = t->cap ? 2 * t->cap : 64;
	}
	if ((p = calloc(1, sizeof *p + (size_t)t->ndays * sizeof p->day[0]))
	    == NULL)
		return NULL;
	strcpy(p->id, id);
	if (tsearch(p, &t->tree, report_patient_cmp) == NULL) {
		free(p);
		return NULL;
	}
	t->patient[t->n++] = p;
	return p->day;
}

/* Count a due in a day's counts as of now: an open one within its grace
 * is pending, not due; one past it is overdue (due, and not met on time,
 * whether or not the scheduler has marked it yet); a late one is as late
 * as it was taken after its due time; a cancelled one (the patient away,
 * or gone) is no one's failure and not counted. */
static void
report_count(struct report_counts *c, const struct report_due *d,
    int64_t now)
{
	int64_t	late;

	switch (d->state) {
	case OBS_DUE_CANCELLED:
		return;
	case OBS_DUE_OPEN:
		if (d->warn_at == 0 || now < d->warn_at) {
			c->pending++;
			return;
		}
		c->overdue++;
		break;
	case OBS_DUE_ON_TIME:
		c->on_time++;
		break;
	case OBS_DUE_MISSED:
		c->missed++;
		break;
	case OBS_DUE_LATE:
		c->late++;
		if (d->taken_at == 0)
			break;
		late = d->taken_at - d->due_at;
		if (late > c->late_max_ms)
			c->late_max_ms = late;
		c->late_total_ms += late;
		break;
	}
	c->due++;
}

/* Count a due on its patient's local day of its due time.  The dues come
 * in time order, so the day only ever moves on.  A due whose patient id
 * is too long to be one is nobody's.  -1 if out of memory. */
int
report_tally_add(struct report_tally *t, const struct report_due *d)
{
	struct report_counts	*days;

	if (strlen(d->patient_id) >= UUID_STR_LEN)
		return 0;
	while (t->day + 1 < t->ndays && d->due_at >= t->midnight[t->day + 1])
		t->day++;
	if ((days = report_tally_patient(t, d->patient_id)) == NULL)
		return -1;
	report_count(&days[t->day], d, t->now);
	return 0;
}

/* Count an observation of the period, taken at taken_at and written up
 * more than REPORT_WRITTEN_LATE_MS after, on its patient's local day of
 * taken_at (the store finds them; they come in any order).  -1 if out of
 * memory. */
int
report_tally_written_late(struct report_tally *t, const char *patient_id,
    int64_t taken_at)
{
	struct report_counts	*days;
	int			 lo = 0, hi = t->ndays, mid;

	if (strlen(patient_id) >= UUID_STR_LEN || taken_at < t->midnight[0])
		return 0;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (taken_at >= t->midnight[mid])
			lo = mid;
		else
			hi = mid;
	}
	if ((days = report_tally_patient(t, patient_id)) == NULL)
		return -1;
	days[lo].written_late++;
	return 0;
}

/* A patient's counts, one for each day of the report, or NULL if they
 * had no due in it. */
const struct report_counts *
report_tally_days(const struct report_tally *t, const char *patient_id)
{
	struct report_patient	**found;

	found = tfind(patient_id, (void *const *)&t->tree, report_patient_cmp);
	return found != NULL ? (*found)->day : NULL;
}

/* Free what a tally holds. */
void
report_tally_free(struct report_tally *t)
{
	tdestroy(t->tree, free);
	free(t->patient);
	free(t->midnight);
	memset(t, 0, sizeof *t);
}

/* The share of dues met on time, in tenths of a percent rounded half up
 * (1000 is all of them), or -1 when nothing was due. */
int
report_on_time_tenths(const struct report_counts *c)
{
	if (c->due == 0)
		return -1;
	return (int)(((int64_t)c->on_time * 2000 + c->due) /
	    (2 * (int64_t)c->due));
}

/* How late a late observation was on average, or 0 with none late. */
int64_t
report_late_mean_ms(const struct report_counts *c)
{
	return c->late == 0 ? 0 : c->late_total_ms / c->late;
}

/* The digits at p: past them. */
static const char *
report_digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

/* Whether a spreadsheet could take a cell for a formula: OWASP's list, a
 * cell beginning with =, +, -, @, a tab or a carriage return.  A cell
 * that is wholly a negative number (-3, -2.5) is read as that number and
 * cannot hold a formula, so it stays a number in the sheet. */
int
report_csv_formula(const char *text)
{
	const char	*p;

	if (text[0] == '\0' || strchr("=+-@\t\r", text[0]) == NULL)
		return 0;
	if (text[0] != '-' || (p = report_digits(text + 1)) == text + 1)
		return 1;
	if (*p == '.' && report_digits(p + 1) != p + 1)
		p = report_digits(p + 1);
	return *p != '\0';
}

/* A CSV field (RFC 4180): as it is, or in double quotes with its quotes
 * doubled when it holds a comma, a quote or a line break; a cell a
 * spreadsheet could take for a formula begins with a single quote, which
 * makes it text.  Returns the length written, or -1 if it does not
 * fit. */
int
report_csv_field(char *out, size_t size, const char *text)
{
	size_t	n = 0;
	int	quote = strpbrk(text, ",\"\r\n") != NULL;

	if (size == 0)
		return -1;
	if (quote) {
		if (n + 1 >= size)
			return -1;
		out[n++] = '"';
	}
	if (report_csv_formula(text)) {
		if (n + 1 >= size)
			return -1;
		out[n++] = '\'';
	}
	for (; *text != '\0'; text++) {
		if (n + (*text == '"' ? 2 : 1) >= size)
			return -1;
		if (*text == '"')
			out[n++] = '"';
		out[n++] = *text;
	}
	if (quote) {
		if (n + 1 >= size)
			return -1;
		out[n++] = '"';
	}
	out[n] = '\0';
	return (int)n;
}
