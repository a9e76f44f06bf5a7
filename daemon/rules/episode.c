/* Drawing a patient's prescriptions into one treatment episode. */
#include <stdio.h>
#include <string.h>

#include "episode.h"

void
episode_begin(struct episode *e)
{
	memset(e, 0, sizeof *e);
}

/* When a prescription ended: stopped, or its end date; EPISODE_OPEN. */
static int64_t
episode_rx_end(const struct episode_rx *rx)
{
	if (rx->stopped_at != 0 && rx->stopped_at < rx->ends_at)
		return rx->stopped_at;
	return rx->ends_at;
}

/* Add a drug's name once, "; " between names. */
static void
episode_add_drug(struct episode *e, const char *drug)
{
	const char	*p = e->drugs;
	size_t		 n = strlen(drug), len = strlen(e->drugs);

	while ((p = strstr(p, drug)) != NULL) {
		if ((p == e->drugs || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ';'))
			return;
		p += n;
	}
	snprintf(e->drugs + len, sizeof e->drugs - len, "%s%s",
	    len > 0 ? "; " : "", drug);
}

/* Add a prescription: the episode starts with the first, ends with the
 * last to end (open while any runs), and its discharge reason is why
 * the last one ended: its stop reason, or its end date come. */
void
episode_add(struct episode *e, const struct episode_rx *rx)
{
	int64_t	end = episode_rx_end(rx);

	if (e->n == 0 || rx->starts_at < e->start)
		e->start = rx->starts_at;
	if (e->n == 0 || end >= e->end) {
		e->end = end;
		snprintf(e->discharge_reason, sizeof e->discharge_reason,
		    "%s", end == EPISODE_OPEN ? "" :
		    rx->stopped_at != 0 && rx->stop_reason != NULL ?
		    rx->stop_reason : "prescription ended");
	}
	episode_add_drug(e, rx->drug);
	e->n++;
}

/* Whether the episode was in treatment some time in [from, to). */
int
episode_overlaps(const struct episode *e, int64_t from, int64_t to)
{
	return e->n > 0 && e->start < to && e->end > from;
}
