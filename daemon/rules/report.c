/* Adding up compliance counts, and writing them as CSV. */
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
	sum->pending += c->pending;
	sum->late_total_ms += c->late_total_ms;
	if (c->late_max_ms > sum->late_max_ms)
		sum->late_max_ms = c->late_max_ms;
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

/* A CSV field (RFC 4180): as it is, or in double quotes with its quotes
 * doubled when it holds a comma, a quote or a line break.  Returns the
 * length written, or -1 if it does not fit. */
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
