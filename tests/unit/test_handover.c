/* The handover sheet (issue 17) in virtual time, Europe/London: which
 * shift a sheet is for (a night across midnight, nights across both
 * changes of the clocks, a day asked for in the evening); what falls due
 * for a patient in it: doses (held, with cautions, one carried over),
 * observations at the plan's interval to its end (none at court), clock
 * deadlines inside the shift and after it, a hold to review, court or a
 * release tomorrow; the NEWS2 trend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "handover.h"
#include "timefmt.h"

#define MIN(m)		((int64_t)(m) * MS_PER_MINUTE)
#define HOURS(h)	((int64_t)(h) * MS_PER_HOUR)

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* window_is(shift, now, from, to): the shift a sheet at now is for. */
static void
window_is(enum handover_shift shift, const char *now, const char *from,
    const char *to)
{
	struct handover_window	w;

	handover_window(shift, instant(now), &w);
	if (w.from != instant(from) || w.to != instant(to)) {
		char	a[TIMEFMT_INSTANT_LEN], b[TIMEFMT_INSTANT_LEN];

		timefmt_format_instant(w.from, a);
		timefmt_format_instant(w.to, b);
		fail_msg("%s at %s: want %s to %s, got %s to %s",
		    handover_shift_name(shift), now, from, to, a, b);
	}
	assert_int_equal(w.shift, shift);
}

/* A night across midnight: asked for in the evening, the night ahead; in
 * the small hours, the night in progress; in the morning after it ends,
 * tonight's.  The day asked for after 20:00 is tomorrow's. */
static void
test_window_night(void **state)
{
	struct handover_window	w;

	(void)state;
	window_is(HANDOVER_NIGHT, "2026-12-08T19:45:00Z",
	    "2026-12-08T20:00:00Z", "2026-12-09T08:00:00Z");
	window_is(HANDOVER_NIGHT, "2026-12-09T02:00:00Z",
	    "2026-12-08T20:00:00Z", "2026-12-09T08:00:00Z");
	window_is(HANDOVER_NIGHT, "2026-12-09T08:00:00Z",
	    "2026-12-09T20:00:00Z", "2026-12-10T08:00:00Z");
	window_is(HANDOVER_DAY, "2026-12-08T07:30:00Z",
	    "2026-12-08T08:00:00Z", "2026-12-08T20:00:00Z");
	window_is(HANDOVER_DAY, "2026-12-08T21:00:00Z",
	    "2026-12-09T08:00:00Z", "2026-12-09T20:00:00Z");
	/* New Year's Eve: the night's date is the 31st, tomorrow the 1st. */
	handover_window(HANDOVER_NIGHT, instant("2026-12-31T23:00:00Z"), &w);
	assert_int_equal(w.date.year, 2026);
	assert_int_equal(w.date.day, 31);
}

/* Nights across the changes of the clocks are eleven hours (spring) and
 * thirteen (autumn) long, 20:00 to 08:00 on the wall clock; a summer
 * day is 07:00Z to 19:00Z. */
static void
test_window_dst(void **state)
{
	(void)state;
	window_is(HANDOVER_NIGHT, "2027-03-27T19:00:00Z",
	    "2027-03-27T20:00:00Z", "2027-03-28T07:00:00Z");
	window_is(HANDOVER_NIGHT, "2027-10-30T18:30:00Z",
	    "2027-10-30T19:00:00Z", "2027-10-31T08:00:00Z");
	window_is(HANDOVER_DAY, "2027-07-05T06:30:00Z",
	    "2027-07-05T07:00:00Z", "2027-07-05T19:00:00Z");
}

/* The night of Tue 8 December 2026, 20:00 to 08:00, handed over at
 * 19:45. */
static struct handover_window
night(void)
{
	struct handover_window	w;

	handover_window(HANDOVER_NIGHT, instant("2026-12-08T19:45:00Z"), &w);
	return w;
}

/* The item of a kind at an instant, or a failure. */
static const struct handover_item *
item(const struct handover_entry *e, enum handover_item_kind kind,
    const char *at)
{
	size_t	i;

	for (i = 0; i < e->nitems; i++)
		if (e->items[i].kind == kind && e->items[i].at == instant(at))
			return &e->items[i];
	fail_msg("no %s at %s", handover_item_name(kind), at);
	return NULL;
}

/* Court tomorrow morning (Wednesday 08:30, after the night ends) and a
 * court escort at 07:00 inside the night, both tomorrow; a release the
 * day after is not on the sheet, nor a movement already gone by. */
static void
test_court_tomorrow(void **state)
{
	struct handover_window		w = night();
	struct handover_entry		e;
	struct handover_facts		f;
	struct handover_movement	m[] = {
		{ "m1", "court", 0 }, { "m2", "release", 0 },
		{ "m3", "court", 0 },
	};

	(void)state;
	m[0].departs_at = instant("2026-12-09T08:30:00Z");
	m[1].departs_at = instant("2026-12-10T09:00:00Z");
	m[2].departs_at = instant("2026-12-08T19:00:00Z");
	memset(&f, 0, sizeof f);
	f.movements = m;
	f.nmovements = 3;
	handover_decide(&f, &w, instant("2026-12-08T19:45:00Z"), &e);
	assert_int_equal(e.nitems, 1);
	assert_true(item(&e, HANDOVER_ITEM_MOVEMENT,
	    "2026-12-09T08:30:00Z")->tomorrow);
	assert_true(e.court_tomorrow);
	assert_false(e.release_tomorrow);
	/* A release tomorrow; an escort inside the night, tomorrow. */
	m[1].departs_at = instant("2026-12-09T10:00:00Z");
	m[0].departs_at = instant("2026-12-09T07:00:00Z");
	handover_decide(&f, &w, instant("2026-12-08T19:45:00Z"), &e);
	assert_int_equal(e.nitems, 2);
	assert_true(e.court_tomorrow && e.release_tomorrow);
	assert_string_equal(e.items[0].what, "court");
	assert_string_equal(e.items[1].what, "release");
	/* The day shift of the 8th: the 19:00 escort is in it, not
	 * tomorrow; the 9th is tomorrow, the 10th is not. */
	handover_window(HANDOVER_DAY, instant("2026-12-08T07:45:00Z"), &w);
	m[1].departs_at = instant("2026-12-10T00:30:00Z");
	handover_decide(&f, &w, instant("2026-12-08T07:45:00Z"), &e);
	assert_int_equal(e.nitems, 2);
	assert_false(item(&e, HANDOVER_ITEM_MOVEMENT,
	    "2026-12-08T19:00:00Z")->tomorrow);
	assert_true(e.court_tomorrow);
	assert_false(e.release_tomorrow);
}

/* Clock deadlines: one inside the day shift (14:31) is listed, one after
 * it (tomorrow 02:00) is not, one breached already and not met is carried
 * over as overdue.  A hold waits for its review whenever it began. */
static void
test_clock_deadline(void **state)
{
	struct handover_window	w;
	struct handover_entry	e;
	struct handover_facts	f;
	struct handover_clock	c[] = {
		{ "c1", "treatment_continued", 0 },
		{ "c2", "keyworker_allocated", 0 },
		{ "c3", "treatment_continued", 0 },
	};
	int64_t			held = instant("2026-12-07T09:10:00Z");
	const char		*held_ids[] = { "rx" };
	const struct handover_item *it;

	(void)state;
	c[0].due_at = instant("2026-12-08T14:31:00Z");
	c[1].due_at = instant("2026-12-09T02:00:00Z");
	c[2].due_at = instant("2026-12-08T06:00:00Z");
	handover_window(HANDOVER_DAY, instant("2026-12-08T07:50:00Z"), &w);
	memset(&f, 0, sizeof f);
	f.clocks = c;
	f.nclocks = 3;
	f.held_at = &held;
	f.held_ids = held_ids;
	f.nheld = 1;
	handover_decide(&f, &w, instant("2026-12-08T07:50:00Z"), &e);
	assert_int_equal(e.nitems, 3);
	it = item(&e, HANDOVER_ITEM_CLOCK, "2026-12-08T14:31:00Z");
	assert_string_equal(it->what, "treatment_continued");
	assert_false(it->overdue);
	assert_true(item(&e, HANDOVER_ITEM_CLOCK,
	    "2026-12-08T06:00:00Z")->overdue);
	it = item(&e, HANDOVER_ITEM_HOLD_REVIEW, "2026-12-07T09:10:00Z");
	assert_string_equal(it->id, "rx");
	/* In time order. */
	assert_int_equal(e.items[0].kind, HANDOVER_ITEM_HOLD_REVIEW);
	assert_int_equal(e.items[2].kind, HANDOVER_ITEM_CLOCK);
	assert_true(e.items[2].at == c[0].due_at);
}

/* Doses: those due before the night ends, a held one marked held, one
 * with cautions counted, the one of the morning after left out but for
 * a court morning's, due at 08:00 and given from 07:00. */
static void
test_doses(void **state)
{
	struct handover_window	w = night();
	struct handover_entry	e;
	struct handover_facts	f;
	struct handover_dose	d[] = {
		{ "d1", 0, 0, 0, 2 }, { "d2", 0, 0, 1, 0 },
		{ "d3", 0, 0, 0, 0 }, { "d4", 0, 0, 0, 0 },
	};

	(void)state;
	d[0].due_at = instant("2026-12-08T22:00:00Z");
	d[1].due_at = instant("2026-12-09T07:30:00Z");
	d[2].due_at = instant("2026-12-09T09:00:00Z");
	d[3].due_at = instant("2026-12-09T08:00:00Z");
	d[0].window_start = d[0].due_at - HOURS(1);
	d[1].window_start = d[1].due_at - HOURS(1);
	d[2].window_start = d[2].due_at - HOURS(1);
	d[3].window_start = d[3].due_at - HOURS(1);
	memset(&f, 0, sizeof f);
	f.doses = d;
	f.ndoses = 4;
	handover_decide(&f, &w, instant("2026-12-08T19:45:00Z"), &e);
	assert_int_equal(e.nitems, 3);
	assert_string_equal(item(&e, HANDOVER_ITEM_DOSE,
	    "2026-12-09T08:00:00Z")->id, "d4");
	assert_int_equal(item(&e, HANDOVER_ITEM_DOSE,
	    "2026-12-08T22:00:00Z")->ncautions, 2);
	assert_true(item(&e, HANDOVER_ITEM_DOSE,
	    "2026-12-09T07:30:00Z")->held);
	assert_int_equal(e.cautions, 1);
}

/* Observations: every four hours from 21:40 (three in the night); an
 * overdue one at 19:00 every hour (it and the twelve of the night); a
 * plan ending at 02:00 (two); none at court. */
static void
test_observations(void **state)
{
	struct handover_window	w = night();
	struct handover_entry	e;
	struct handover_facts	f;
	const struct handover_item *it;
	int			news2[] = { 3, 1, 1 };

	(void)state;
	memset(&f, 0, sizeof f);
	f.plan_running = 1;
	f.obs_next_due = instant("2026-12-08T21:40:00Z");
	f.obs_interval_ms = HOURS(4);
	f.plan_ends_at = instant("2026-12-10T03:31:00Z");
	f.news2 = news2;
	f.nnews2 = 3;
	handover_decide(&f, &w, instant("2026-12-08T19:45:00Z"), &e);
	it = item(&e, HANDOVER_ITEM_OBSERVATIONS, "2026-12-08T21:40:00Z");
	assert_int_equal(it->count, 3);
	assert_true(it->every_ms == HOURS(4));
	assert_int_equal(e.news2_last, 3);
	assert_int_equal(e.trend, HANDOVER_TREND_RISING);

	f.obs_next_due = instant("2026-12-08T19:00:00Z");
	f.obs_interval_ms = HOURS(1);
	handover_decide(&f, &w, instant("2026-12-08T19:45:00Z"), &e);
	it = item(&e, HANDOVER_ITEM_OBSERVATIONS, "2026-12-08T19:00:00Z");
	assert_true(it->overdue);
	assert_int_equal(it->count, 13);

	f.obs_next_due = instant("2026-12-08T21:40:00Z");
	f.obs_interval_ms = HOURS(4);
	f.plan_ends_at = instant("2026-12-09T02:00:00Z");
	handover_decide(&f, &w, instant("2026-12-08T19:45:00Z"), &e);
	assert_int_equal(item(&e, HANDOVER_ITEM_OBSERVATIONS,
	    "2026-12-08T21:40:00Z")->count, 2);

	f.away_since = instant("2026-12-08T08:01:00Z");
	f.obs_next_due = 0;
	handover_decide(&f, &w, instant("2026-12-08T19:45:00Z"), &e);
	assert_int_equal(e.nitems, 0);
	assert_true(e.away);
}

/* The night in progress, asked for at 03:59 (the trial's sheet): what is
 * past due at now is marked so whichever shift is asked for (a clock
 * deadline at 03:00 breached, an observation due at 03:30 overdue, a
 * dose at 02:00 still open), what is due later is not; a transfer at
 * 06:00 today is not tomorrow, a release on the 9th is (tomorrow is the
 * local day after today's date at now, not after the shift's start).
 * Winter (GMT) and summer (BST, 03:59 local is 02:59Z). */
static void
test_in_progress(void **state)
{
	static const char *const when[2][8] = {
		{ "2026-12-08T03:59:00Z", "2026-12-08T03:00:00Z",
		  "2026-12-08T05:00:00Z", "2026-12-08T03:30:00Z",
		  "2026-12-08T02:00:00Z", "2026-12-08T06:00:00Z",
		  "2026-12-09T10:00:00Z", "2026-12-07T20:00:00Z" },
		{ "2026-07-08T02:59:00Z", "2026-07-08T02:00:00Z",
		  "2026-07-08T04:00:00Z", "2026-07-08T02:30:00Z",
		  "2026-07-08T01:00:00Z", "2026-07-08T05:00:00Z",
		  "2026-07-09T09:00:00Z", "2026-07-07T19:00:00Z" },
	};
	struct handover_window		w;
	struct handover_entry		e;
	struct handover_facts		f;
	struct handover_clock		c[] = {
		{ "c1", "treatment_continued", 0 },
		{ "c2", "treatment_continued", 0 },
	};
	struct handover_dose		d[] = { { "d1", 0, 0, 0, 0 } };
	struct handover_movement	m[] = {
		{ "m1", "transfer", 0 }, { "m2", "release", 0 },
	};
	int64_t				now;
	int				i;

	(void)state;
	for (i = 0; i < 2; i++) {
		now = instant(when[i][0]);
		handover_window(HANDOVER_NIGHT, now, &w);
		assert_true(w.from == instant(when[i][7]));
		c[0].due_at = instant(when[i][1]);
		c[1].due_at = instant(when[i][2]);
		d[0].due_at = instant(when[i][4]);
		d[0].window_start = d[0].due_at - HOURS(1);
		m[0].departs_at = instant(when[i][5]);
		m[1].departs_at = instant(when[i][6]);
		memset(&f, 0, sizeof f);
		f.clocks = c;
		f.nclocks = 2;
		f.doses = d;
		f.ndoses = 1;
		f.movements = m;
		f.nmovements = 2;
		f.plan_running = 1;
		f.obs_next_due = instant(when[i][3]);
		f.obs_interval_ms = HOURS(4);
		f.plan_ends_at = instant(when[i][6]);
		handover_decide(&f, &w, now, &e);
		assert_true(item(&e, HANDOVER_ITEM_CLOCK, when[i][1])->overdue);
		assert_false(item(&e, HANDOVER_ITEM_CLOCK,
		    when[i][2])->overdue);
		assert_true(item(&e, HANDOVER_ITEM_OBSERVATIONS,
		    when[i][3])->overdue);
		assert_true(item(&e, HANDOVER_ITEM_DOSE, when[i][4])->overdue);
		assert_false(item(&e, HANDOVER_ITEM_MOVEMENT,
		    when[i][5])->tomorrow);
		assert_true(item(&e, HANDOVER_ITEM_MOVEMENT,
		    when[i][6])->tomorrow);
		assert_false(e.court_tomorrow);
		assert_true(e.release_tomorrow);
		assert_int_equal(e.nitems, 6);
	}
}

/* The trend: the newest score against the one before. */
static void
test_trend(void **state)
{
	int	up[] = { 5, 2 }, down[] = { 1, 4, 0 }, flat[] = { 2, 2 };

	(void)state;
	assert_int_equal(handover_trend(up, 0), HANDOVER_TREND_NONE);
	assert_int_equal(handover_trend(up, 1), HANDOVER_TREND_NONE);
	assert_int_equal(handover_trend(up, 2), HANDOVER_TREND_RISING);
	assert_int_equal(handover_trend(down, 3), HANDOVER_TREND_FALLING);
	assert_int_equal(handover_trend(flat, 2), HANDOVER_TREND_STEADY);
	assert_string_equal(handover_trend_name(HANDOVER_TREND_RISING),
	    "rising");
}

/* Shift names. */
static void
test_names(void **state)
{
	enum handover_shift	s;

	(void)state;
	assert_int_equal(handover_shift_parse("night", &s), 0);
	assert_int_equal(s, HANDOVER_NIGHT);
	assert_int_equal(handover_shift_parse("day", &s), 0);
	assert_int_equal(s, HANDOVER_DAY);
	assert_int_equal(handover_shift_parse("Night", &s), -1);
	assert_int_equal(handover_shift_parse("", &s), -1);
	assert_string_equal(handover_shift_name(HANDOVER_NIGHT), "night");
	/* By default the shift about to start. */
	assert_int_equal(handover_next_shift(instant("2026-12-08T07:59:00Z")),
	    HANDOVER_DAY);
	assert_int_equal(handover_next_shift(instant("2026-12-08T08:00:00Z")),
	    HANDOVER_NIGHT);
	assert_int_equal(handover_next_shift(instant("2027-07-05T18:59:00Z")),
	    HANDOVER_NIGHT);
	assert_int_equal(handover_next_shift(instant("2027-07-05T19:00:00Z")),
	    HANDOVER_DAY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_night),
		cmocka_unit_test(test_window_dst),
		cmocka_unit_test(test_court_tomorrow),
		cmocka_unit_test(test_clock_deadline),
		cmocka_unit_test(test_doses),
		cmocka_unit_test(test_observations),
		cmocka_unit_test(test_in_progress),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_names),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
