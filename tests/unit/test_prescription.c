/* Prescriptions: round times and regimens as people write them, every
 * refusal of prescription_check, the dose on a date under reducing steps,
 * the dose days, the state a prescription is in, the doses it asks for
 * laid out over days, weeks and both DST changes in Europe/London, with
 * the exact instants written out, and the instant its doses end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "prescription.h"

static struct civil_date
date(const char *s)
{
	struct civil_date	d;

	assert_int_equal(timefmt_parse_date(s, &d), 0);
	return d;
}

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* A valid maintenance prescription: 60 ml at 08:00 every day from start. */
static void
maintenance(struct prescription *p, const char *start)
{
	memset(p, 0, sizeof *p);
	p->regimen = REGIMEN_MAINTENANCE;
	p->dose = 60000;
	p->times[0] = 8 * 60;
	p->ntimes = 1;
	p->every_days = 1;
	p->start = date(start);
}

/* A valid reducing regimen: 60 ml, then 45 ml, 30 ml and 0 (the end). */
static void
reducing(struct prescription *p, const char *start, const char *s1,
    const char *s2, const char *s3)
{
	maintenance(p, start);
	p->regimen = REGIMEN_REDUCING;
	p->steps[0] = (struct prescription_step){ date(s1), 45000 };
	p->steps[1] = (struct prescription_step){ date(s2), 30000 };
	p->steps[2] = (struct prescription_step){ date(s3), 0 };
	p->nsteps = 3;
}

static void
test_time_parse_format(void **state)
{
	static const struct {
		const char	*s;
		int		 minute;	/* -1: refused */
	} cases[] = {
		{ "00:00", 0 }, { "08:00", 480 }, { "12:30", 750 },
		{ "20:00", 1200 }, { "23:59", 1439 }, { "09:05", 545 },
		{ "24:00", -1 }, { "29:00", -1 }, { "30:00", -1 },
		{ "08:60", -1 }, { "08:99", -1 }, { "8:00", -1 },
		{ "08:0", -1 }, { "08:000", -1 }, { "008:00", -1 },
		{ "08-00", -1 }, { "0800", -1 }, { "", -1 }, { "ab:cd", -1 },
		{ " 8:00", -1 }, { "08:00 ", -1 }, { "-1:00", -1 },
		{ "08:0a", -1 }, { "0a:00", -1 },
	};
	char	buf[6], want[6];
	size_t	i;
	int	m;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		m = -7;
		if (cases[i].minute < 0) {
			if (prescription_time_parse(cases[i].s, &m) != -1)
				fail_msg("\"%s\" accepted as %d", cases[i].s, m);
			continue;
		}
		if (prescription_time_parse(cases[i].s, &m) != 0 ||
		    m != cases[i].minute)
			fail_msg("\"%s\": got %d, expected %d", cases[i].s, m,
			    cases[i].minute);
	}
	/* Every minute of the day formats and parses back. */
	for (i = 0; i < 24 * 60; i++) {
		snprintf(want, sizeof want, "%02zu:%02zu", i / 60, i % 60);
		prescription_time_format((int)i, buf);
		assert_string_equal(buf, want);
		assert_int_equal(prescription_time_parse(buf, &m), 0);
		assert_int_equal(m, (int)i);
	}
	prescription_time_format(24 * 60 + 5, buf);	/* wraps */
	assert_string_equal(buf, "00:05");
}

static void
test_regimen_parse(void **state)
{
	enum regimen	r = REGIMEN_REDUCING;

	(void)state;
	assert_int_equal(prescription_regimen_parse("maintenance", &r), 0);
	assert_int_equal(r, REGIMEN_MAINTENANCE);
	assert_int_equal(prescription_regimen_parse("reducing", &r), 0);
	assert_int_equal(r, REGIMEN_REDUCING);
	assert_string_equal(prescription_regimen_name(REGIMEN_MAINTENANCE),
	    "maintenance");
	assert_string_equal(prescription_regimen_name(REGIMEN_REDUCING),
	    "reducing");
	assert_int_equal(prescription_regimen_parse("Reducing", &r), -1);
	assert_int_equal(prescription_regimen_parse("detox", &r), -1);
	assert_int_equal(prescription_regimen_parse("", &r), -1);
	assert_int_equal(prescription_regimen_parse("reducing ", &r), -1);
	assert_int_equal(r, REGIMEN_REDUCING);	/* untouched when refused */
}

/* prescription_check: the code, and that it is a rule (422), not a state
 * conflict.  A failure names the caller's line. */
static void
refused_at(const struct prescription *p, const char *today, const char *code,
    int line)
{
	struct refusal	why = { "unset", "unset", 7 };

	if (prescription_check(p, date(today), &why) != -1)
		fail_msg("line %d: expected %s, got accepted", line, code);
	if (strcmp(why.code, code) != 0)
		fail_msg("line %d: expected %s, got %s", line, code, why.code);
	assert_int_equal(why.conflict, 0);
	assert_non_null(why.message);
	assert_true(strlen(why.message) > 10);
}

static void
accepted_at(const struct prescription *p, const char *today, int line)
{
	struct refusal	why = { "unset", "unset", 7 };

	if (prescription_check(p, date(today), &why) != 0)
		fail_msg("line %d: refused: %s", line, why.code);
}

#define refused(p, today, code)	refused_at((p), (today), (code), __LINE__)
#define accepted(p, today)	accepted_at((p), (today), __LINE__)

static void
test_check_dose_times_days(void **state)
{
	struct prescription	p;
	int			i;

	(void)state;
	maintenance(&p, "2026-03-10");
	accepted(&p, "2026-03-10");

	p.dose = 0;
	refused(&p, "2026-03-10", "invalid_dose");
	p.dose = -1000;
	refused(&p, "2026-03-10", "invalid_dose");
	p.dose = 1;				/* a thousandth */
	accepted(&p, "2026-03-10");

	maintenance(&p, "2026-03-10");
	p.ntimes = 0;
	refused(&p, "2026-03-10", "invalid_times");
	p.ntimes = -1;
	refused(&p, "2026-03-10", "invalid_times");
	for (i = 0; i < PRESCRIPTION_MAX_TIMES; i++)
		p.times[i] = 6 * 60 + i * 120;	/* 06:00 .. 20:00 */
	p.ntimes = PRESCRIPTION_MAX_TIMES;
	accepted(&p, "2026-03-10");
	p.ntimes = PRESCRIPTION_MAX_TIMES + 1;
	refused(&p, "2026-03-10", "invalid_times");

	maintenance(&p, "2026-03-10");
	p.times[0] = 20 * 60;			/* unordered */
	p.times[1] = 8 * 60;
	p.ntimes = 2;
	refused(&p, "2026-03-10", "invalid_times");
	p.times[1] = 20 * 60;			/* duplicate */
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = 8 * 60;			/* 08:00, 20:00 */
	accepted(&p, "2026-03-10");
	p.times[2] = 14 * 60;			/* 08:00, 20:00, 14:00 */
	p.ntimes = 3;
	refused(&p, "2026-03-10", "invalid_times");
	p.times[2] = 20 * 60;			/* 08:00, 20:00, 20:00 */
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = 0;				/* 00:00, 20:00, 23:59 */
	p.times[2] = 23 * 60 + 59;
	accepted(&p, "2026-03-10");

	/* A round time is a minute of the day, 0 (00:00) to 1439 (23:59):
	 * not before, not after, even when the times are in order. */
	maintenance(&p, "2026-03-10");
	p.times[0] = -1;
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = 24 * 60;			/* "24:00" */
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = 24 * 60 + 8 * 60;		/* 08:00 the next day */
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = -8 * 60;
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = 0;
	accepted(&p, "2026-03-10");
	p.times[0] = 24 * 60 - 1;
	accepted(&p, "2026-03-10");
	p.times[0] = 8 * 60;			/* 08:00, 24:00 */
	p.times[1] = 24 * 60;
	p.ntimes = 2;
	refused(&p, "2026-03-10", "invalid_times");
	p.times[1] = 24 * 60 + 30;		/* 08:00, "24:30" */
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = -30;			/* "-00:30", 08:00 */
	p.times[1] = 8 * 60;
	refused(&p, "2026-03-10", "invalid_times");
	p.times[0] = 0;				/* 00:00, 08:00, 23:59, 24:00 */
	p.times[2] = 24 * 60 - 1;
	p.times[3] = 24 * 60;
	p.ntimes = 4;
	refused(&p, "2026-03-10", "invalid_times");
	p.ntimes = 3;
	accepted(&p, "2026-03-10");

	maintenance(&p, "2026-03-10");
	p.every_days = 0;
	refused(&p, "2026-03-10", "invalid_every_days");
	p.every_days = -7;
	refused(&p, "2026-03-10", "invalid_every_days");
	p.every_days = PRESCRIPTION_MAX_EVERY_DAYS + 1;
	refused(&p, "2026-03-10", "invalid_every_days");
	p.every_days = PRESCRIPTION_MAX_EVERY_DAYS;
	accepted(&p, "2026-03-10");
	p.every_days = 7;
	accepted(&p, "2026-03-10");

	/* The first failing rule is the one reported. */
	maintenance(&p, "2026-03-01");
	p.dose = 0;
	p.ntimes = 0;
	p.every_days = 0;
	refused(&p, "2026-03-10", "invalid_dose");
	p.dose = 1000;
	refused(&p, "2026-03-10", "invalid_times");
	p.ntimes = 1;
	refused(&p, "2026-03-10", "invalid_every_days");
	p.every_days = 1;
	refused(&p, "2026-03-10", "start_date_past");
}

/* prescription_check_times_apart: 0, or round_times_too_close as a rule
 * (422), not a state conflict.  A failure names the caller's line. */
static void
apart_at(const struct prescription *p, int64_t window_ms, int ok, int line)
{
	struct refusal	why = { "unset", "unset", 7 };
	int		r = prescription_check_times_apart(p, window_ms, &why);

	if (ok) {
		if (r != 0)
			fail_msg("line %d: refused: %s", line, why.code);
		return;
	}
	if (r != -1)
		fail_msg("line %d: expected round_times_too_close, got "
		    "accepted", line);
	if (strcmp(why.code, "round_times_too_close") != 0)
		fail_msg("line %d: expected round_times_too_close, got %s",
		    line, why.code);
	assert_int_equal(why.conflict, 0);
	assert_non_null(why.message);
	assert_true(strlen(why.message) > 10);
}

#define apart(p, window)	apart_at((p), (window), 1, __LINE__)
#define too_close(p, window)	apart_at((p), (window), 0, __LINE__)

/* Round times as "HH:MM" strings, in order, every every_days days, for
 * ten days of March when the clocks do not change (the nights they do are
 * test_check_times_apart_dst's). */
static void
rounds(struct prescription *p, int every_days, int n, ...)
{
	va_list	ap;
	int	i;

	maintenance(p, "2026-03-10");
	p->has_end = 1;
	p->end = date("2026-03-19");
	p->every_days = every_days;
	p->ntimes = n;
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_int_equal(prescription_time_parse(va_arg(ap,
		    const char *), &p->times[i]), 0);
	va_end(ap);
}

/* The hold on a prescription: the Nth dose not taken holds it at that
 * instant, a review lifts it and starts from zero; a review of one not
 * held, or stopped, is a state conflict and changes nothing. */
static void
test_hold_and_review(void **state)
{
	const int64_t		t = 1805000000000;	/* 2027-03-14 */
	struct prescription	p;
	struct refusal		why;
	int			i;

	(void)state;
	maintenance(&p, "2027-03-10");
	assert_int_equal(prescription_review(&p, t, &why), -1);
	assert_string_equal(why.code, "not_held");
	assert_int_equal(why.conflict, 1);
	for (i = 1; i <= 3; i++)
		assert_int_equal(prescription_hold_event(&p,
		    DOSE_HOLD_NOT_TAKEN, t + i, 3).held_now, i == 3);
	assert_true(p.held_at == t + 3);
	assert_int_equal(p.not_taken_run, 3);
	assert_string_equal(prescription_state(&p, date("2027-03-14")),
	    "held");
	assert_int_equal(prescription_hold_event(&p, DOSE_HOLD_TAKEN, t + 4,
	    3).changed, 1);
	assert_int_equal(p.not_taken_run, 0);
	assert_true(p.held_at == t + 3);		/* till the review */
	assert_int_equal(prescription_review(&p, t + 5, &why), 0);
	assert_int_equal(p.held_at, 0);
	assert_int_equal(p.not_taken_run, 0);
	assert_string_equal(prescription_state(&p, date("2027-03-14")),
	    "active");
	p.held_at = t;
	p.stopped_at = t + 6;
	assert_int_equal(prescription_review(&p, t + 7, &why), -1);
	assert_string_equal(why.code, "already_stopped");
	assert_true(p.held_at == t);
}

/* rx_times: a daily prescription from start at two round times. */
static void
rx_times(struct prescription *p, const char *start, const char *a,
    const char *b)
{
	maintenance(p, start);
	p->ntimes = 2;
	assert_int_equal(prescription_time_parse(a, &p->times[0]), 0);
	assert_int_equal(prescription_time_parse(b, &p->times[1]), 0);
}

/* Round times checked in instants on each dose day (issue 22, defect
 * 2): 00:30 and 03:30 are 3 h apart on the clock face but 2 h on Sunday
 * 28 March 2027, when 01:00 GMT becomes 02:00 BST; in the autumn the
 * night is longer and nothing comes closer.  The night counts if it is a
 * dose day within the year ahead, whether the prescription starts before
 * it or a year before the next. */
static void
test_check_times_apart_dst(void **state)
{
	const int64_t		w = 3 * MS_PER_HOUR;
	struct prescription	p;

	(void)state;
	rx_times(&p, "2027-03-27", "00:30", "03:30");
	too_close(&p, w);				/* the issue's */
	apart(&p, 2 * MS_PER_HOUR);			/* exactly */
	too_close(&p, 2 * MS_PER_HOUR + 1);
	p.has_end = 1;
	p.end = date("2027-03-27");			/* before the night */
	apart(&p, w);
	p.end = date("2027-03-28");			/* the night itself */
	too_close(&p, w);
	p.has_end = 0;
	p.every_days = 2;				/* 27, 29 March ... */
	apart(&p, w);
	p.every_days = 3;				/* 27, 30 March ... */
	apart(&p, w);
	rx_times(&p, "2027-03-28", "00:30", "03:30");	/* the night first */
	too_close(&p, w);
	rx_times(&p, "2027-03-29", "00:30", "03:30");	/* 26 March 2028 */
	too_close(&p, w);
	p.has_end = 1;
	p.end = date("2028-03-25");
	apart(&p, w);
	/* The autumn night, 31 October 2027: 00:30 BST to 03:30 GMT is 4 h,
	 * 01:30 (its first occurrence) to 03:30 is 3 h. */
	rx_times(&p, "2027-10-01", "00:30", "03:30");
	p.has_end = 1;
	p.end = date("2027-12-31");
	apart(&p, w);
	rx_times(&p, "2027-10-01", "01:30", "03:30");
	p.has_end = 1;
	p.end = date("2027-12-31");
	apart(&p, 2 * MS_PER_HOUR);
	too_close(&p, 2 * MS_PER_HOUR + 1);
	/* The wrap over the spring night: 22:00 GMT on the 27th to 01:30
	 * (02:30 BST, 01:30 UTC) on the 28th is 3 h 30, on other nights
	 * 3 h 30 too; 23:00 to 02:00 (03:00 BST) is 3 h. */
	rx_times(&p, "2027-03-20", "01:30", "22:00");
	apart(&p, 3 * MS_PER_HOUR + 30 * MS_PER_MINUTE);
	too_close(&p, 3 * MS_PER_HOUR + 30 * MS_PER_MINUTE + 1);
	/* Two times the gap moves onto one instant: 01:30 and 02:30 are
	 * both 02:30 BST that night, no window apart at all. */
	rx_times(&p, "2027-03-20", "01:30", "02:30");
	apart(&p, 0);
	too_close(&p, 1);
	p.has_end = 1;
	p.end = date("2027-03-27");
	apart(&p, MS_PER_HOUR);
}

/* Consecutive round times at least a window apart, exactly a window
 * passing; daily times wrap round midnight to the first time of the next
 * day, times every 2 or more days do not. */
static void
test_check_times_apart(void **state)
{
	const int64_t		w = 3 * MS_PER_HOUR;
	struct prescription	p;
	int			i, every;

	(void)state;
	/* One time always passes, whatever the window: no pair, and no
	 * wrap onto itself. */
	for (every = 1; every <= 2; every++) {
		rounds(&p, every, 1, "08:00");
		apart(&p, w);
		apart(&p, 24 * MS_PER_HOUR);
		apart(&p, 24 * MS_PER_HOUR + 1);
		apart(&p, 30 * MS_PER_DAY);
		rounds(&p, every, 1, "00:00");
		apart(&p, 48 * MS_PER_HOUR);
		rounds(&p, every, 1, "23:59");
		apart(&p, 48 * MS_PER_HOUR);
	}

	/* The gap between two times, to the millisecond of the window. */
	for (every = 1; every <= 2; every++) {
		rounds(&p, every, 2, "08:00", "11:00");
		apart(&p, w);				/* exactly */
		apart(&p, w - 1);
		too_close(&p, w + 1);
		rounds(&p, every, 2, "08:00", "10:59");
		too_close(&p, w);
		apart(&p, w - MS_PER_MINUTE);		/* exactly */
		too_close(&p, w - MS_PER_MINUTE + 1);
		rounds(&p, every, 2, "08:00", "08:01");
		too_close(&p, w);
		apart(&p, MS_PER_MINUTE);
		apart(&p, 0);
	}

	/* The wrap: 22:00 to 00:59 the next day is 2 h 59 apart. */
	rounds(&p, 1, 2, "00:59", "22:00");		/* 21 h 01 apart */
	too_close(&p, w);
	apart(&p, w - MS_PER_MINUTE);			/* exactly */
	too_close(&p, w - MS_PER_MINUTE + 1);
	for (every = 2; every <= PRESCRIPTION_MAX_EVERY_DAYS; every++) {
		p.every_days = every;
		apart(&p, w);
		apart(&p, 21 * MS_PER_HOUR + MS_PER_MINUTE);	/* exactly */
		too_close(&p, 21 * MS_PER_HOUR + MS_PER_MINUTE + 1);
	}
	/* 21:00 to 00:00: exactly 3 h passes; 21:01 to 00:00 does not. */
	rounds(&p, 1, 2, "00:00", "21:00");
	apart(&p, w);
	too_close(&p, w + 1);
	rounds(&p, 1, 2, "00:00", "21:01");
	too_close(&p, w);
	rounds(&p, 2, 2, "00:00", "21:01");
	apart(&p, w);
	/* 23:59 to 00:00 the next day: a minute. */
	rounds(&p, 1, 2, "00:00", "23:59");
	too_close(&p, w);
	apart(&p, MS_PER_MINUTE);
	too_close(&p, MS_PER_MINUTE + 1);
	rounds(&p, 7, 2, "00:00", "23:59");
	apart(&p, w);
	/* 08:00 and 20:00 daily, 12 h each way; 20:01 makes the wrap 11 h
	 * 59, which only a daily prescription has. */
	rounds(&p, 1, 2, "08:00", "20:00");
	apart(&p, 12 * MS_PER_HOUR);
	too_close(&p, 12 * MS_PER_HOUR + 1);
	rounds(&p, 1, 2, "08:00", "20:01");
	too_close(&p, 12 * MS_PER_HOUR);
	apart(&p, 11 * MS_PER_HOUR + 59 * MS_PER_MINUTE);
	p.every_days = 2;
	apart(&p, 12 * MS_PER_HOUR);
	too_close(&p, 12 * MS_PER_HOUR + MS_PER_MINUTE + 1);

	/* Any pair, not only the first: each one close in turn. */
	rounds(&p, 1, 3, "08:00", "12:00", "16:00");
	apart(&p, w);
	apart(&p, 4 * MS_PER_HOUR);
	too_close(&p, 4 * MS_PER_HOUR + 1);
	rounds(&p, 1, 3, "08:00", "10:59", "16:00");	/* the first */
	too_close(&p, w);
	rounds(&p, 1, 3, "08:00", "13:00", "15:59");	/* the second */
	too_close(&p, w);
	p.every_days = 3;
	too_close(&p, w);
	rounds(&p, 1, 3, "02:00", "12:00", "23:01");	/* the wrap */
	too_close(&p, w);
	p.every_days = 2;
	apart(&p, w);

	/* Eight rounds 3 h apart, 00:00 to 21:00: every gap and the wrap
	 * exactly 3 h. */
	maintenance(&p, "2026-03-10");
	p.has_end = 1;
	p.end = date("2026-03-19");
	for (i = 0; i < PRESCRIPTION_MAX_TIMES; i++)
		p.times[i] = i * 3 * 60;
	p.ntimes = PRESCRIPTION_MAX_TIMES;
	apart(&p, w);
	too_close(&p, w + 1);
	/* Each time in turn a minute later: the gap before it 3 h 01, the
	 * one after it 2 h 59 (for the last, the wrap). */
	for (i = 1; i < PRESCRIPTION_MAX_TIMES; i++) {
		p.times[i] += 1;
		p.every_days = 1;
		too_close(&p, w);
		apart(&p, w - MS_PER_MINUTE);
		p.every_days = 2;
		if (i == PRESCRIPTION_MAX_TIMES - 1)
			apart(&p, w);		/* only the wrap was close */
		else
			too_close(&p, w);
		p.times[i] -= 1;
	}
	/* Only the wrap close, every pair within the day 4 h or more. */
	rounds(&p, 1, 6, "01:00", "05:00", "09:00", "13:00", "17:00",
	    "22:30");
	too_close(&p, w);
	apart(&p, 2 * MS_PER_HOUR + 30 * MS_PER_MINUTE);
	p.every_days = 2;
	apart(&p, 4 * MS_PER_HOUR);
	too_close(&p, 4 * MS_PER_HOUR + 1);

	/* A window of no length refuses nothing. */
	rounds(&p, 1, 3, "08:00", "08:01", "08:02");
	apart(&p, 0);
}

static void
test_check_dates(void **state)
{
	struct prescription	p;

	(void)state;
	maintenance(&p, "2026-03-09");
	refused(&p, "2026-03-10", "start_date_past");
	maintenance(&p, "2025-12-31");
	refused(&p, "2026-01-01", "start_date_past");
	maintenance(&p, "2026-03-10");
	accepted(&p, "2026-03-10");		/* today */
	maintenance(&p, "2026-03-11");
	accepted(&p, "2026-03-10");		/* tomorrow */

	maintenance(&p, "2026-03-10");
	p.has_end = 1;
	p.end = date("2026-03-09");
	refused(&p, "2026-03-10", "end_before_start");
	p.end = date("2026-03-10");		/* one day */
	accepted(&p, "2026-03-10");
	p.end = date("2025-03-10");
	refused(&p, "2026-03-10", "end_before_start");
	p.has_end = 0;				/* an end not given is none */
	accepted(&p, "2026-03-10");

	/* At most a year: 365 days from start to end, not 366. */
	maintenance(&p, "2026-03-10");
	p.has_end = 1;
	p.end = date("2027-03-10");		/* 365 days on */
	accepted(&p, "2026-03-10");
	p.end = date("2027-03-11");		/* 366 */
	refused(&p, "2026-03-10", "too_long");
	p.end = date("2030-01-01");
	refused(&p, "2026-03-10", "too_long");
	maintenance(&p, "2027-06-01");		/* over 29 February 2028 */
	p.has_end = 1;
	p.end = date("2028-05-31");		/* 365 days */
	accepted(&p, "2026-03-10");
	p.end = date("2028-06-01");		/* 366 */
	refused(&p, "2026-03-10", "too_long");
}

static void
test_check_steps(void **state)
{
	struct prescription	p;

	(void)state;
	/* Maintenance has no steps. */
	maintenance(&p, "2026-03-10");
	p.steps[0] = (struct prescription_step){ date("2026-03-20"), 30000 };
	p.nsteps = 1;
	refused(&p, "2026-03-10", "steps_not_allowed");

	/* A reducing regimen needs them. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	accepted(&p, "2026-03-10");
	p.nsteps = 0;
	refused(&p, "2026-03-10", "steps_required");
	p.has_end = 1;
	p.end = date("2026-03-30");
	refused(&p, "2026-03-10", "steps_required");

	/* After the start, in order. */
	reducing(&p, "2026-03-10", "2026-03-10", "2026-03-20", "2026-03-25");
	refused(&p, "2026-03-10", "steps_out_of_order");	/* on start */
	reducing(&p, "2026-03-10", "2026-03-09", "2026-03-20", "2026-03-25");
	refused(&p, "2026-03-10", "steps_out_of_order");	/* before */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-15", "2026-03-25");
	refused(&p, "2026-03-10", "steps_out_of_order");	/* same day */
	reducing(&p, "2026-03-10", "2026-03-20", "2026-03-15", "2026-03-25");
	refused(&p, "2026-03-10", "steps_out_of_order");	/* swapped */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-19");
	refused(&p, "2026-03-10", "steps_out_of_order");	/* last */
	reducing(&p, "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13");
	accepted(&p, "2026-03-10");			/* day by day */

	/* Within the end date: a step on it, not after it. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	p.has_end = 1;
	p.end = date("2026-03-25");
	accepted(&p, "2026-03-10");
	p.end = date("2026-03-24");
	refused(&p, "2026-03-10", "step_after_end");
	p.end = date("2026-03-16");
	refused(&p, "2026-03-10", "step_after_end");

	/* Each step smaller than the one before, the start dose first. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	p.steps[0].dose = 60000;			/* = start dose */
	refused(&p, "2026-03-10", "steps_not_reducing");
	p.steps[0].dose = 70000;			/* more */
	refused(&p, "2026-03-10", "steps_not_reducing");
	p.steps[0].dose = 59999;
	accepted(&p, "2026-03-10");
	p.steps[1].dose = 59999;			/* = the step before */
	refused(&p, "2026-03-10", "steps_not_reducing");
	p.steps[1].dose = 30000;
	p.steps[2].dose = 30000;
	refused(&p, "2026-03-10", "steps_not_reducing");

	/* It ends: with a zero step or an end date. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	p.steps[2].dose = 15000;
	refused(&p, "2026-03-10", "reducing_without_end");
	p.has_end = 1;
	p.end = date("2026-03-31");
	accepted(&p, "2026-03-10");
	p.nsteps = 1;				/* 60 then 45 to the end */
	accepted(&p, "2026-03-10");
	p.has_end = 0;
	refused(&p, "2026-03-10", "reducing_without_end");
	p.steps[0].dose = 0;			/* straight to zero */
	accepted(&p, "2026-03-10");

	/* No step below zero, whatever ends the regimen. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	p.has_end = 1;
	p.end = date("2026-03-31");
	p.steps[2].dose = -1;			/* 60, 45, 30, -0.001 */
	refused(&p, "2026-03-10", "invalid_dose");
	p.steps[2].dose = -30000;
	refused(&p, "2026-03-10", "invalid_dose");
	p.steps[2].dose = 0;
	accepted(&p, "2026-03-10");
	p.has_end = 0;
	p.steps[2].dose = -1;			/* no end date either */
	refused(&p, "2026-03-10", "invalid_dose");
	p.steps[2].dose = 0;
	accepted(&p, "2026-03-10");
	p.nsteps = 1;				/* straight below zero */
	p.steps[0].dose = -1;
	refused(&p, "2026-03-10", "invalid_dose");
	p.has_end = 1;
	refused(&p, "2026-03-10", "invalid_dose");
	p.steps[0].dose = -60000;
	refused(&p, "2026-03-10", "invalid_dose");
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	p.steps[3] = (struct prescription_step){ date("2026-03-28"), -1 };
	p.nsteps = 4;				/* 60, 45, 30, 0, -0.001 */
	refused(&p, "2026-03-10", "invalid_dose");
	p.has_end = 1;
	p.end = date("2026-03-31");
	refused(&p, "2026-03-10", "invalid_dose");

	/* At most a year with no end date: the zero step at most 365 days
	 * after the start, as an end date is. */
	reducing(&p, "2026-03-10", "2026-06-01", "2026-12-01", "2027-03-10");
	accepted(&p, "2026-03-10");		/* zero 365 days on */
	p.steps[2].from = date("2027-03-11");	/* 366 */
	refused(&p, "2026-03-10", "too_long");
	p.steps[2].from = date("2029-01-01");
	refused(&p, "2026-03-10", "too_long");
	reducing(&p, "2026-03-10", "2027-03-11", "2027-03-12", "2027-03-13");
	refused(&p, "2026-03-10", "too_long");	/* every step too late */
	reducing(&p, "2027-06-01", "2027-09-01", "2028-02-29", "2028-05-31");
	accepted(&p, "2026-03-10");		/* 365 days over 29 Feb */
	p.steps[2].from = date("2028-06-01");	/* 366 */
	refused(&p, "2026-03-10", "too_long");
	reducing(&p, "2026-03-10", "2026-06-01", "2026-12-01", "2027-03-11");
	p.nsteps = 1;				/* one zero step, 366 days on */
	p.steps[0].dose = 0;
	p.steps[0].from = date("2027-03-11");
	refused(&p, "2026-03-10", "too_long");
	p.steps[0].from = date("2027-03-10");
	accepted(&p, "2026-03-10");

	/* The most steps there may be. */
	maintenance(&p, "2026-03-10");
	p.regimen = REGIMEN_REDUCING;
	p.dose = 60000;
	for (p.nsteps = 0; p.nsteps < PRESCRIPTION_MAX_STEPS; p.nsteps++) {
		p.steps[p.nsteps].from = timefmt_civil_from_days(
		    timefmt_days_from_civil(date("2026-03-10")) + 1 + p.nsteps);
		p.steps[p.nsteps].dose = 59000 - p.nsteps * 1000;
	}
	assert_int_equal(p.steps[PRESCRIPTION_MAX_STEPS - 1].dose, 0);
	accepted(&p, "2026-03-10");
}

/* The dose on each date: the start dose, then the last step begun. */
static void
test_dose_on(void **state)
{
	static const struct {
		const char	*date;
		int64_t		 dose;
	} cases[] = {
		{ "2026-03-01", 60000 }, { "2026-03-10", 60000 },
		{ "2026-03-14", 60000 }, { "2026-03-15", 45000 },
		{ "2026-03-19", 45000 }, { "2026-03-20", 30000 },
		{ "2026-03-24", 30000 }, { "2026-03-25", 0 },
		{ "2026-04-30", 0 }, { "2027-01-01", 0 },
	};
	struct prescription	p;
	size_t			i;

	(void)state;
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (prescription_dose_on(&p, date(cases[i].date)) !=
		    cases[i].dose)
			fail_msg("%s: got %lld, expected %lld", cases[i].date,
			    (long long)prescription_dose_on(&p,
			    date(cases[i].date)), (long long)cases[i].dose);
	maintenance(&p, "2026-03-10");
	assert_true(prescription_dose_on(&p, date("2026-03-10")) == 60000);
	assert_true(prescription_dose_on(&p, date("2027-03-10")) == 60000);
}

static void
test_is_dose_day(void **state)
{
	struct prescription	p;
	struct civil_date	d;
	int			i, n;

	(void)state;
	maintenance(&p, "2026-03-10");
	assert_false(prescription_is_dose_day(&p, date("2026-03-09")));
	assert_true(prescription_is_dose_day(&p, date("2026-03-10")));
	assert_true(prescription_is_dose_day(&p, date("2026-03-11")));
	assert_true(prescription_is_dose_day(&p, date("2030-03-11")));
	p.has_end = 1;
	p.end = date("2026-03-20");
	assert_true(prescription_is_dose_day(&p, date("2026-03-20")));
	assert_false(prescription_is_dose_day(&p, date("2026-03-21")));

	/* Weekly from a Tuesday: Tuesdays only, from the start. */
	maintenance(&p, "2026-03-10");
	p.every_days = 7;
	for (i = -14, n = 0; i < 70; i++) {
		d = timefmt_civil_from_days(timefmt_days_from_civil(
		    date("2026-03-10")) + i);
		if (prescription_is_dose_day(&p, d) !=
		    (i >= 0 && i % 7 == 0))
			fail_msg("weekly: day %d from the start", i);
		n += prescription_is_dose_day(&p, d);
	}
	assert_int_equal(n, 10);
	/* Every 3 days over the end of February in a leap year. */
	maintenance(&p, "2028-02-26");
	p.every_days = 3;
	assert_true(prescription_is_dose_day(&p, date("2028-02-29")));
	assert_false(prescription_is_dose_day(&p, date("2028-03-01")));
	assert_true(prescription_is_dose_day(&p, date("2028-03-03")));

	/* A reducing regimen stops on its zero step. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	assert_true(prescription_is_dose_day(&p, date("2026-03-24")));
	assert_false(prescription_is_dose_day(&p, date("2026-03-25")));
	assert_false(prescription_is_dose_day(&p, date("2026-03-26")));
}

static void
test_state(void **state)
{
	struct prescription	p;

	(void)state;
	maintenance(&p, "2026-03-10");
	assert_string_equal(prescription_state(&p, date("2026-03-10")),
	    "active");
	assert_string_equal(prescription_state(&p, date("2026-03-01")),
	    "active");			/* written, not yet begun */
	assert_string_equal(prescription_state(&p, date("2029-01-01")),
	    "active");			/* no end date */

	p.held_at = instant("2026-03-12T09:00:00Z");
	assert_string_equal(prescription_state(&p, date("2026-03-12")),
	    "held");
	p.held_at = 0;			/* reviewed */
	assert_string_equal(prescription_state(&p, date("2026-03-12")),
	    "active");

	p.has_end = 1;
	p.end = date("2026-03-20");
	assert_string_equal(prescription_state(&p, date("2026-03-20")),
	    "active");			/* the last day */
	assert_string_equal(prescription_state(&p, date("2026-03-21")),
	    "ended");
	p.held_at = instant("2026-03-18T09:00:00Z");
	assert_string_equal(prescription_state(&p, date("2026-03-19")),
	    "held");
	assert_string_equal(prescription_state(&p, date("2026-03-21")),
	    "ended");			/* ended outranks held */

	p.stopped_at = instant("2026-03-15T10:00:00Z");
	assert_string_equal(prescription_state(&p, date("2026-03-15")),
	    "stopped");			/* stopped outranks all */
	assert_string_equal(prescription_state(&p, date("2026-03-19")),
	    "stopped");
	assert_string_equal(prescription_state(&p, date("2026-03-21")),
	    "stopped");

	/* A reducing regimen ends on its zero step. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	assert_string_equal(prescription_state(&p, date("2026-03-24")),
	    "active");
	assert_string_equal(prescription_state(&p, date("2026-03-25")),
	    "ended");
	assert_string_equal(prescription_state(&p, date("2026-04-25")),
	    "ended");
	p.held_at = instant("2026-03-22T09:00:00Z");
	assert_string_equal(prescription_state(&p, date("2026-03-24")),
	    "held");
	assert_string_equal(prescription_state(&p, date("2026-03-25")),
	    "ended");
	/* Whose last step is not zero: it runs to its end date. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	p.steps[2].dose = 15000;
	p.has_end = 1;
	p.end = date("2026-03-31");
	assert_string_equal(prescription_state(&p, date("2026-03-31")),
	    "active");
	assert_string_equal(prescription_state(&p, date("2026-04-01")),
	    "ended");
}

/* The doses prescription_doses lays out, collected in order. */
#define MAX_COLLECTED	1024

struct collected {
	struct prescription_dose	d[MAX_COLLECTED];
	int				n;
};

static void
collect(const struct prescription_dose *pd, void *arg)
{
	struct collected	*c = arg;

	assert_true(c->n < MAX_COLLECTED);
	c->d[c->n++] = *pd;
}

static void
collect_none(const struct prescription_dose *pd, void *arg)
{
	(void)pd;
	(void)arg;
}

struct want_dose {
	const char	*date, *due_at;
	int64_t		 dose;
};

/* Lay out the doses in [from, to) and compare with want, exactly. */
static void
expect_doses(const struct prescription *p, const char *from, const char *to,
    const struct want_dose *want, int nwant)
{
	static struct collected	c;
	char			date_buf[TIMEFMT_DATE_LEN];
	char			got[TIMEFMT_INSTANT_LEN];
	int			i, n;

	memset(&c, 0, sizeof c);
	n = prescription_doses(p, instant(from), instant(to), collect, &c);
	assert_int_equal(n, c.n);
	for (i = 0; i < c.n && i < nwant; i++) {
		timefmt_format_date(c.d[i].date, date_buf);
		timefmt_format_instant(c.d[i].due_at, got);
		if (strcmp(date_buf, want[i].date) != 0 ||
		    c.d[i].due_at != instant(want[i].due_at) ||
		    c.d[i].dose != want[i].dose)
			fail_msg("[%s, %s) dose %d: got %s %s %lld, expected "
			    "%s %s %lld", from, to, i, date_buf, got,
			    (long long)c.d[i].dose, want[i].date,
			    want[i].due_at, (long long)want[i].dose);
	}
	if (c.n != nwant)
		fail_msg("[%s, %s): %d doses, expected %d", from, to, c.n,
		    nwant);
}

#define EXPECT(p, from, to, w) \
	expect_doses((p), (from), (to), (w), (int)(sizeof (w) / sizeof (w)[0]))

static void
test_doses_daily(void **state)
{
	static const struct want_dose three_days[] = {
		{ "2026-01-10", "2026-01-10T08:00:00Z", 60000 },
		{ "2026-01-10", "2026-01-10T20:00:00Z", 60000 },
		{ "2026-01-11", "2026-01-11T08:00:00Z", 60000 },
		{ "2026-01-11", "2026-01-11T20:00:00Z", 60000 },
		{ "2026-01-12", "2026-01-12T08:00:00Z", 60000 },
		{ "2026-01-12", "2026-01-12T20:00:00Z", 60000 },
	}, half_open[] = {
		{ "2026-01-10", "2026-01-10T08:00:00Z", 60000 },
		{ "2026-01-10", "2026-01-10T20:00:00Z", 60000 },
		{ "2026-01-11", "2026-01-11T08:00:00Z", 60000 },
		{ "2026-01-11", "2026-01-11T20:00:00Z", 60000 },
		{ "2026-01-12", "2026-01-12T08:00:00Z", 60000 },
	}, one[] = {
		{ "2026-01-11", "2026-01-11T20:00:00Z", 60000 },
	}, summer[] = {
		{ "2026-07-01", "2026-07-01T07:00:00Z", 60000 },
		{ "2026-07-01", "2026-07-01T19:00:00Z", 60000 },
		{ "2026-07-02", "2026-07-02T07:00:00Z", 60000 },
		{ "2026-07-02", "2026-07-02T19:00:00Z", 60000 },
	}, ended[] = {
		{ "2026-01-11", "2026-01-11T20:00:00Z", 60000 },
		{ "2026-01-12", "2026-01-12T08:00:00Z", 60000 },
		{ "2026-01-12", "2026-01-12T20:00:00Z", 60000 },
	};
	struct prescription	p;
	struct collected	*c;
	int			i;

	(void)state;
	maintenance(&p, "2026-01-10");
	p.times[1] = 20 * 60;
	p.ntimes = 2;
	EXPECT(&p, "2026-01-10T00:00:00Z", "2026-01-13T00:00:00Z",
	    three_days);
	/* From before the start: nothing before it. */
	EXPECT(&p, "2026-01-01T00:00:00Z", "2026-01-13T00:00:00Z",
	    three_days);
	/* [from, to): a dose at from is in, one at to is out. */
	EXPECT(&p, "2026-01-10T08:00:00Z", "2026-01-12T20:00:00Z", half_open);
	EXPECT(&p, "2026-01-11T08:00:00.001Z", "2026-01-12T08:00:00Z", one);
	EXPECT(&p, "2026-01-11T20:00:00Z", "2026-01-11T20:00:00.001Z", one);
	expect_doses(&p, "2026-01-11T20:00:00Z", "2026-01-11T20:00:00Z",
	    NULL, 0);			/* empty */
	expect_doses(&p, "2026-01-12T00:00:00Z", "2026-01-11T00:00:00Z",
	    NULL, 0);			/* backwards */
	expect_doses(&p, "2026-01-11T08:00:00.001Z", "2026-01-11T20:00:00Z",
	    NULL, 0);			/* between rounds */
	/* Summer: BST. */
	maintenance(&p, "2026-06-01");
	p.times[1] = 20 * 60;
	p.ntimes = 2;
	EXPECT(&p, "2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", summer);
	/* The end date is the last day. */
	maintenance(&p, "2026-01-10");
	p.times[1] = 20 * 60;
	p.ntimes = 2;
	p.has_end = 1;
	p.end = date("2026-01-12");
	EXPECT(&p, "2026-01-11T12:00:00Z", "2026-02-01T00:00:00Z", ended);

	/* A whole year at 08:00 and 20:00: 730 doses, in order, each on its
	 * own local date and at 08:00 or 20:00 local. */
	maintenance(&p, "2026-01-01");
	p.times[1] = 20 * 60;
	p.ntimes = 2;
	p.has_end = 1;
	p.end = date("2026-12-31");
	c = calloc(1, sizeof *c);
	assert_non_null(c);
	assert_int_equal(prescription_doses(&p,
	    instant("2025-12-01T00:00:00Z"), instant("2027-02-01T00:00:00Z"),
	    collect, c), 730);
	assert_int_equal(c->n, 730);
	for (i = 0; i < c->n; i++) {
		struct tm	tm;
		time_t		t = (time_t)(c->d[i].due_at / 1000);

		localtime_r(&t, &tm);
		assert_int_equal(tm.tm_hour, i % 2 ? 20 : 8);
		assert_int_equal(tm.tm_min, 0);
		assert_int_equal(tm.tm_mday, c->d[i].date.day);
		assert_int_equal(tm.tm_mon + 1, c->d[i].date.month);
		assert_int_equal(tm.tm_year + 1900, c->d[i].date.year);
		assert_true(timefmt_days_from_civil(c->d[i].date) ==
		    timefmt_days_from_civil(date("2026-01-01")) + i / 2);
		if (i > 0)
			assert_true(c->d[i].due_at > c->d[i - 1].due_at);
	}
	free(c);
}

/* Round times near local midnight in summer, when the local date and the
 * UTC date differ: each dose carries its local date. */
static void
test_doses_midnight(void **state)
{
	static const struct want_dose want[] = {
		{ "2026-07-01", "2026-07-01T22:30:00Z", 60000 },
		{ "2026-07-02", "2026-07-01T23:30:00Z", 60000 },
	};
	struct prescription	p;

	(void)state;
	maintenance(&p, "2026-06-01");
	p.times[0] = 30;			/* 00:30 */
	p.times[1] = 23 * 60 + 30;		/* 23:30 */
	p.ntimes = 2;
	EXPECT(&p, "2026-07-01T00:00:00Z", "2026-07-02T00:00:00Z", want);
}

static void
test_doses_weekly(void **state)
{
	static const struct want_dose want[] = {
		{ "2026-01-05", "2026-01-05T08:00:00Z", 60000 },
		{ "2026-01-12", "2026-01-12T08:00:00Z", 60000 },
		{ "2026-01-19", "2026-01-19T08:00:00Z", 60000 },
		{ "2026-01-26", "2026-01-26T08:00:00Z", 60000 },
	}, spring[] = {
		{ "2026-03-23", "2026-03-23T08:00:00Z", 60000 },
		{ "2026-03-30", "2026-03-30T07:00:00Z", 60000 },
		{ "2026-04-06", "2026-04-06T07:00:00Z", 60000 },
	}, mid[] = {
		{ "2026-01-19", "2026-01-19T08:00:00Z", 60000 },
		{ "2026-01-26", "2026-01-26T08:00:00Z", 60000 },
	};
	struct prescription	p;

	(void)state;
	maintenance(&p, "2026-01-05");		/* a Monday */
	p.every_days = 7;
	EXPECT(&p, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", want);
	/* Counted from the start, not from the window. */
	EXPECT(&p, "2026-01-13T00:00:00Z", "2026-02-01T00:00:00Z", mid);
	/* Weekly across the spring change: 08:00 local each Monday. */
	EXPECT(&p, "2026-03-20T00:00:00Z", "2026-04-10T00:00:00Z", spring);
}

/* A reducing regimen: each date's dose from the step begun on it, nothing
 * from the zero step; and with an end date instead. */
static void
test_doses_reducing(void **state)
{
	static const struct want_dose want[] = {
		{ "2026-02-01", "2026-02-01T08:00:00Z", 60000 },
		{ "2026-02-02", "2026-02-02T08:00:00Z", 60000 },
		{ "2026-02-03", "2026-02-03T08:00:00Z", 60000 },
		{ "2026-02-04", "2026-02-04T08:00:00Z", 45000 },
		{ "2026-02-05", "2026-02-05T08:00:00Z", 45000 },
		{ "2026-02-06", "2026-02-06T08:00:00Z", 45000 },
		{ "2026-02-07", "2026-02-07T08:00:00Z", 30000 },
		{ "2026-02-08", "2026-02-08T08:00:00Z", 30000 },
		{ "2026-02-09", "2026-02-09T08:00:00Z", 30000 },
	}, twice[] = {
		{ "2026-02-03", "2026-02-03T08:00:00Z", 60000 },
		{ "2026-02-03", "2026-02-03T20:00:00Z", 60000 },
		{ "2026-02-04", "2026-02-04T08:00:00Z", 45000 },
		{ "2026-02-04", "2026-02-04T20:00:00Z", 45000 },
	}, to_end[] = {
		{ "2026-02-06", "2026-02-06T08:00:00Z", 45000 },
		{ "2026-02-07", "2026-02-07T08:00:00Z", 30000 },
		{ "2026-02-08", "2026-02-08T08:00:00Z", 30000 },
	}, step_over_dst[] = {
		{ "2026-03-28", "2026-03-28T08:00:00Z", 60000 },
		{ "2026-03-29", "2026-03-29T07:00:00Z", 45000 },
		{ "2026-03-30", "2026-03-30T07:00:00Z", 45000 },
	};
	struct prescription	p;

	(void)state;
	reducing(&p, "2026-02-01", "2026-02-04", "2026-02-07", "2026-02-10");
	EXPECT(&p, "2026-01-20T00:00:00Z", "2026-03-01T00:00:00Z", want);
	p.times[1] = 20 * 60;
	p.ntimes = 2;
	EXPECT(&p, "2026-02-03T00:00:00Z", "2026-02-05T00:00:00Z", twice);
	/* No zero step; the end date ends it. */
	reducing(&p, "2026-02-01", "2026-02-04", "2026-02-07", "2026-02-10");
	p.nsteps = 2;
	p.has_end = 1;
	p.end = date("2026-02-08");
	EXPECT(&p, "2026-02-06T00:00:00Z", "2026-03-01T00:00:00Z", to_end);
	/* A step that begins on the spring change day. */
	reducing(&p, "2026-03-20", "2026-03-29", "2026-04-05", "2026-04-12");
	EXPECT(&p, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z",
	    step_over_dst);
}

/* 08:00 stays 08:00 local across both changes; 01:30 on the spring day is
 * in the gap and moves forward an hour (01:30Z, 02:30 BST); 01:30 on the
 * autumn day is taken at its first occurrence (00:30Z, BST), once. */
static void
test_doses_dst(void **state)
{
	static const struct want_dose spring_0800[] = {
		{ "2026-03-27", "2026-03-27T08:00:00Z", 60000 },
		{ "2026-03-28", "2026-03-28T08:00:00Z", 60000 },
		{ "2026-03-29", "2026-03-29T07:00:00Z", 60000 },
		{ "2026-03-30", "2026-03-30T07:00:00Z", 60000 },
		{ "2026-03-31", "2026-03-31T07:00:00Z", 60000 },
	}, autumn_0800[] = {
		{ "2026-10-23", "2026-10-23T07:00:00Z", 60000 },
		{ "2026-10-24", "2026-10-24T07:00:00Z", 60000 },
		{ "2026-10-25", "2026-10-25T08:00:00Z", 60000 },
		{ "2026-10-26", "2026-10-26T08:00:00Z", 60000 },
	}, spring_0130[] = {
		{ "2026-03-28", "2026-03-28T01:30:00Z", 60000 },
		{ "2026-03-29", "2026-03-29T01:30:00Z", 60000 },
		{ "2026-03-30", "2026-03-30T00:30:00Z", 60000 },
	}, autumn_0130[] = {
		{ "2026-10-24", "2026-10-24T00:30:00Z", 60000 },
		{ "2026-10-25", "2026-10-25T00:30:00Z", 60000 },
		{ "2026-10-26", "2026-10-26T01:30:00Z", 60000 },
	}, gap[] = {
		/* 01:30 and 02:30 GMT, then one dose at 02:30 BST, then
		 * 01:30 and 02:30 BST. */
		{ "2026-03-28", "2026-03-28T01:30:00Z", 60000 },
		{ "2026-03-28", "2026-03-28T02:30:00Z", 60000 },
		{ "2026-03-29", "2026-03-29T01:30:00Z", 60000 },
		{ "2026-03-30", "2026-03-30T00:30:00Z", 60000 },
		{ "2026-03-30", "2026-03-30T01:30:00Z", 60000 },
	}, gap_on_the_hour[] = {
		{ "2026-03-29", "2026-03-29T01:00:00Z", 60000 },
	}, passed[] = {
		/* 01:45 is in the gap and moves to 02:45 BST (01:45Z), past
		 * 02:30 BST (01:30Z): the day's doses in time order. */
		{ "2026-03-28", "2026-03-28T01:45:00Z", 60000 },
		{ "2026-03-28", "2026-03-28T02:30:00Z", 60000 },
		{ "2026-03-29", "2026-03-29T01:30:00Z", 60000 },
		{ "2026-03-29", "2026-03-29T01:45:00Z", 60000 },
		{ "2026-03-30", "2026-03-30T00:45:00Z", 60000 },
		{ "2026-03-30", "2026-03-30T01:30:00Z", 60000 },
	}, passed_late[] = {
		{ "2026-03-29", "2026-03-29T01:45:00Z", 60000 },
	}, passed_early[] = {
		{ "2026-03-29", "2026-03-29T01:30:00Z", 60000 },
	}, passed_and_met[] = {
		/* 01:30 (in the gap, 01:30Z), 01:45 (01:45Z), 02:30 BST
		 * (01:30Z): the same instant twice, not side by side until
		 * sorted, is one dose. */
		{ "2026-03-29", "2026-03-29T01:30:00Z", 60000 },
		{ "2026-03-29", "2026-03-29T01:45:00Z", 60000 },
	}, overlap[] = {
		/* 00:30, 01:30 and 02:30 on the autumn day: 00:30 and 01:30
		 * BST, then 02:30 GMT, two hours later. */
		{ "2026-10-25", "2026-10-24T23:30:00Z", 60000 },
		{ "2026-10-25", "2026-10-25T00:30:00Z", 60000 },
		{ "2026-10-25", "2026-10-25T02:30:00Z", 60000 },
	};
	struct prescription	p;

	(void)state;
	maintenance(&p, "2026-03-01");
	EXPECT(&p, "2026-03-27T00:00:00Z", "2026-04-01T00:00:00Z",
	    spring_0800);
	EXPECT(&p, "2026-10-23T00:00:00Z", "2026-10-27T00:00:00Z",
	    autumn_0800);

	p.times[0] = 90;			/* 01:30 */
	EXPECT(&p, "2026-03-28T00:00:00Z", "2026-03-30T12:00:00Z",
	    spring_0130);
	EXPECT(&p, "2026-10-24T00:00:00Z", "2026-10-26T12:00:00Z",
	    autumn_0130);

	p.times[0] = 90;			/* 01:30, 02:30 */
	p.times[1] = 150;
	p.ntimes = 2;
	EXPECT(&p, "2026-03-28T00:00:00Z", "2026-03-30T12:00:00Z", gap);

	p.times[0] = 60;			/* 01:00, 02:00 */
	p.times[1] = 120;
	EXPECT(&p, "2026-03-29T00:00:00Z", "2026-03-29T12:00:00Z",
	    gap_on_the_hour);

	p.times[0] = 105;			/* 01:45, 02:30 */
	p.times[1] = 150;
	EXPECT(&p, "2026-03-28T00:00:00Z", "2026-03-30T12:00:00Z", passed);
	/* [from, to) is kept after sorting. */
	EXPECT(&p, "2026-03-29T01:30:00.001Z", "2026-03-29T12:00:00Z",
	    passed_late);
	EXPECT(&p, "2026-03-29T00:00:00Z", "2026-03-29T01:45:00Z",
	    passed_early);

	p.times[0] = 90;			/* 01:30, 01:45, 02:30 */
	p.times[1] = 105;
	p.times[2] = 150;
	p.ntimes = 3;
	EXPECT(&p, "2026-03-29T00:00:00Z", "2026-03-29T12:00:00Z",
	    passed_and_met);

	p.times[0] = 30;			/* 00:30, 01:30, 02:30 */
	p.times[1] = 90;
	p.times[2] = 150;
	p.ntimes = 3;
	EXPECT(&p, "2026-10-24T23:00:00Z", "2026-10-25T12:00:00Z", overlap);
}

/* prescription_doses_end is at when, and no dose laid out is at or after
 * it.  A failure names the caller's line. */
static void
doses_end_at(const struct prescription *p, const char *when, int line)
{
	char	got[TIMEFMT_INSTANT_LEN];
	int64_t	end = prescription_doses_end(p);
	int	n;

	if (end != instant(when)) {
		timefmt_format_instant(end, got);
		fail_msg("line %d: doses end %s, expected %s", line, got, when);
	}
	n = prescription_doses(p, end, end + (int64_t)400 * 86400000,
	    collect_none, NULL);
	if (n != 0)
		fail_msg("line %d: %d doses after the end %s", line, n, when);
}

#define doses_end_is(p, when)	doses_end_at((p), (when), __LINE__)

/* The instant after which a prescription gives no doses: local midnight
 * starting the day after its end date, or starting the day of its zero
 * step, whichever is earlier; never for one with neither.  Local midnight
 * is 00:00Z in GMT and 23:00Z the day before in BST, and the day of a
 * change is 23 or 25 hours long. */
static void
test_doses_end(void **state)
{
	static const struct {
		const char	*end, *midnight_after;
	} ends[] = {
		{ "2026-01-12", "2026-01-13T00:00:00Z" },	/* GMT */
		{ "2026-07-12", "2026-07-12T23:00:00Z" },	/* BST */
		{ "2026-12-31", "2027-01-01T00:00:00Z" },
		{ "2028-02-28", "2028-02-29T00:00:00Z" },
		{ "2028-02-29", "2028-03-01T00:00:00Z" },
		/* Spring, 29 March 2026: the day after the 28th starts at
		 * 00:00 GMT; the day after the 29th at 00:00 BST. */
		{ "2026-03-27", "2026-03-28T00:00:00Z" },
		{ "2026-03-28", "2026-03-29T00:00:00Z" },
		{ "2026-03-29", "2026-03-29T23:00:00Z" },
		{ "2026-03-30", "2026-03-30T23:00:00Z" },
		/* Autumn, 25 October 2026: the day after the 24th starts at
		 * 00:00 BST; the day after the 25th at 00:00 GMT. */
		{ "2026-10-23", "2026-10-23T23:00:00Z" },
		{ "2026-10-24", "2026-10-24T23:00:00Z" },
		{ "2026-10-25", "2026-10-26T00:00:00Z" },
		{ "2026-10-26", "2026-10-27T00:00:00Z" },
	}, zeros[] = {
		{ "2026-02-10", "2026-02-10T00:00:00Z" },	/* GMT */
		{ "2026-07-10", "2026-07-09T23:00:00Z" },	/* BST */
		{ "2026-03-28", "2026-03-28T00:00:00Z" },
		{ "2026-03-29", "2026-03-29T00:00:00Z" },	/* GMT still */
		{ "2026-03-30", "2026-03-29T23:00:00Z" },
		{ "2026-10-25", "2026-10-24T23:00:00Z" },	/* BST still */
		{ "2026-10-26", "2026-10-26T00:00:00Z" },
		{ "2026-10-27", "2026-10-27T00:00:00Z" },
	};
	struct prescription	p;
	size_t			i;

	(void)state;
	/* Open-ended. */
	maintenance(&p, "2026-01-10");
	assert_true(prescription_doses_end(&p) == INT64_MAX);
	p.every_days = 7;
	assert_true(prescription_doses_end(&p) == INT64_MAX);
	/* A reducing regimen whose last step is not zero, and no end date
	 * (refused by prescription_check, but it has no end either). */
	reducing(&p, "2026-02-01", "2026-02-04", "2026-02-07", "2026-02-10");
	p.steps[2].dose = 15000;
	assert_true(prescription_doses_end(&p) == INT64_MAX);
	p.nsteps = 0;
	assert_true(prescription_doses_end(&p) == INT64_MAX);

	/* An end date: a dose at 23:59 on it is in, one at 00:00 the next
	 * day would not be. */
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		maintenance(&p, "2026-01-01");
		p.times[0] = 0;
		p.times[1] = 23 * 60 + 59;
		p.ntimes = 2;
		p.has_end = 1;
		p.end = date(ends[i].end);
		doses_end_is(&p, ends[i].midnight_after);
		if (prescription_doses(&p, instant(ends[i].midnight_after) -
		    60000, instant(ends[i].midnight_after), collect_none,
		    NULL) != 1)
			fail_msg("end %s: no dose at 23:59", ends[i].end);
		/* The same with no end date gives the 00:00 dose there. */
		p.has_end = 0;
		assert_true(prescription_doses_end(&p) == INT64_MAX);
		if (prescription_doses(&p, instant(ends[i].midnight_after),
		    instant(ends[i].midnight_after) + 1, collect_none,
		    NULL) != 1)
			fail_msg("end %s: no 00:00 dose at %s", ends[i].end,
			    ends[i].midnight_after);
	}
	/* A reducing regimen with an end date and no zero step. */
	reducing(&p, "2026-02-01", "2026-02-04", "2026-02-07", "2026-02-10");
	p.steps[2].dose = 15000;
	p.has_end = 1;
	p.end = date("2026-02-20");
	doses_end_is(&p, "2026-02-21T00:00:00Z");
	/* One day, the start date the end date. */
	maintenance(&p, "2026-07-01");
	p.has_end = 1;
	p.end = date("2026-07-01");
	doses_end_is(&p, "2026-07-01T23:00:00Z");

	/* A zero step and no end date: the start of the zero step's day. */
	for (i = 0; i < sizeof zeros / sizeof zeros[0]; i++) {
		reducing(&p, "2026-01-01", "2026-01-05", "2026-01-06",
		    zeros[i].end);
		p.times[0] = 0;
		p.times[1] = 23 * 60 + 59;
		p.ntimes = 2;
		doses_end_is(&p, zeros[i].midnight_after);
		/* The 23:59 dose the day before is the last. */
		if (prescription_doses(&p, instant(zeros[i].midnight_after) -
		    60000, instant(zeros[i].midnight_after), collect_none,
		    NULL) != 1)
			fail_msg("zero step %s: no dose at 23:59 the day "
			    "before", zeros[i].end);
	}
	/* Straight to zero, the day after the start. */
	reducing(&p, "2026-03-28", "2026-03-29", "2026-03-30", "2026-03-31");
	p.steps[0].dose = 0;
	p.nsteps = 1;
	doses_end_is(&p, "2026-03-29T00:00:00Z");

	/* Both: the earlier wins.  A zero step is on or before the end date
	 * in any prescription that passes the check, so it is the zero
	 * step's day... */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-25");
	p.has_end = 1;
	p.end = date("2026-04-30");
	doses_end_is(&p, "2026-03-25T00:00:00Z");
	p.end = date("2026-03-25");		/* the zero step on the end date */
	doses_end_is(&p, "2026-03-25T00:00:00Z");
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-30");
	p.has_end = 1;
	p.end = date("2026-10-25");		/* in BST, over the spring */
	doses_end_is(&p, "2026-03-29T23:00:00Z");
	p.end = date("2026-03-30");
	doses_end_is(&p, "2026-03-29T23:00:00Z");
	/* ...but taken alone, an end date before the zero step wins. */
	reducing(&p, "2026-03-10", "2026-03-15", "2026-03-20", "2026-04-25");
	p.has_end = 1;
	p.end = date("2026-03-28");
	doses_end_is(&p, "2026-03-29T00:00:00Z");
	p.end = date("2026-03-29");
	doses_end_is(&p, "2026-03-29T23:00:00Z");
	p.end = date("2026-04-23");
	doses_end_is(&p, "2026-04-23T23:00:00Z");
	p.end = date("2026-04-24");		/* the same instant */
	doses_end_is(&p, "2026-04-24T23:00:00Z");
	p.end = date("2026-04-25");		/* the zero step's, earlier */
	doses_end_is(&p, "2026-04-24T23:00:00Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse_format),
		cmocka_unit_test(test_regimen_parse),
		cmocka_unit_test(test_check_dose_times_days),
		cmocka_unit_test(test_check_dates),
		cmocka_unit_test(test_check_steps),
		cmocka_unit_test(test_check_times_apart),
		cmocka_unit_test(test_check_times_apart_dst),
		cmocka_unit_test(test_hold_and_review),
		cmocka_unit_test(test_dose_on),
		cmocka_unit_test(test_is_dose_day),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_doses_daily),
		cmocka_unit_test(test_doses_midnight),
		cmocka_unit_test(test_doses_weekly),
		cmocka_unit_test(test_doses_reducing),
		cmocka_unit_test(test_doses_dst),
		cmocka_unit_test(test_doses_end),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
