/* The ward board's rows (board.c) in virtual time: an observation due
 * later, now, and overdue past its grace, said in words; the doses of the
 * round open now and of the day, held and away ones left out; open
 * alerts and the worst; a court trip tomorrow across the spring DST day
 * (23 hours long) in Europe/London; and the board's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "board.h"
#include "calendar.h"
#include "timefmt.h"

#define MIN	(60 * 1000LL)

static int64_t
at(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* An open due at due_at, overdue 15 minutes after. */
static struct observation_due
due_at(int64_t t)
{
	struct observation_due	d;

	memset(&d, 0, sizeof d);
	strcpy(d.id, "00000000-0000-4000-8000-000000000001");
	d.due_at = t;
	d.warn_at = t + 15 * MIN;
	d.missed_at = t + 60 * MIN;
	d.state = OBS_DUE_OPEN;
	return d;
}

static void
test_board_obs_words(void **state)
{
	struct observation_due	d = due_at(at("2026-12-08T10:00:00Z"));
	struct board_row	r;

	(void)state;
	board_row_init(&r);
	board_observation(&r, &d, at("2026-12-08T09:20:00Z"));
	assert_int_equal(r.obs, BOARD_OBS_DUE);
	assert_string_equal(r.obs_words, "due in 40 min");
	assert_int_equal(r.obs_due_at, d.due_at);
	assert_int_equal(r.news2, -1);	/* the score is not the due's */

	board_row_init(&r);
	board_observation(&r, &d, at("2026-12-08T10:15:00Z"));
	assert_int_equal(r.obs, BOARD_OBS_DUE);	/* within the grace */
	assert_string_equal(r.obs_words, "due now");

	board_row_init(&r);
	board_observation(&r, &d, at("2026-12-08T10:15:00.001Z"));
	assert_int_equal(r.obs, BOARD_OBS_OVERDUE);
	assert_string_equal(r.obs_words, "overdue by 15 min");

	board_row_init(&r);
	board_observation(&r, &d, at("2026-12-08T11:25:59Z"));
	assert_string_equal(r.obs_words, "overdue by 1 h 25 min");
	board_row_init(&r);
	board_observation(&r, &d, at("2026-12-08T13:00:00Z"));
	assert_string_equal(r.obs_words, "overdue by 3 h");
	board_row_init(&r);
	board_observation(&r, &d, at("2026-12-08T07:59:30Z"));
	assert_string_equal(r.obs_words, "due in 2 h 1 min");	/* rounded up */
}

static void
test_board_obs_none(void **state)
{
	struct observation_due	d = due_at(at("2026-12-08T10:00:00Z"));
	struct board_row	r;

	(void)state;
	board_row_init(&r);
	board_observation(&r, NULL, at("2026-12-08T11:00:00Z"));
	assert_int_equal(r.obs, BOARD_OBS_NONE);
	assert_int_equal(r.news2, -1);
	assert_string_equal(r.band, "");
	assert_string_equal(r.obs_words, "no observations planned");
	assert_int_equal(r.obs_due_at, 0);
	/* A due already met is no longer the patient's next. */
	d.state = OBS_DUE_ON_TIME;
	board_row_init(&r);
	board_observation(&r, &d, at("2026-12-08T11:00:00Z"));
	assert_int_equal(r.obs, BOARD_OBS_NONE);
	/* A last score with no plan (ended, or never begun) is shown. */
	board_score(&r, 0, "low", at("2026-12-08T09:00:00Z"));
	assert_int_equal(r.news2, 0);
	assert_string_equal(r.band, "low");
	assert_int_equal(r.last_taken_at, at("2026-12-08T09:00:00Z"));
	assert_int_equal(r.obs, BOARD_OBS_NONE);
}

static struct dose
dose(const char *due, enum dose_state s)
{
	struct dose	d;

	memset(&d, 0, sizeof d);
	d.due_at = at(due);
	d.window_start = d.due_at - 60 * MIN;
	d.window_end = d.due_at + 120 * MIN;
	d.state = s;
	return d;
}

static void
test_board_doses(void **state)
{
	struct dose		am = dose("2026-12-08T08:00:00Z", DOSE_GIVEN);
	struct dose		pm = dose("2026-12-08T18:00:00Z", DOSE_SCHEDULED);
	struct dose		noon = dose("2026-12-08T12:00:00Z",
				    DOSE_SCHEDULED);
	struct board_row	r;

	(void)state;
	board_row_init(&r);
	board_dose(&r, &am, 0, at("2026-12-08T08:30:00Z"));
	board_dose(&r, &pm, 0, at("2026-12-08T08:30:00Z"));
	assert_int_equal(r.round_due, 1);
	assert_int_equal(r.round_given, 1);
	assert_int_equal(r.day_due, 2);
	assert_int_equal(r.day_given, 1);

	/* Evening: the morning's is out of the round, the evening's open
	 * and not yet given; the noon dose closed untouched is missed. */
	board_row_init(&r);
	board_dose(&r, &am, 0, at("2026-12-08T18:30:00Z"));
	board_dose(&r, &noon, 0, at("2026-12-08T18:30:00Z"));
	board_dose(&r, &pm, 0, at("2026-12-08T18:30:00Z"));
	assert_int_equal(r.round_due, 1);
	assert_int_equal(r.round_given, 0);
	assert_int_equal(r.day_due, 3);
	assert_int_equal(r.day_given, 1);
	assert_int_equal(r.day_not_taken, 1);
	/* Its window's end is not in the round (dose_state_at: missed). */
	board_row_init(&r);
	board_dose(&r, &pm, 0, pm.window_end);
	assert_int_equal(r.round_due, 0);
	assert_int_equal(r.day_not_taken, 1);

	/* Held or away: not the ward's to give, not counted. */
	board_row_init(&r);
	board_dose(&r, &pm, DOSE_RX_HELD, at("2026-12-08T18:30:00Z"));
	board_dose(&r, &noon, DOSE_PATIENT_AWAY, at("2026-12-08T12:30:00Z"));
	assert_int_equal(r.day_due, 0);
	assert_int_equal(r.round_due, 0);
}

static void
test_board_alerts(void **state)
{
	struct alert		a;
	struct board_row	r;

	(void)state;
	board_row_init(&r);
	assert_int_equal(r.alerts_worst, -1);
	memset(&a, 0, sizeof a);
	a.severity = SEVERITY_URGENT;
	board_alert(&r, &a);
	a.severity = SEVERITY_WARNING;
	board_alert(&r, &a);
	a.severity = SEVERITY_EMERGENCY;
	a.acked_at = at("2026-12-08T10:00:00Z");	/* acknowledged */
	board_alert(&r, &a);
	assert_int_equal(r.alerts_open, 2);
	assert_int_equal(r.alerts_worst, SEVERITY_URGENT);
}

/* Tomorrow is [midnight, midnight) local: on 2027-03-27 it is the
 * 23-hour day the clocks go forward. */
static void
test_board_court_tomorrow_dst(void **state)
{
	struct civil_date	 today = { 2027, 3, 27 };
	struct civil_date	 tomorrow = calendar_add_days(today, 1);
	int64_t			 from = calendar_local_midnight(tomorrow);
	int64_t			 to = calendar_local_midnight(
				    calendar_add_days(tomorrow, 1));
	struct movement		 m;
	struct board_row	 r;

	(void)state;
	assert_int_equal(to - from, 23 * 60 * MIN);
	memset(&m, 0, sizeof m);
	m.kind = MOVEMENT_COURT;
	m.state = MOVEMENT_PLANNED;
	/* 23:30 BST on the 28th is 22:30Z: tomorrow. */
	m.departs_at = at("2027-03-28T22:30:00Z");
	board_row_init(&r);
	board_movement(&r, &m, from, to);
	assert_int_equal(r.court_at, m.departs_at);
	/* 00:30 BST on the 29th is 23:30Z on the 28th: not tomorrow. */
	m.departs_at = at("2027-03-28T23:30:00Z");
	board_row_init(&r);
	board_movement(&r, &m, from, to);
	assert_int_equal(r.court_at, 0);
	/* Midnight GMT that began the 28th is tomorrow's first instant. */
	m.departs_at = at("2027-03-28T00:00:00Z");
	board_movement(&r, &m, from, to);
	assert_int_equal(r.court_at, m.departs_at);
	/* A release, or a cancelled trip, is not court. */
	board_row_init(&r);
	m.kind = MOVEMENT_RELEASE;
	board_movement(&r, &m, from, to);
	m.kind = MOVEMENT_COURT;
	m.state = MOVEMENT_CANCELLED;
	board_movement(&r, &m, from, to);
	assert_int_equal(r.court_at, 0);
}

static void
test_board_order(void **state)
{
	struct board_row	a, b;
	struct observation_due	d = due_at(at("2026-12-08T10:00:00Z"));
	struct observation_due	e = due_at(at("2026-12-08T11:00:00Z"));

	(void)state;
	board_row_init(&a);
	board_row_init(&b);
	assert_int_equal(board_compare(&a, &b), 0);
	/* Overdue comes before a higher score of the same level (low) due
	 * later. */
	board_score(&a, 1, "low", 0);
	board_observation(&a, &d, at("2026-12-08T10:30:00Z"));
	board_score(&b, 4, "low", 0);
	board_observation(&b, &e, at("2026-12-08T10:30:00Z"));
	assert_true(board_compare(&a, &b) < 0);
	assert_true(board_compare(&b, &a) > 0);
	/* Neither overdue: the higher score first, then the sooner due. */
	board_row_init(&a);
	board_score(&a, 1, "low", 0);
	board_observation(&a, &d, at("2026-12-08T09:00:00Z"));
	board_row_init(&b);
	board_score(&b, 7, "high", 0);
	board_observation(&b, &e, at("2026-12-08T09:00:00Z"));
	assert_true(board_compare(&b, &a) < 0);
	board_row_init(&b);
	board_score(&b, 1, "low", 0);
	board_observation(&b, &e, at("2026-12-08T09:00:00Z"));
	assert_true(board_compare(&a, &b) < 0);
	/* No plan at all comes after any due. */
	board_row_init(&b);
	b.news2 = 1;
	assert_true(board_compare(&a, &b) < 0);
	assert_string_equal(board_obs_name(BOARD_OBS_OVERDUE), "overdue");
	assert_string_equal(board_obs_name(BOARD_OBS_NONE), "none");
}

/* The trial's board: a NEWS2 16 (an emergency) due later comes before an
 * overdue observation (a warning) with a low score; an urgent score
 * (5-6, or a red 3) before the overdue one too; an open emergency alert
 * counts as an emergency whatever the last score. */
static void
test_board_order_urgency(void **state)
{
	struct board_row	a, b, c;
	struct observation_due	d = due_at(at("2026-12-08T02:00:00Z"));
	struct observation_due	e = due_at(at("2026-12-08T04:00:00Z"));
	struct alert		x;
	int64_t			now = at("2026-12-08T03:59:00Z");

	(void)state;
	board_row_init(&a);	/* D1003AC: overdue, score 1 */
	board_score(&a, 1, "low", 0);
	board_observation(&a, &d, now);
	board_row_init(&b);	/* D1002AB: NEWS2 16, due in a minute */
	board_score(&b, 16, "high", 0);
	board_observation(&b, &e, now);
	assert_int_equal(a.obs, BOARD_OBS_OVERDUE);
	assert_true(board_compare(&b, &a) < 0);
	assert_true(board_compare(&a, &b) > 0);
	board_row_init(&c);	/* urgent: a red 3 */
	board_score(&c, 3, "low_medium", 0);
	board_observation(&c, &e, now);
	assert_true(board_compare(&c, &a) < 0);
	assert_true(board_compare(&b, &c) < 0);
	/* An open emergency alert, last score 0, no plan. */
	board_row_init(&c);
	board_score(&c, 0, "zero", 0);
	memset(&x, 0, sizeof x);
	x.severity = SEVERITY_EMERGENCY;
	board_alert(&c, &x);
	assert_true(board_compare(&c, &a) < 0);
	/* Two emergencies: the higher score first. */
	assert_true(board_compare(&b, &c) < 0);
	/* An open warning alert ranks with an overdue observation; the
	 * overdue one first. */
	board_row_init(&c);
	board_score(&c, 2, "low", 0);
	x.severity = SEVERITY_WARNING;
	board_alert(&c, &x);
	assert_true(board_compare(&a, &c) < 0);
	board_row_init(&b);
	board_score(&b, 2, "low", 0);
	assert_true(board_compare(&c, &b) < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_obs_words),
		cmocka_unit_test(test_board_obs_none),
		cmocka_unit_test(test_board_doses),
		cmocka_unit_test(test_board_alerts),
		cmocka_unit_test(test_board_court_tomorrow_dst),
		cmocka_unit_test(test_board_order),
		cmocka_unit_test(test_board_order_urgency),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
