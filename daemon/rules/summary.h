/* The escort's prescription summary and the discharge letter as plain
 * text for A4, rendered from the summary's JSON (api_summary.c). */
#ifndef IDTSD_SUMMARY_H
#define IDTSD_SUMMARY_H

#include <stdint.h>

#include <jansson.h>

#include "dose.h"
#include "movement.h"
#include "prescription.h"
#include "timefmt.h"

/* A prescription's dose on the escort's day (the local date it departs),
 * as the summary must say it: the escort reads whether the patient had
 * today's dose before leaving, never yesterday's as if it were today's. */
enum summary_today_state {
	SUMMARY_TODAY_NONE,	/* no dose that day */
	SUMMARY_TODAY_GIVEN,
	SUMMARY_TODAY_NOT_GIVEN, /* missed, refused, withheld, away, held */
	SUMMARY_TODAY_TO_COME	/* not given yet: printed before it */
};

struct summary_today {
	enum summary_today_state state;
	int64_t			 due_at;	/* the day's first dose; 0 */
	int64_t			 given_at;	/* when GIVEN */
	enum dose_state		 as;		/* when NOT_GIVEN: how */
	int64_t			 next_due_at;	/* next not given; 0: none */
};

int	summary_includes(const struct prescription *,
	    const struct movement *, int64_t now);
struct civil_date summary_day(const struct movement *);
void	summary_today(const struct dose *doses, size_t n,
	    struct civil_date day, int64_t now, struct summary_today *);
const char *summary_today_name(enum summary_today_state);
char	*summary_render(const json_t *summary);
char	*summary_render_html(const json_t *summary);

#endif
