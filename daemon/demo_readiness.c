/* The DEMO ward's readiness: the IDTS toolkit part way to going live,
 * owned by DEMO Lee Lead (the IDTS lead) and DEMO Mo Manager, and a duty
 * rota for three weeks whose second Saturday has no competent other
 * beside the nurse, so that the cover check has a gap to show. */
#include <string.h>

#include "calendar.h"
#include "demo.h"
#include "store.h"
#include "store_readiness.h"

#define DEMO_ROTA_DAYS	21

/* Section by section, from 1: G green, A amber, R red. */
static const char demo_statuses[READINESS_SECTIONS + 1] =
    "GGGGGGAGAGGGGAAAAGGGGGGGARGGGGAGGGA";

static const struct {
	int		 number;
	const char	*evidence;
} demo_evidence[] = {
	{ 7, "DEMO: the treatment room's hatch is fitted; privacy screen "
	    "on order" },
	{ 9, "DEMO: two of the four first-night cells have observation "
	    "panels" },
	{ 14, "DEMO: 6 of 8 nurses in post (75%)" },
	{ 15, "DEMO: the rota's second Saturday has no competent other "
	    "beside the nurse" },
	{ 16, "DEMO: 3 of 4 CARAT workers in post (75%)" },
	{ 17, "DEMO: controlled-drug training booked for the night staff" },
	{ 25, "DEMO: CARAT assessments begun; care plans not yet audited" },
	{ 26, "DEMO: no psychosocial groups running yet" },
	{ 31, "DEMO: community teams contacted for half of the arrivals" },
	{ 35, "DEMO: court mornings agreed with the escort contractor, not "
	    "yet releases" },
};

/* The evidence of a section: its own, or that it was signed off. */
static const char *
demo_evidence_of(int number)
{
	size_t	i;

	for (i = 0; i < sizeof demo_evidence / sizeof demo_evidence[0]; i++)
		if (demo_evidence[i].number == number)
			return demo_evidence[i].evidence;
	return "DEMO: signed off at the steering group";
}

/* Every section's status, the workforce's owned by the manager. */
static int
demo_seed_register(struct store *s, int64_t now, const struct staff *lee,
    const struct staff *mo)
{
	static struct store_readiness_row	r;
	const struct staff			*owner;
	int					n;

	for (n = 1; n <= READINESS_SECTIONS; n++) {
		memset(&r, 0, sizeof r);
		r.number = n;
		r.status = demo_statuses[n - 1] == 'G' ? READINESS_GREEN :
		    demo_statuses[n - 1] == 'A' ? READINESS_AMBER :
		    READINESS_RED;
		strcpy(r.evidence, demo_evidence_of(n));
		owner = n >= 12 && n <= 17 ? mo : lee;
		strcpy(r.owner.id, owner->id);
		if (r.status != READINESS_GREEN)
			timefmt_format_date(calendar_add_days(
			    calendar_local_date(now), 28), r.target_date);
		r.at = now;
		strcpy(r.by.id, lee->id);
		if (store_readiness_put(s, &r) != STORE_OK)
			return -1;
	}
	return 0;
}

/* One day's shift, 07:30 to 20:30 (both rounds), with its staff. */
static int
demo_seed_day(struct store *s, struct civil_date day,
    const struct staff *const staff[], int n)
{
	struct store_rota_row	r;
	int			i;

	memset(&r, 0, sizeof r);
	validate_new_uuid(r.shift_id);
	timefmt_format_date(day, r.date);
	strcpy(r.name, "day");
	r.duty.starts = calendar_local_time(day, 7 * 60 + 30);
	r.duty.ends = calendar_local_time(day, 20 * 60 + 30);
	if (store_rota_shift_add(s, &r, 0) != STORE_OK)
		return -1;
	for (i = 0; i < n; i++)
		if (store_rota_staff_add(s, r.shift_id, staff[i]->id) !=
		    STORE_OK)
			return -1;
	return 0;
}

/* The readiness register and three weeks of rota from today: nina and
 * carl every day, priya on weekdays too; the second Saturday nina
 * alone. */
int
demo_seed_readiness(struct store *s, int64_t now, const struct staff *nina,
    const struct staff *carl, const struct staff *priya,
    const struct staff *mo, const struct staff *lee)
{
	const struct staff	*staff[3] = { nina, carl, priya };
	const struct staff	*alone[1] = { nina };
	struct civil_date	 today = calendar_local_date(now), day;
	int			 d, weekend;

	if (demo_seed_register(s, now, lee, mo) == -1)
		return -1;
	for (d = 0; d < DEMO_ROTA_DAYS; d++) {
		day = calendar_add_days(today, d);
		weekend = calendar_weekday(day) == 0 ||
		    calendar_weekday(day) == 6;
		if (d > 7 && d <= 14 && calendar_weekday(day) == 6) {
			if (demo_seed_day(s, day, alone, 1) == -1)
				return -1;
		} else if (demo_seed_day(s, day, staff, weekend ? 2 : 3) == -1)
			return -1;
	}
	return 0;
}
