/* Tallying the continuity report. */
#include <string.h>

#include "report_continuity.h"

/* Start the report of [from, to] (local dates) as of now: -1 if the
 * period is reversed or too long. */
int
report_continuity_start(struct report_continuity *t, struct civil_date from,
    struct civil_date to, int64_t now)
{
	memset(t, 0, sizeof *t);
	return report_clocks_start(&t->clocks, from, to, now);
}

/* Count a release's follow-up in the state it is in now. */
static void
report_continuity_follow_up(struct report_continuity *t,
    const struct follow_up *f)
{
	const char	*state = follow_up_state(f, t->clocks.now);

	t->with_follow_up++;
	if (strcmp(state, "met") == 0)
		t->follow_up_met++;
	else if (strcmp(state, "not_met") == 0)
		t->follow_up_not_met++;
	else if (strcmp(state, "running") == 0)
		t->follow_up_running++;
	else
		t->follow_up_overdue++;
}

/* Count a row whose instant falls in the period; others are left out. */
int
report_continuity_add(struct report_continuity *t,
    const struct report_continuity_row *row)
{
	if (report_period_day(&t->clocks.period, row->at) == -1)
		return 0;
	switch (row->event) {
	case CONTINUITY_TRANSFER_OUT:
		t->transfers_out++;
		break;
	case CONTINUITY_IMPORT:
		t->imported++;
		break;
	case CONTINUITY_RELEASE:
		t->releases++;
		if (row->follow_up != NULL)
			report_continuity_follow_up(t, row->follow_up);
		break;
	}
	return 0;
}

/* Free what the clocks' tally holds. */
void
report_continuity_free(struct report_continuity *t)
{
	report_clocks_free(&t->clocks);
}
