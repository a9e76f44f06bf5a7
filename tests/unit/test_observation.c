/* Observation plans (docs/design.md rule 2): a plan runs from arrival to
 * arrival + 72 h however late the flag, counting dues from the flag; its
 * edges and extensions; the interval each NEWS2 band chooses against
 * bases above and below it; a due's warning and miss, and how an
 * observation meets it; the times an observation may be recorded at; the
 * state names.  Then whole plans in virtual time, with the scheduler
 * simulated as daemon/services/observing.c runs it: scores that shorten and
 * lengthen the interval, unattended stretches missed every interval, a
 * late flag, and the spring DST change of 2027 in Europe/London. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"
#include "observation.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define MIN(m)		((int64_t)(m) * MS_PER_MINUTE)
#define HOURS(h)	((int64_t)(h) * MS_PER_HOUR)

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* The documented default config. */
static const struct observation_policy policy = {
	HOURS(72), MIN(240), MIN(240), MIN(60), MIN(30), MIN(15), HOURS(12)
};

/* A reading in each band, scored by news2_score. */
static struct news2_result
scored(enum news2_band band)
{
	struct news2_readings	r;
	struct news2_result	res;

	memset(&r, 0, sizeof r);
	r.respiratory_rate = 16;
	r.spo2 = 97;
	r.spo2_scale = 1;
	r.systolic_bp = 120;
	r.pulse = 70;
	r.consciousness = NEWS2_ALERT;
	r.temperature_tenths = 370;
	switch (band) {
	case NEWS2_BAND_ZERO:
		break;
	case NEWS2_BAND_LOW:		/* 38.5: 1 */
		r.temperature_tenths = 385;
		break;
	case NEWS2_BAND_LOW_MEDIUM:	/* pulse 135: a single 3 */
		r.pulse = 135;
		break;
	case NEWS2_BAND_MEDIUM:		/* 2 + 2 + 1 */
		r.respiratory_rate = 21;
		r.pulse = 111;
		r.temperature_tenths = 381;
		break;
	case NEWS2_BAND_HIGH:		/* 3 + 3 + 3 */
		r.respiratory_rate = 25;
		r.spo2 = 91;
		r.pulse = 135;
		break;
	}
	news2_score(&r, &res);
	assert_int_equal(res.band, band);
	return res;
}

/* ---- plans ---- */

static void
test_plan_start(void **state)
{
	struct observation_plan		p;
	struct observation_policy	longer = policy;
	int64_t				a = instant("2026-06-01T08:00:00Z");

	(void)state;
	/* Flagged 5 h after arrival: still ends arrival + 72 h. */
	memset(&p, 0xa5, sizeof p);
	observation_plan_start(&p, a, a + HOURS(5), &policy);
	assert_true(p.starts_at == a);
	assert_true(p.counts_from == a + HOURS(5));
	assert_true(p.ends_at == instant("2026-06-04T08:00:00Z"));
	assert_true(p.base_interval_ms == MIN(240));
	assert_true(p.ended_at == 0);

	/* Flagged at arrival (registration). */
	observation_plan_start(&p, a, a, &policy);
	assert_true(p.counts_from == a);
	assert_true(p.ends_at == a + HOURS(72));

	/* A flag time before arrival is clamped to arrival. */
	observation_plan_start(&p, a, a - 1, &policy);
	assert_true(p.counts_from == a);
	observation_plan_start(&p, a, a - HOURS(30), &policy);
	assert_true(p.counts_from == a);
	assert_true(p.starts_at == a && p.ends_at == a + HOURS(72));

	/* A flag after the plan's end still leaves the end at arrival +
	 * plan_ms (the plan then never runs). */
	observation_plan_start(&p, a, a + HOURS(80), &policy);
	assert_true(p.ends_at == a + HOURS(72));
	assert_false(observation_plan_runs(&p, a + HOURS(80)));

	/* The length and base come from the policy. */
	longer.plan_ms = HOURS(96);
	longer.base_ms = MIN(120);
	observation_plan_start(&p, a, a + 1, &longer);
	assert_true(p.ends_at == a + HOURS(96));
	assert_true(p.base_interval_ms == MIN(120));
	assert_true(p.counts_from == a + 1);
}

static void
test_plan_runs(void **state)
{
	struct observation_plan	p;
	int64_t			a = instant("2026-06-01T08:00:00Z");

	(void)state;
	observation_plan_start(&p, a, a + HOURS(5), &policy);
	assert_false(observation_plan_runs(&p, a));		/* before flag */
	assert_false(observation_plan_runs(&p, a + HOURS(5) - 1));
	assert_true(observation_plan_runs(&p, a + HOURS(5)));	/* inclusive */
	assert_true(observation_plan_runs(&p, a + HOURS(30)));
	assert_true(observation_plan_runs(&p, a + HOURS(72) - 1));
	assert_false(observation_plan_runs(&p, a + HOURS(72)));	/* exclusive */
	assert_false(observation_plan_runs(&p, a + HOURS(72) + 1));

	/* An ended plan runs at no time at all. */
	p.ended_at = a + HOURS(10);
	assert_false(observation_plan_runs(&p, a + HOURS(5)));
	assert_false(observation_plan_runs(&p, a + HOURS(9)));
	assert_false(observation_plan_runs(&p, a + HOURS(11)));
}

static void
expect_refusal(int rc, const struct refusal *why, const char *code,
    int conflict)
{
	assert_int_equal(rc, -1);
	assert_non_null(why->code);
	assert_string_equal(why->code, code);
	assert_int_equal(why->conflict, conflict);
	assert_non_null(why->message);
	assert_true(why->message[0] != '\0');
}

static void
test_plan_extension(void **state)
{
	struct observation_plan	p;
	struct refusal		why;
	int64_t			a = instant("2026-06-01T08:00:00Z");
	int64_t			e = a + HOURS(72), now = a + HOURS(24);

	(void)state;
	observation_plan_start(&p, a, a, &policy);
	memset(&why, 0, sizeof why);

	/* Later than the end and now: allowed, by a millisecond. */
	assert_int_equal(observation_plan_check_extension(&p, e + 1, now,
	    &why), 0);
	assert_int_equal(observation_plan_check_extension(&p, e + HOURS(24),
	    now, &why), 0);

	/* Not later than the current end. */
	expect_refusal(observation_plan_check_extension(&p, e, now, &why),
	    &why, "not_an_extension", 0);
	expect_refusal(observation_plan_check_extension(&p, e - HOURS(1), now,
	    &why), &why, "not_an_extension", 0);

	/* A lapsed plan: until after its end but not after now. */
	expect_refusal(observation_plan_check_extension(&p, e + HOURS(1),
	    e + HOURS(2), &why), &why, "not_an_extension", 0);
	expect_refusal(observation_plan_check_extension(&p, e + HOURS(2),
	    e + HOURS(2), &why), &why, "not_an_extension", 0);
	assert_int_equal(observation_plan_check_extension(&p,
	    e + HOURS(2) + 1, e + HOURS(2), &why), 0);

	/* 14 days from arrival is the limit, inclusive. */
	assert_int_equal(observation_plan_check_extension(&p,
	    a + 14 * MS_PER_DAY, now, &why), 0);
	expect_refusal(observation_plan_check_extension(&p,
	    a + 14 * MS_PER_DAY + 1, now, &why), &why, "plan_too_long", 0);
	/* From arrival, not from the flag. */
	observation_plan_start(&p, a, a + HOURS(5), &policy);
	expect_refusal(observation_plan_check_extension(&p,
	    a + 14 * MS_PER_DAY + HOURS(1), now, &why), &why,
	    "plan_too_long", 0);

	/* An ended plan: a state conflict, even for a good until. */
	p.ended_at = a + HOURS(30);
	expect_refusal(observation_plan_check_extension(&p, e + HOURS(24),
	    now, &why), &why, "plan_ended", 1);
}

/* ---- intervals ---- */

static void
check_intervals(const struct observation_policy *pol, int64_t base,
    const int64_t want[5])
{
	struct news2_result	r;
	int			b;

	for (b = NEWS2_BAND_ZERO; b <= NEWS2_BAND_HIGH; b++) {
		r = scored((enum news2_band)b);
		if (observation_interval(pol, base, &r) != want[b])
			fail_msg("base %lld min, band %s: want %lld min, got "
			    "%lld ms", (long long)(base / MS_PER_MINUTE),
			    news2_band_name((enum news2_band)b),
			    (long long)(want[b] / MS_PER_MINUTE),
			    (long long)observation_interval(pol, base, &r));
	}
}

static void
test_interval(void **state)
{
	struct observation_policy	pol = policy;

	(void)state;
	{	/* The default: base 4 h. */
		const int64_t w[5] = { MIN(240), MIN(240), MIN(60), MIN(60),
		    MIN(30) };
		check_intervals(&pol, MIN(240), w);
	}
	{	/* A base longer than every band's interval. */
		const int64_t w[5] = { MIN(600), MIN(240), MIN(60), MIN(60),
		    MIN(30) };
		check_intervals(&pol, MIN(600), w);
	}
	{	/* Shorter than low's. */
		const int64_t w[5] = { MIN(120), MIN(120), MIN(60), MIN(60),
		    MIN(30) };
		check_intervals(&pol, MIN(120), w);
	}
	{	/* Shorter than medium's. */
		const int64_t w[5] = { MIN(45), MIN(45), MIN(45), MIN(45),
		    MIN(30) };
		check_intervals(&pol, MIN(45), w);
	}
	{	/* Shorter than high's: never lengthened. */
		const int64_t w[5] = { MIN(20), MIN(20), MIN(20), MIN(20),
		    MIN(20) };
		check_intervals(&pol, MIN(20), w);
	}
	{	/* Each band's interval apart from the others. */
		const int64_t w[5] = { MIN(240), MIN(180), MIN(90), MIN(90),
		    MIN(15) };

		pol.low_ms = MIN(180);
		pol.medium_ms = MIN(90);
		pol.high_ms = MIN(15);
		check_intervals(&pol, MIN(240), w);
	}
	{	/* The plan's own base, not the policy's. */
		const int64_t w[5] = { MIN(200), MIN(180), MIN(90), MIN(90),
		    MIN(15) };

		pol.base_ms = MIN(600);
		check_intervals(&pol, MIN(200), w);
	}
}

/* ---- dues ---- */

static void
test_due_place(void **state)
{
	static const struct {
		int64_t	interval, warn, missed;	/* after due_at */
	} cases[] = {
		{ MIN(240), MIN(15), MIN(240) },
		{ MIN(60), MIN(15), MIN(60) },
		{ MIN(30), MIN(15), MIN(30) },
		{ MIN(15) + 1, MIN(15), MIN(15) + 1 },
		/* Shorter than the grace, or equal: just after the warning. */
		{ MIN(15), MIN(15), MIN(15) + 1 },
		{ MIN(10), MIN(15), MIN(15) + 1 },
		{ 1, MIN(15), MIN(15) + 1 },
	};
	struct observation_due	d;
	int64_t			due = instant("2026-06-01T12:00:00Z");
	size_t			i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		memset(&d, 0xa5, sizeof d);
		observation_due_place(&d, due, cases[i].interval, &policy);
		assert_true(d.due_at == due);
		assert_true(d.interval_ms == cases[i].interval);
		if (d.warn_at != due + cases[i].warn ||
		    d.missed_at != due + cases[i].missed)
			fail_msg("interval %lld ms: warn +%lld missed +%lld",
			    (long long)cases[i].interval,
			    (long long)(d.warn_at - due),
			    (long long)(d.missed_at - due));
		assert_true(d.missed_at > d.warn_at);
	}
}

static void
test_due_met(void **state)
{
	struct observation_due	d;
	int64_t			due = instant("2026-06-01T12:00:00Z");

	(void)state;
	observation_due_place(&d, due, MIN(240), &policy);
	assert_int_equal(observation_due_met(&d, due - HOURS(3)),
	    OBS_DUE_ON_TIME);				/* early */
	assert_int_equal(observation_due_met(&d, due - 1), OBS_DUE_ON_TIME);
	assert_int_equal(observation_due_met(&d, due), OBS_DUE_ON_TIME);
	assert_int_equal(observation_due_met(&d, d.warn_at), OBS_DUE_ON_TIME);
	assert_int_equal(observation_due_met(&d, d.warn_at + 1), OBS_DUE_LATE);
	assert_int_equal(observation_due_met(&d, d.missed_at - 1),
	    OBS_DUE_LATE);

	/* A different grace moves the edge. */
	{
		struct observation_policy	pol = policy;

		pol.grace_ms = MIN(5);
		observation_due_place(&d, due, MIN(30), &pol);
		assert_int_equal(observation_due_met(&d, due + MIN(5)),
		    OBS_DUE_ON_TIME);
		assert_int_equal(observation_due_met(&d, due + MIN(5) + 1),
		    OBS_DUE_LATE);
	}
}

static void
test_check_time(void **state)
{
	struct refusal	why;
	int64_t		now = instant("2026-06-02T12:00:00Z");
	int64_t		arr = now - HOURS(24), last = now - HOURS(1);

	(void)state;
	memset(&why, 0, sizeof why);
	assert_int_equal(observation_check_time(now, now, arr, 0, &policy,
	    &why), 0);

	/* Five minutes of clock drift, and no more. */
	assert_int_equal(observation_check_time(now + MIN(5), now, arr, 0,
	    &policy, &why), 0);
	expect_refusal(observation_check_time(now + MIN(5) + 1, now, arr, 0,
	    &policy, &why), &why, "taken_in_future", 0);

	/* Not before arrival. */
	assert_int_equal(observation_check_time(now - HOURS(2), now,
	    now - HOURS(2), 0, &policy, &why), 0);
	expect_refusal(observation_check_time(now - HOURS(2) - 1, now,
	    now - HOURS(2), 0, &policy, &why), &why, "taken_before_arrival",
	    0);

	/* max_past_hours back, and no further. */
	assert_int_equal(observation_check_time(now - HOURS(12), now, arr, 0,
	    &policy, &why), 0);
	expect_refusal(observation_check_time(now - HOURS(12) - 1, now, arr,
	    0, &policy, &why), &why, "taken_too_long_ago", 0);

	/* In order: at the last one's time is allowed, before it is not. */
	assert_int_equal(observation_check_time(last, now, arr, last,
	    &policy, &why), 0);
	assert_int_equal(observation_check_time(last + 1, now, arr, last,
	    &policy, &why), 0);
	expect_refusal(observation_check_time(last - 1, now, arr, last,
	    &policy, &why), &why, "observation_out_of_order", 1);
	/* 0 is no last observation. */
	assert_int_equal(observation_check_time(now - HOURS(11), now, arr, 0,
	    &policy, &why), 0);
}

static void
test_state_names(void **state)
{
	static const struct {
		enum observation_due_state	s;
		const char			*name;
	} names[] = {
		{ OBS_DUE_OPEN, "open" },
		{ OBS_DUE_ON_TIME, "on_time" },
		{ OBS_DUE_LATE, "late" },
		{ OBS_DUE_MISSED, "missed" },
		{ OBS_DUE_CANCELLED, "cancelled" },
	};
	static const char *const bad[] = {
		"", "Missed", "on-time", "overdue", "open ", "cancel",
	};
	enum observation_due_state	s;
	size_t				i;

	(void)state;
	for (i = 0; i < NITEMS(names); i++) {
		assert_string_equal(observation_due_state_name(names[i].s),
		    names[i].name);
		s = (enum observation_due_state)99;
		assert_int_equal(observation_due_state_parse(names[i].name,
		    &s), 0);
		assert_int_equal(s, names[i].s);
	}
	for (i = 0; i < NITEMS(bad); i++)
		assert_int_equal(observation_due_state_parse(bad[i], &s), -1);
}

/* ---- whole plans in virtual time ----
 *
 * The scheduler as daemon/services/observing.c runs it: a plan has at most one
 * open due; at warn_at an open due is warned once; at missed_at it is
 * missed and the next opens at missed_at with the same interval if the
 * plan runs then; an observation meets the open due and opens the next at
 * taken_at plus the interval its score chose, if the plan runs then. */

#define SIM_MAX	128

struct sim {
	struct observation_plan	plan;
	struct observation_due	open;
	int			has_open;
	struct observation_due	closed[SIM_MAX];
	int			nclosed;
	int			warnings;
	int64_t			now;
	struct observation	last;		/* taken_at 0: none */
};

static void
sim_open(struct sim *s, int64_t due_at, int64_t interval, int64_t opened_at)
{
	struct observation_due	d;

	if (!observation_due_open(&d, &s->plan, due_at, interval, opened_at,
	    s->now, &policy))
		return;
	assert_false(s->has_open);
	assert_true(due_at >= s->plan.counts_from &&
	    due_at < s->plan.ends_at);
	assert_int_equal(d.state, OBS_DUE_OPEN);
	s->open = d;
	s->has_open = 1;
}

static void
sim_close(struct sim *s, enum observation_due_state st)
{
	assert_true(s->has_open);
	assert_true(s->nclosed < SIM_MAX);
	s->open.state = st;
	s->closed[s->nclosed++] = s->open;
	s->has_open = 0;
}

static void
sim_start(struct sim *s, int64_t arrived_at, int64_t flagged_at)
{
	memset(s, 0, sizeof *s);
	observation_plan_start(&s->plan, arrived_at, flagged_at, &policy);
	s->now = flagged_at;
	sim_open(s, s->plan.counts_from, s->plan.base_interval_ms,
	    s->plan.counts_from);
}

/* The scheduler at every deadline up to and including to: misses first,
 * then warnings. */
static void
sim_run_until(struct sim *s, int64_t to)
{
	struct observation_due	d;
	int64_t			next;

	while (s->has_open) {
		next = s->open.warned ? s->open.missed_at : s->open.warn_at;
		if (next > to)
			break;
		assert_true(next >= s->now);
		s->now = next;
		if (s->open.missed_at <= s->now) {
			d = s->open;
			sim_close(s, OBS_DUE_MISSED);
			sim_open(s, d.missed_at, d.interval_ms, d.missed_at);
		} else {
			s->open.warned = 1;
			s->warnings++;
		}
	}
	if (to > s->now)
		s->now = to;
}

/* An observation recorded as it is taken, as observing_record() records
 * it: the open due is the one last opened; returns the next due (0 for
 * none). */
static int64_t
sim_observe(struct sim *s, int64_t taken_at, enum news2_band band)
{
	struct observation_record_effects	e;
	struct observation			o;
	const struct observation_due		*open;

	sim_run_until(s, taken_at - 1);
	memset(&o, 0, sizeof o);
	strcpy(o.id, "sim");
	o.taken_at = taken_at;
	o.result = scored(band);
	s->last = o;
	open = s->has_open ? &s->open : NULL;
	observation_record_plan(&s->plan, open, open, &o, &policy, taken_at,
	    &e);
	assert_false(e.hastens);
	assert_int_equal(e.meets, s->has_open);
	if (e.meets) {
		s->open = e.due;
		sim_close(s, e.due.state);
	}
	if (e.opens)
		sim_open(s, e.next_due_at, e.interval_ms, taken_at);
	return e.next_due_at;
}

struct want_due {
	int64_t				due_at;
	int64_t				interval;
	enum observation_due_state	state;
	int64_t				taken_at;	/* 0: none */
};

static void
sim_expect(const struct sim *s, const struct want_due *w, int n)
{
	char	a[TIMEFMT_INSTANT_LEN], b[TIMEFMT_INSTANT_LEN];
	int	i;

	for (i = 0; i < n && i < s->nclosed; i++) {
		const struct observation_due	*d = &s->closed[i];

		if (d->due_at != w[i].due_at || d->interval_ms !=
		    w[i].interval || d->state != w[i].state ||
		    (w[i].taken_at != 0 && d->taken_at != w[i].taken_at)) {
			timefmt_format_instant(w[i].due_at, a);
			timefmt_format_instant(d->due_at, b);
			fail_msg("due %d: want %s every %lld min %s, got %s "
			    "every %lld min %s", i, a,
			    (long long)(w[i].interval / MS_PER_MINUTE),
			    observation_due_state_name(w[i].state), b,
			    (long long)(d->interval_ms / MS_PER_MINUTE),
			    observation_due_state_name(d->state));
		}
	}
	assert_int_equal(s->nclosed, n);
}

/* Scores shorten and lengthen the interval; an unattended stretch is
 * missed every interval; the plan stops at arrival + 72 h. */
static void
test_sim_scores(void **state)
{
	struct sim	s;
	struct want_due	w[SIM_MAX];
	int64_t		a = instant("2026-06-01T08:00:00Z");
	int		n = 0, k;

	(void)state;
	sim_start(&s, a, a);
	assert_true(s.has_open && s.open.due_at == a);

	/* Zero: 4 h. */
	assert_true(sim_observe(&s, a + MIN(10), NEWS2_BAND_ZERO) ==
	    a + MIN(250));
	w[n++] = (struct want_due){ a, MIN(240), OBS_DUE_ON_TIME, a + MIN(10) };
	/* 20 min after its due (past the grace), high: 30 min. */
	assert_true(sim_observe(&s, a + MIN(270), NEWS2_BAND_HIGH) ==
	    a + MIN(300));
	w[n++] = (struct want_due){ a + MIN(250), MIN(240), OBS_DUE_LATE,
	    a + MIN(270) };
	assert_int_equal(s.warnings, 1);
	/* On the due, high again. */
	assert_true(sim_observe(&s, a + MIN(300), NEWS2_BAND_HIGH) ==
	    a + MIN(330));
	w[n++] = (struct want_due){ a + MIN(300), MIN(30), OBS_DUE_ON_TIME,
	    a + MIN(300) };
	/* At the end of the grace, medium: 1 h. */
	assert_true(sim_observe(&s, a + MIN(345), NEWS2_BAND_MEDIUM) ==
	    a + MIN(405));
	w[n++] = (struct want_due){ a + MIN(330), MIN(30), OBS_DUE_ON_TIME,
	    a + MIN(345) };
	/* 10 min early, zero: back to the base. */
	assert_true(sim_observe(&s, a + MIN(395), NEWS2_BAND_ZERO) ==
	    a + MIN(635));
	w[n++] = (struct want_due){ a + MIN(405), MIN(60), OBS_DUE_ON_TIME,
	    a + MIN(395) };
	/* Low: the base (low is no shorter here). */
	assert_true(sim_observe(&s, a + MIN(640), NEWS2_BAND_LOW) ==
	    a + MIN(880));
	w[n++] = (struct want_due){ a + MIN(635), MIN(240), OBS_DUE_ON_TIME,
	    a + MIN(640) };
	/* An hour late, a single red 3: 1 h. */
	assert_true(sim_observe(&s, a + MIN(940), NEWS2_BAND_LOW_MEDIUM) ==
	    a + MIN(1000));
	w[n++] = (struct want_due){ a + MIN(880), MIN(240), OBS_DUE_LATE,
	    a + MIN(940) };
	assert_int_equal(s.warnings, 2);

	/* Unattended for three hours and a half: missed every hour. */
	sim_run_until(&s, a + MIN(1210) - 1);
	for (k = 0; k < 3; k++)
		w[n++] = (struct want_due){ a + MIN(1000 + 60 * k), MIN(60),
		    OBS_DUE_MISSED, 0 };
	assert_true(s.has_open && s.open.due_at == a + MIN(1180));
	assert_int_equal(s.warnings, 6);
	/* Seen again, zero: late, then 4 h. */
	assert_true(sim_observe(&s, a + MIN(1210), NEWS2_BAND_ZERO) ==
	    a + MIN(1450));
	w[n++] = (struct want_due){ a + MIN(1180), MIN(60), OBS_DUE_LATE,
	    a + MIN(1210) };

	/* Unattended to 71 h: missed every 4 h. */
	sim_run_until(&s, a + HOURS(71) - 1);
	for (k = 0; k < 11; k++)
		w[n++] = (struct want_due){ a + MIN(1450 + 240 * k), MIN(240),
		    OBS_DUE_MISSED, 0 };
	assert_true(s.has_open && s.open.due_at == a + MIN(1450 + 240 * 11));
	/* The last: late, and nothing after it (71 h + 4 h is past the
	 * end). */
	assert_true(sim_observe(&s, a + HOURS(71), NEWS2_BAND_ZERO) == 0);
	w[n++] = (struct want_due){ a + MIN(1450 + 240 * 11), MIN(240),
	    OBS_DUE_LATE, a + HOURS(71) };
	assert_false(s.has_open);
	sim_run_until(&s, a + HOURS(100));
	assert_false(s.has_open);
	sim_expect(&s, w, n);
	assert_int_equal(s.warnings, 6 + 11 + 1);
	for (k = 0; k < s.nclosed; k++)
		assert_true(s.closed[k].due_at < s.plan.ends_at);
}

/* Left alone from the flag, 5 h after arrival: the first due is the flag,
 * none before it, one missed every 4 h to the end of 72 h from arrival;
 * the last missed after the end, with nothing opened after it. */
static void
test_sim_unattended_late_flag(void **state)
{
	struct sim	s;
	struct want_due	w[SIM_MAX];
	int64_t		a = instant("2026-06-01T08:00:00Z");
	int		n = 0, k;

	(void)state;
	sim_start(&s, a, a + HOURS(5));
	assert_true(s.plan.ends_at == a + HOURS(72));
	assert_true(s.has_open && s.open.due_at == a + HOURS(5));
	sim_run_until(&s, a + HOURS(100));
	for (k = 0; k < 17; k++)	/* 5, 9, ... 69 h */
		w[n++] = (struct want_due){ a + HOURS(5 + 4 * k), HOURS(4),
		    OBS_DUE_MISSED, 0 };
	sim_expect(&s, w, n);
	assert_int_equal(s.warnings, 17);
	assert_false(s.has_open);
	assert_true(s.closed[16].missed_at == a + HOURS(73));
}

/* The last due a score can open: one that falls at the end is not
 * opened, one a millisecond before it is. */
static void
test_sim_plan_end(void **state)
{
	struct sim	s;
	int64_t		a = instant("2026-06-01T08:00:00Z");
	int64_t		e = a + HOURS(72);

	(void)state;
	sim_start(&s, a, a);
	sim_run_until(&s, e - MIN(40));
	assert_true(sim_observe(&s, e - MIN(30), NEWS2_BAND_HIGH) == 0);
	assert_false(s.has_open);

	sim_start(&s, a, a);
	sim_run_until(&s, e - MIN(40));
	assert_true(sim_observe(&s, e - MIN(30) - 1, NEWS2_BAND_HIGH) ==
	    e - 1);
	assert_true(s.has_open && s.open.due_at == e - 1);
	/* Missed after the end, and nothing follows. */
	sim_run_until(&s, e + HOURS(1));
	assert_false(s.has_open);
	assert_int_equal(s.closed[s.nclosed - 1].state, OBS_DUE_MISSED);
	assert_true(s.closed[s.nclosed - 1].due_at == e - 1);
}

/* Across the spring change (Sunday 28 March 2027, 01:00 GMT becomes 02:00
 * BST): intervals are durations, so dues fall exactly N hours apart in
 * UTC and the wall clock jumps with the change. */
static void
test_sim_dst(void **state)
{
	static const char *const local[] = {
		"Sat 27 Mar 20:00 GMT", "Sun 28 Mar 00:00 GMT",
		"Sun 28 Mar 02:15 BST", "Sun 28 Mar 02:45 BST",
		"Sun 28 Mar 07:00 BST", "Sun 28 Mar 11:00 BST",
	};
	struct sim	s;
	struct want_due	w[SIM_MAX];
	char		buf[CALENDAR_LOCAL_LEN];
	int64_t		a = instant("2027-03-27T20:00:00Z");
	int64_t		t;
	int		n = 0, k;

	(void)state;
	sim_start(&s, a, a);
	/* 72 real hours: 21:00 on the wall clock, not 20:00. */
	assert_true(s.plan.ends_at == instant("2027-03-30T21:00:00+01:00"));

	/* 00:45 GMT, high: the next is 30 min later, 02:15 BST. */
	t = instant("2027-03-28T00:45:00Z");
	assert_true(sim_observe(&s, t, NEWS2_BAND_HIGH) == t + MIN(30));
	assert_true(s.open.due_at == instant("2027-03-28T02:15:00+01:00"));
	w[n++] = (struct want_due){ a, HOURS(4), OBS_DUE_MISSED, 0 };
	w[n++] = (struct want_due){ instant("2027-03-28T00:00:00Z"), HOURS(4),
	    OBS_DUE_LATE, t };
	/* 02:15 BST missed at 02:45 BST, which is met at its grace. */
	t = instant("2027-03-28T03:00:00+01:00");
	assert_true(sim_observe(&s, t, NEWS2_BAND_ZERO) == t + HOURS(4));
	w[n++] = (struct want_due){ instant("2027-03-28T01:15:00Z"), MIN(30),
	    OBS_DUE_MISSED, 0 };
	w[n++] = (struct want_due){ instant("2027-03-28T01:45:00Z"), MIN(30),
	    OBS_DUE_ON_TIME, t };
	assert_true(s.open.due_at == instant("2027-03-28T07:00:00+01:00"));

	/* Then unattended to the end: 06:00Z + 4 h k up to 30 March 18:00Z. */
	sim_run_until(&s, instant("2027-04-01T00:00:00Z"));
	for (k = 0; k < 16; k++)
		w[n++] = (struct want_due){ instant("2027-03-28T06:00:00Z") +
		    HOURS(4 * k), HOURS(4), OBS_DUE_MISSED, 0 };
	sim_expect(&s, w, n);
	assert_true(s.closed[n - 1].due_at ==
	    instant("2027-03-30T19:00:00+01:00"));
	assert_false(s.has_open);
	assert_int_equal(s.warnings, 3 + 16);

	/* Every miss opened the next exactly its interval later. */
	for (k = 1; k < n; k++)
		if (s.closed[k - 1].state == OBS_DUE_MISSED)
			assert_true(s.closed[k].due_at ==
			    s.closed[k - 1].due_at + s.closed[k - 1].interval_ms);
	/* And the wall clock shows the jump. */
	for (k = 0; k < (int)NITEMS(local); k++) {
		calendar_format_local(s.closed[k].due_at, buf);
		assert_string_equal(buf, local[k]);
	}
}

/* ---- recording an observation (observation_record_plan) ---- */

/* A due as the store keeps it. */
static struct observation_due
due(const char *id, int64_t opened_at, int64_t due_at, int64_t interval,
    enum observation_due_state state)
{
	struct observation_due	d;

	memset(&d, 0, sizeof d);
	strcpy(d.id, id);
	d.opened_at = opened_at;
	observation_due_place(&d, due_at, interval, &policy);
	d.state = state;
	return d;
}

/* An observation taken at taken_at scoring in a band. */
static struct observation
observed(int64_t taken_at, enum news2_band band)
{
	struct observation	o;

	memset(&o, 0, sizeof o);
	strcpy(o.id, "obs");
	o.taken_at = taken_at;
	o.result = scored(band);
	return o;
}

/* record(plan, held, open, taken, band, now): the effects. */
static struct observation_record_effects
record(const struct observation_plan *plan, const struct observation_due *held,
    const struct observation_due *open, int64_t taken_at,
    enum news2_band band, int64_t now)
{
	struct observation_record_effects	e;
	struct observation			o = observed(taken_at, band);

	memset(&e, 0xa5, sizeof e);
	observation_record_plan(plan, held, open, &o, &policy, now, &e);
	return e;
}

/* Issue 22's plan at 14:20Z: arrived 08:00Z, the 13:05 due (opened at
 * 12:05 by an observation scoring 6) missed at 14:05, and 14:05 open.
 * Returns the arrival. */
static int64_t
issue22(struct observation_plan *p, struct observation_due *held,
    struct observation_due *open)
{
	int64_t	a = instant("2027-01-20T08:00:00Z");

	observation_plan_start(p, a, a, &policy);
	*held = due("d1305", a + MIN(245), a + MIN(305), MIN(60),
	    OBS_DUE_MISSED);
	*open = due("d1405", a + MIN(365), a + MIN(365), MIN(60),
	    OBS_DUE_OPEN);
	return a;
}

/* Issue 22's reproduction: arrived 08:00Z; 08:01 scored 0 and 12:05
 * scored 6 (next due 13:05); the 13:05 due missed at 14:05, which opened
 * 14:05; at 14:20 an observation taken at 13:00 is written up.  The 13:05
 * due opened at 12:05, so it held 13:00: met, early, which is on time;
 * 14:05 stays open.  A due's window starts when it opened, not at its
 * due time. */
static void
test_record_written_up_late(void **state)
{
	struct observation_plan			p;
	struct observation_due			held, open, met;
	struct observation_record_effects	e;
	int64_t					a = issue22(&p, &held,
						    &open);

	(void)state;
	e = record(&p, &held, &open, a + HOURS(5), NEWS2_BAND_ZERO,
	    a + MIN(380));
	assert_true(e.meets);
	assert_string_equal(e.due.id, "d1305");
	assert_int_equal(e.due.state, OBS_DUE_ON_TIME);
	assert_true(e.due.taken_at == a + HOURS(5));
	assert_string_equal(e.due.observation_id, "obs");
	assert_true(e.due.due_at == held.due_at &&
	    e.due.missed_at == held.missed_at);
	assert_false(e.opens);
	assert_false(e.hastens);	/* 4 h is not shorter than 1 h */
	assert_true(e.next_due_at == open.due_at);
	assert_false(e.alerts);

	/* The due open now opened after 13:00: it held nothing then, and
	 * is not met by it (the defect credited it). */
	e = record(&p, &open, &open, a + HOURS(5), NEWS2_BAND_ZERO,
	    a + MIN(380));
	assert_false(e.meets);
	assert_false(e.opens);
	assert_true(e.next_due_at == open.due_at);

	/* Then one taken at 13:30, written up at 14:25: the due last opened
	 * by then is the 13:05, met already; it meets nothing. */
	met = held;
	met.state = OBS_DUE_ON_TIME;
	met.taken_at = a + HOURS(5);
	e = record(&p, &met, &open, a + MIN(330), NEWS2_BAND_ZERO,
	    a + MIN(385));
	assert_false(e.meets);
	assert_false(e.opens);
	assert_true(e.next_due_at == open.due_at);

	/* Late: after the grace, before the miss. */
	e = record(&p, &held, &open, a + MIN(321), NEWS2_BAND_ZERO,
	    a + MIN(380));
	assert_true(e.meets);
	assert_int_equal(e.due.state, OBS_DUE_LATE);
	assert_true(e.next_due_at == open.due_at);
}

/* A due's window: from when it opened (inclusive) to when it was missed
 * (exclusive); an open one has no end; a met or cancelled one holds
 * nothing more. */
static void
test_due_holds(void **state)
{
	struct observation_due	d;
	int64_t			o = instant("2027-01-20T12:05:00Z");

	(void)state;
	assert_false(observation_due_holds(NULL, o));
	d = due("d", o, o + MIN(60), MIN(60), OBS_DUE_MISSED);
	assert_false(observation_due_holds(&d, o - 1));
	assert_true(observation_due_holds(&d, o));	/* early: on time */
	assert_int_equal(observation_due_met(&d, o), OBS_DUE_ON_TIME);
	assert_true(observation_due_holds(&d, d.missed_at - 1));
	assert_false(observation_due_holds(&d, d.missed_at));
	d.state = OBS_DUE_OPEN;		/* the scheduler not yet run */
	assert_true(observation_due_holds(&d, d.missed_at + HOURS(1)));
	assert_false(observation_due_holds(&d, o - 1));
	d.state = OBS_DUE_ON_TIME;
	assert_false(observation_due_holds(&d, o + MIN(10)));
	d.state = OBS_DUE_LATE;
	assert_false(observation_due_holds(&d, o + MIN(10)));
	d.state = OBS_DUE_CANCELLED;
	assert_false(observation_due_holds(&d, o + MIN(10)));
}

/* Written up late, the open due moves earlier only for a strictly
 * shorter interval, to that interval after the observation if that is
 * earlier; it is warned again if its new warning is still to come. */
static void
test_record_hasten(void **state)
{
	struct observation_plan			p;
	struct observation_due			held, open;
	struct observation_record_effects	e;
	int64_t					a = issue22(&p, &held,
						    &open);

	(void)state;
	open.warned = 1;

	/* High (30 min) at 13:00: due at 13:30, every 30 min, still
	 * warned (13:45 has passed at 14:20). */
	e = record(&p, &held, &open, a + HOURS(5), NEWS2_BAND_HIGH,
	    a + MIN(380));
	assert_true(e.meets && e.hastens && !e.opens);
	assert_string_equal(e.open.id, "d1405");
	assert_true(e.open.due_at == a + MIN(330));
	assert_true(e.open.interval_ms == MIN(30));
	assert_true(e.open.warn_at == a + MIN(345));
	assert_true(e.open.missed_at == a + MIN(360));
	assert_true(e.open.opened_at == open.opened_at);
	assert_int_equal(e.open.warned, 1);
	assert_true(e.next_due_at == a + MIN(330));
	assert_true(e.alerts && e.severity == SEVERITY_EMERGENCY);

	/* The same interval (medium, 1 h): it stays, though 14:00 is
	 * earlier than 14:05. */
	e = record(&p, &held, &open, a + HOURS(5), NEWS2_BAND_MEDIUM,
	    a + MIN(380));
	assert_true(e.meets && !e.hastens);
	assert_true(e.next_due_at == open.due_at);
	assert_true(e.alerts && e.severity == SEVERITY_URGENT);

	/* Shorter, but 13:50 + 30 min is after 14:05: the due time stays,
	 * the interval shortens. */
	e = record(&p, &held, &open, a + MIN(350), NEWS2_BAND_HIGH,
	    a + MIN(380));
	assert_true(e.hastens);
	assert_true(e.open.due_at == open.due_at);
	assert_true(e.open.interval_ms == MIN(30));
	assert_true(e.next_due_at == open.due_at);

	/* Moved to a warning still to come: warned again. */
	open = due("d1800", a + MIN(365), a + HOURS(10), HOURS(4),
	    OBS_DUE_OPEN);
	open.warned = 1;
	e = record(&p, &held, &open, a + MIN(355), NEWS2_BAND_HIGH,
	    a + MIN(370));
	assert_true(e.hastens);
	assert_true(e.open.due_at == a + MIN(385));
	assert_int_equal(e.open.warned, 0);
}

/* Taken before the flag (written up after it): it meets nothing; the
 * first due, at the flag, stays there, on the shorter interval if the
 * score asks. */
static void
test_record_before_flag(void **state)
{
	struct observation_plan			p;
	struct observation_due			first;
	struct observation_record_effects	e;
	int64_t					a = instant(
						    "2027-07-14T08:00:00Z");
	int64_t					f = a + HOURS(10);

	(void)state;
	observation_plan_start(&p, a, f, &policy);
	first = due("first", f, f, HOURS(4), OBS_DUE_OPEN);
	e = record(&p, NULL, &first, a + HOURS(1), NEWS2_BAND_HIGH, f);
	assert_false(e.meets);
	assert_true(e.hastens);
	assert_true(e.open.due_at == f && e.open.interval_ms == MIN(30));
	assert_true(e.next_due_at == f);
	e = record(&p, NULL, &first, a + HOURS(1), NEWS2_BAND_LOW, f);
	assert_false(e.meets || e.hastens || e.opens);
	assert_true(e.next_due_at == f);
}

/* Recorded as it is taken: it meets the open due (on time, late, or late
 * after its miss when the scheduler has not yet run) and the next is due
 * the score's interval later, across midnight as any other time. */
static void
test_record_midnight(void **state)
{
	struct observation_plan			p;
	struct observation_due			open;
	struct observation_record_effects	e;
	int64_t					a = instant(
						    "2027-01-20T16:00:00Z");
	int64_t					t = instant(
						    "2027-01-20T23:50:00Z");
	char					buf[CALENDAR_LOCAL_LEN];

	(void)state;
	observation_plan_start(&p, a, a, &policy);
	open = due("d2000", a, a + HOURS(4), HOURS(4), OBS_DUE_OPEN);
	e = record(&p, &open, &open, t, NEWS2_BAND_MEDIUM, t);
	assert_true(e.meets && e.opens && !e.hastens);
	assert_int_equal(e.due.state, OBS_DUE_LATE);
	assert_true(e.next_due_at == instant("2027-01-21T00:50:00Z"));
	assert_true(e.interval_ms == MIN(60));
	calendar_format_local(e.next_due_at, buf);
	assert_string_equal(buf, "Thu 21 Jan 00:50 GMT");

	/* Past its miss, still open (the scheduler runs next): late. */
	e = record(&p, &open, &open, open.missed_at + MIN(5),
	    NEWS2_BAND_ZERO, open.missed_at + MIN(5));
	assert_true(e.meets && e.opens);
	assert_int_equal(e.due.state, OBS_DUE_LATE);
	assert_true(e.next_due_at == open.missed_at + MIN(5) + HOURS(4));

	/* Written up after midnight, taken before it: the due missed at
	 * 00:00, opened 20:00, is met late; the one open from midnight
	 * stays. */
	open = due("d0000", instant("2027-01-21T00:00:00Z"),
	    instant("2027-01-21T00:00:00Z"), HOURS(4), OBS_DUE_OPEN);
	{
		struct observation_due	held = due("d2000", a + HOURS(4),
		    a + HOURS(4), HOURS(4), OBS_DUE_MISSED);

		e = record(&p, &held, &open, t, NEWS2_BAND_ZERO,
		    instant("2027-01-21T00:20:00Z"));
	}
	assert_true(e.meets && !e.opens && !e.hastens);
	assert_int_equal(e.due.state, OBS_DUE_LATE);
	assert_true(e.next_due_at == open.due_at);
}

/* Intervals are durations across both changes of 2027 in Europe/London:
 * on 28 March 00:30 GMT + 4 h is 05:30 BST; on 31 October 01:30 BST +
 * 1 h is the second 01:30, GMT. */
static void
test_record_dst(void **state)
{
	struct observation_plan			p;
	struct observation_due			open, held;
	struct observation_record_effects	e;
	char					buf[CALENDAR_LOCAL_LEN];
	int64_t					t;

	(void)state;
	t = instant("2027-03-28T00:30:00Z");
	observation_plan_start(&p, t - HOURS(6), t - HOURS(6), &policy);
	open = due("spring", t - HOURS(2), t, HOURS(4), OBS_DUE_OPEN);
	e = record(&p, &open, &open, t, NEWS2_BAND_ZERO, t);
	assert_true(e.opens && e.next_due_at == t + HOURS(4));
	calendar_format_local(e.next_due_at, buf);
	assert_string_equal(buf, "Sun 28 Mar 05:30 BST");

	t = instant("2027-10-31T00:30:00Z");
	observation_plan_start(&p, t - HOURS(6), t - HOURS(6), &policy);
	open = due("autumn", t - HOURS(2), t, HOURS(4), OBS_DUE_OPEN);
	calendar_format_local(t, buf);
	assert_string_equal(buf, "Sun 31 Oct 01:30 BST");
	e = record(&p, &open, &open, t, NEWS2_BAND_MEDIUM, t);
	assert_true(e.opens && e.next_due_at == t + HOURS(1));
	calendar_format_local(e.next_due_at, buf);
	assert_string_equal(buf, "Sun 31 Oct 01:30 GMT");

	/* Written up late across the autumn change: a due at 01:15 BST
	 * (00:15Z), missed at 01:15 GMT (an hour later), held an
	 * observation at 01:10 GMT, in the repeated hour. */
	held = due("held", t - HOURS(1), t - MIN(15), HOURS(1),
	    OBS_DUE_MISSED);
	open = due("open", held.missed_at, held.missed_at, HOURS(1),
	    OBS_DUE_OPEN);
	e = record(&p, &held, &open, instant("2027-10-31T01:10:00Z"),
	    NEWS2_BAND_ZERO, instant("2027-10-31T01:30:00Z"));
	assert_true(e.meets && !e.opens);
	assert_int_equal(e.due.state, OBS_DUE_LATE);
	assert_true(e.next_due_at == open.due_at);
}

/* The end of the 72 h plan: a next due at the end is not opened, one a
 * millisecond before it is; an observation written up late for the
 * plan's last due, missed with nothing after it, sets no next. */
static void
test_record_plan_end(void **state)
{
	struct observation_plan			p;
	struct observation_due			last;
	struct observation_record_effects	e;
	int64_t					a = instant(
						    "2027-01-20T08:00:00Z");
	int64_t					end = a + HOURS(72);

	(void)state;
	observation_plan_start(&p, a, a, &policy);
	last = due("last", end - HOURS(5), end - HOURS(1), HOURS(4),
	    OBS_DUE_OPEN);
	e = record(&p, &last, &last, end - MIN(30), NEWS2_BAND_HIGH,
	    end - MIN(30));
	assert_true(e.meets && !e.opens);
	assert_int_equal(e.due.state, OBS_DUE_LATE);
	assert_true(e.next_due_at == 0);
	e = record(&p, &last, &last, end - MIN(30) - 1, NEWS2_BAND_HIGH,
	    end - MIN(30));
	assert_true(e.opens && e.next_due_at == end - 1);

	last.state = OBS_DUE_MISSED;
	e = record(&p, &last, NULL, end - MIN(50), NEWS2_BAND_HIGH,
	    last.missed_at + MIN(10));
	assert_true(e.meets && !e.opens && !e.hastens);
	assert_true(e.next_due_at == 0);

	/* An ended plan runs at no time: nothing opens. */
	p.ended_at = end - HOURS(2);
	last.state = OBS_DUE_OPEN;
	e = record(&p, &last, &last, end - HOURS(3), NEWS2_BAND_ZERO,
	    end - HOURS(3));
	assert_true(e.meets && !e.opens && e.next_due_at == 0);
}

/* Without a plan only the alert; with a plan and no due at all, the next
 * is due after the score's interval.  The alert by band. */
static void
test_record_no_plan(void **state)
{
	static const struct {
		enum news2_band		band;
		int			alerts;
		enum alert_severity	severity;
	} bands[] = {
		{ NEWS2_BAND_ZERO, 0, SEVERITY_INFO },
		{ NEWS2_BAND_LOW, 0, SEVERITY_INFO },
		{ NEWS2_BAND_LOW_MEDIUM, 1, SEVERITY_URGENT },
		{ NEWS2_BAND_MEDIUM, 1, SEVERITY_URGENT },
		{ NEWS2_BAND_HIGH, 1, SEVERITY_EMERGENCY },
	};
	struct observation_plan			p;
	struct observation_record_effects	e;
	int64_t					t = instant(
						    "2027-01-20T08:00:00Z");
	size_t					i;

	(void)state;
	for (i = 0; i < NITEMS(bands); i++) {
		e = record(NULL, NULL, NULL, t, bands[i].band, t);
		assert_int_equal(e.alerts, bands[i].alerts);
		if (e.alerts)
			assert_int_equal(e.severity, bands[i].severity);
		assert_false(e.meets || e.hastens || e.opens);
		assert_true(e.next_due_at == 0);
	}
	observation_plan_start(&p, t - HOURS(1), t - HOURS(1), &policy);
	e = record(&p, NULL, NULL, t, NEWS2_BAND_LOW_MEDIUM, t);
	assert_true(e.opens && e.next_due_at == t + HOURS(1));
	assert_true(e.interval_ms == HOURS(1));
}

/* Opening a due: only while the plan runs; recorded missed at once when
 * its whole window has passed by now (the daemon was down). */
static void
test_due_open(void **state)
{
	struct observation_plan	p;
	struct observation_due	d;
	int64_t			a = instant("2027-01-20T08:00:00Z");

	(void)state;
	observation_plan_start(&p, a, a + HOURS(1), &policy);
	strcpy(p.patient_id, "patient");
	assert_int_equal(observation_due_open(&d, &p, a, HOURS(4), a, a,
	    &policy), 0);
	assert_int_equal(observation_due_open(&d, &p, a + HOURS(72), HOURS(4),
	    a, a, &policy), 0);
	memset(&d, 0xa5, sizeof d);
	assert_int_equal(observation_due_open(&d, &p, a + HOURS(2), HOURS(4),
	    a + HOURS(1), a + HOURS(6) - 1, &policy), 1);
	assert_string_equal(d.patient_id, "patient");
	assert_true(d.opened_at == a + HOURS(1) && d.due_at == a + HOURS(2));
	assert_true(d.missed_at == a + HOURS(6));
	assert_int_equal(d.state, OBS_DUE_OPEN);
	assert_true(d.warned == 0 && d.taken_at == 0 && d.id[0] == '\0');
	assert_int_equal(observation_due_open(&d, &p, a + HOURS(2), HOURS(4),
	    a + HOURS(1), a + HOURS(6), &policy), 1);
	assert_int_equal(d.state, OBS_DUE_MISSED);
}

/* An extended plan that had run out is due again when its last
 * observation's score says, or at once if that has passed or there is
 * none. */
static void
test_plan_resume(void **state)
{
	struct observation_plan	p;
	struct observation	last;
	int64_t			a = instant("2027-01-20T08:00:00Z");
	int64_t			now = a + HOURS(73), at, interval;

	(void)state;
	observation_plan_start(&p, a, a, &policy);
	observation_plan_resume(&p, NULL, now, &policy, &at, &interval);
	assert_true(at == now && interval == HOURS(4));
	last = observed(a + HOURS(71) + MIN(30), NEWS2_BAND_ZERO);
	observation_plan_resume(&p, &last, now, &policy, &at, &interval);
	assert_true(at == a + HOURS(75) + MIN(30) && interval == HOURS(4));
	last = observed(a + HOURS(71) + MIN(30), NEWS2_BAND_MEDIUM);
	observation_plan_resume(&p, &last, now, &policy, &at, &interval);
	assert_true(at == now && interval == HOURS(1));
	last = observed(now - HOURS(1), NEWS2_BAND_MEDIUM);
	observation_plan_resume(&p, &last, now, &policy, &at, &interval);
	assert_true(at == now && interval == HOURS(1));	/* not after now */
}

/* A due that ran out untaken: missed, or cancelled when the patient was
 * away at court or had left by its due time. */
static void
test_due_lapse(void **state)
{
	struct observation_plan	p;
	struct observation_due	d;
	int64_t			a = instant("2027-01-20T08:00:00Z");

	(void)state;
	observation_plan_start(&p, a, a, &policy);
	d = due("d", a, a + HOURS(4), HOURS(4), OBS_DUE_OPEN);
	assert_int_equal(observation_due_lapse(&p, &d, 0), OBS_DUE_MISSED);
	assert_int_equal(observation_due_lapse(&p, &d, 1), OBS_DUE_CANCELLED);
	p.ended_at = d.due_at + 1;
	assert_int_equal(observation_due_lapse(&p, &d, 0), OBS_DUE_MISSED);
	p.ended_at = d.due_at;
	assert_int_equal(observation_due_lapse(&p, &d, 0), OBS_DUE_CANCELLED);
}

/* ---- away at court (observing_depart(), observing_return()) ---- */

/* The patient leaves for court at at, as observing_depart() applies it:
 * the scheduler has run up to then; the due open ends as the rule says
 * and the plan is away. */
static void
sim_depart(struct sim *s, int64_t at)
{
	struct observation_depart_effects	e;

	sim_run_until(s, at);
	s->plan.away_since = at;
	if (!s->has_open)
		return;
	observation_due_depart(&s->open, at, &e);
	sim_close(s, e.state);
}

/* Back from court at at, as observing_return() applies it. */
static void
sim_return(struct sim *s, int64_t at)
{
	int64_t	due_at, interval;

	sim_run_until(s, at);
	s->plan.away_since = 0;
	assert_false(s->has_open);
	observation_plan_return(&s->plan, s->last.taken_at != 0 ? &s->last :
	    NULL, at, &policy, &due_at, &interval);
	sim_open(s, due_at, interval, at);
}

/* The court day of issue 17: D1002AB, observed 07:31 (score 0, so 11:31
 * is due), leaves for court at 08:01 and is back at 17:30.  The 11:31
 * due is set aside at the departure as no one's failure; nothing falls
 * due, is warned of or is missed while away, the 15:31 the ward saw
 * OVERDUE included; on return one is due at once, at the interval the
 * last score chose, and the plan goes on from it. */
static void
test_court_day(void **state)
{
	struct sim	s;
	int64_t		a = instant("2026-12-08T07:31:00Z");
	int		n;

	(void)state;
	sim_start(&s, a - HOURS(20), a - HOURS(20));
	assert_true(sim_observe(&s, a, NEWS2_BAND_ZERO) == a + HOURS(4));
	sim_depart(&s, a + MIN(30));
	assert_false(s.has_open);
	assert_int_equal(s.closed[s.nclosed - 1].state, OBS_DUE_CANCELLED);
	assert_true(s.closed[s.nclosed - 1].due_at == a + HOURS(4));
	n = s.nclosed;
	/* 16:00, and on to 17:30: nothing open, warned or missed. */
	sim_run_until(&s, instant("2026-12-08T16:00:00Z"));
	assert_false(s.has_open);
	assert_int_equal(s.nclosed, n);
	sim_return(&s, instant("2026-12-08T17:30:00Z"));
	assert_true(s.has_open);
	assert_true(s.open.due_at == instant("2026-12-08T17:30:00Z"));
	assert_true(s.open.opened_at == s.open.due_at);
	assert_true(s.open.interval_ms == HOURS(4));
	assert_true(sim_observe(&s, instant("2026-12-08T17:40:00Z"),
	    NEWS2_BAND_ZERO) == instant("2026-12-08T21:40:00Z"));
	assert_int_equal(s.closed[s.nclosed - 1].state, OBS_DUE_ON_TIME);
	/* Not seen on return: warned and missed as any other due. */
	sim_run_until(&s, instant("2026-12-09T02:00:00Z"));
	assert_int_equal(s.closed[s.nclosed - 1].state, OBS_DUE_MISSED);
	assert_true(s.closed[s.nclosed - 1].due_at ==
	    instant("2026-12-08T21:40:00Z"));
}

/* A high score before court: back at 14:00, due at once every 30
 * minutes; none before the flag had a score, the base.  A return after
 * the plan's end opens nothing. */
static void
test_court_return(void **state)
{
	struct observation_plan	p;
	struct observation	last;
	int64_t			a = instant("2027-07-05T06:00:00Z");
	int64_t			back = a + HOURS(8), at, interval;
	struct observation_due	d;

	(void)state;
	observation_plan_start(&p, a - HOURS(10), a - HOURS(10), &policy);
	last = observed(a, NEWS2_BAND_HIGH);
	observation_plan_return(&p, &last, back, &policy, &at, &interval);
	assert_true(at == back && interval == MIN(30));
	/* At once, even just after an observation that scored 0. */
	last = observed(back - MIN(5), NEWS2_BAND_ZERO);
	observation_plan_return(&p, &last, back, &policy, &at, &interval);
	assert_true(at == back && interval == HOURS(4));
	observation_plan_return(&p, NULL, back, &policy, &at, &interval);
	assert_true(at == back && interval == HOURS(4));
	/* The plan ended at court (arrival + 72 h): nothing on return. */
	observation_plan_return(&p, NULL, p.ends_at + HOURS(1), &policy, &at,
	    &interval);
	assert_int_equal(observation_due_open(&d, &p, at, interval, at, at,
	    &policy), 0);
}

/* The due open at departure: cancelled unless it was overdue (past its
 * grace) then, when it is missed and the managers keep their view of
 * it; the note for its warning says which. */
static void
test_court_depart(void **state)
{
	struct observation_depart_effects	e;
	struct observation_due			d;
	int64_t	a = instant("2026-12-08T07:31:00Z");

	(void)state;
	d = due("d", a - HOURS(4), a, HOURS(4), OBS_DUE_OPEN);
	observation_due_depart(&d, a - MIN(30), &e);	/* before it */
	assert_int_equal(e.state, OBS_DUE_CANCELLED);
	assert_string_equal(e.note, "closed by idtsd: the patient left for "
	    "court");
	observation_due_depart(&d, a + MIN(15), &e);	/* end of grace */
	assert_int_equal(e.state, OBS_DUE_CANCELLED);
	observation_due_depart(&d, a + MIN(15) + 1, &e);	/* overdue */
	assert_int_equal(e.state, OBS_DUE_MISSED);
	assert_string_equal(e.note, "closed by idtsd: the observation was "
	    "missed before the patient left for court");
}

/* Nothing falls due while away: no due opens at or after the departure,
 * whether the scheduler chains one, an observation written up late asks
 * for one or a due before the departure is found only now (the daemon
 * was down), which ends as the departure would have ended it. */
static void
test_court_nothing_due(void **state)
{
	struct observation_record_effects	e;
	struct observation_plan			p;
	struct observation_due			d;
	int64_t	a = instant("2026-12-08T07:31:00Z"), left = a + MIN(30);

	(void)state;
	observation_plan_start(&p, a - HOURS(20), a - HOURS(20), &policy);
	strcpy(p.patient_id, "patient");
	p.away_since = left;
	assert_true(observation_plan_runs(&p, left - 1));
	assert_false(observation_plan_runs(&p, left));
	assert_false(observation_plan_runs(&p, left + HOURS(8)));
	assert_int_equal(observation_due_open(&d, &p, left + HOURS(4),
	    HOURS(4), left + HOURS(4), left + HOURS(5), &policy), 0);
	/* Taken at 07:31 and written up at 08:10, high: 08:01 would be
	 * due, at the departure: not opened. */
	e = record(&p, NULL, NULL, a, NEWS2_BAND_HIGH, left + MIN(9));
	assert_false(e.opens);
	assert_true(e.next_due_at == 0);
	/* Due 07:51, before the departure, found at 08:10: cancelled (not
	 * overdue when the patient left); due 07:00: missed. */
	assert_int_equal(observation_due_open(&d, &p, a + MIN(20), HOURS(4),
	    a, left + MIN(9), &policy), 1);
	assert_int_equal(d.state, OBS_DUE_CANCELLED);
	assert_int_equal(observation_due_open(&d, &p, a - MIN(31), HOURS(4),
	    a - MIN(31), left + MIN(9), &policy), 1);
	assert_int_equal(d.state, OBS_DUE_MISSED);
	/* Back: the plan runs again. */
	p.away_since = 0;
	assert_true(observation_plan_runs(&p, left + HOURS(8)));
}

/* Released from court: the plan ends at the release, and nothing falls
 * due after it, on the ward or away. */
static void
test_court_release(void **state)
{
	struct sim	s;
	int64_t		a = instant("2027-03-27T22:00:00Z");
	int		n;

	(void)state;
	sim_start(&s, a, a);
	assert_true(sim_observe(&s, a + MIN(5), NEWS2_BAND_ZERO) ==
	    a + MIN(245));
	sim_depart(&s, a + HOURS(2));	/* across the spring change */
	n = s.nclosed;
	s.plan.ended_at = a + HOURS(9);	/* released from court */
	s.plan.away_since = 0;
	sim_run_until(&s, a + HOURS(80));
	assert_false(s.has_open);
	assert_int_equal(s.nclosed, n);
	assert_false(observation_plan_runs(&s.plan, a + HOURS(10)));
}

/* ---- striking an observation out (observation_strike_plan) ---- */

/* strike(plan, met, open, taken_at, now): the effects. */
static struct observation_strike_effects
strike(const struct observation_plan *plan, const struct observation_due *met,
    const struct observation_due *open, int64_t taken_at, int64_t now)
{
	struct observation_strike_effects	e;
	struct observation			o = observed(taken_at,
						    NEWS2_BAND_HIGH);

	memset(&e, 0xa5, sizeof e);
	observation_strike_plan(plan, met, open, &o, now, &policy, &e);
	return e;
}

/* Arrived 08:00Z; 08:01 scored 0 (met the 08:00 due), so 12:01 is due;
 * at 09:00 an observation typed wrong (a score of 7) met 12:01 early and
 * opened 09:30.  Struck out at 09:10: 12:01 is open again, 09:30
 * cancelled, the next due 12:01 again.  Struck out at 16:30, after
 * 12:01's window ran out (16:01): 12:01 missed, and the open due goes
 * where its miss would have put it, 16:01 at 4 hours, opened then. */
static void
test_strike_reverts(void **state)
{
	struct observation_plan			 p;
	struct observation_due			 met, open;
	struct observation_strike_effects	 e;
	int64_t					 a, t;

	(void)state;
	a = instant("2027-01-20T08:00:00Z");
	t = a + MIN(60);
	observation_plan_start(&p, a, a, &policy);
	met = due("d1201", a + MIN(1), a + MIN(241), MIN(240), OBS_DUE_ON_TIME);
	strcpy(met.observation_id, "obs");
	met.taken_at = t;
	open = due("d0930", t, t + MIN(30), MIN(30), OBS_DUE_OPEN);

	e = strike(&p, &met, &open, t, a + MIN(70));
	assert_true(e.reverts);
	assert_int_equal(e.due.state, OBS_DUE_OPEN);
	assert_string_equal(e.due.observation_id, "");
	assert_int_equal(e.due.taken_at, 0);
	assert_int_equal(e.due.due_at, a + MIN(241));
	assert_true(e.moves);
	assert_string_equal(e.open.id, "d0930");
	assert_int_equal(e.open.state, OBS_DUE_CANCELLED);
	assert_int_equal(e.next_due_at, a + MIN(241));

	/* 1 ms before 12:01's window ends, and at its end. */
	e = strike(&p, &met, &open, t, met.missed_at - 1);
	assert_int_equal(e.due.state, OBS_DUE_OPEN);
	e = strike(&p, &met, &open, t, met.missed_at);
	assert_int_equal(e.due.state, OBS_DUE_MISSED);
	assert_true(e.moves);
	assert_int_equal(e.open.state, OBS_DUE_OPEN);
	assert_int_equal(e.open.due_at, met.missed_at);
	assert_int_equal(e.open.opened_at, met.missed_at);
	assert_int_equal(e.open.interval_ms, MIN(240));
	assert_int_equal(e.open.warn_at, met.missed_at + MIN(15));
	assert_false(e.open.warned);
	assert_int_equal(e.next_due_at, met.missed_at);
}

/* The struck observation did not open the due open now (a later one
 * did): the due it met is missed, the open due stays.  It met nothing:
 * the plan stays as it is.  No plan: nothing.  The plan ended (a
 * release): the due it met is missed, not reopened. */
static void
test_strike_leaves(void **state)
{
	struct observation_plan			 p;
	struct observation_due			 met, open;
	struct observation_strike_effects	 e;
	int64_t					 a, t;

	(void)state;
	a = instant("2027-03-28T00:00:00Z");	/* spring forward at 01:00 */
	t = a + MIN(60);
	observation_plan_start(&p, a, a, &policy);
	met = due("d1", a, a + MIN(240), MIN(240), OBS_DUE_ON_TIME);
	open = due("d2", t + MIN(5), t + MIN(245), MIN(240), OBS_DUE_OPEN);

	e = strike(&p, &met, &open, t, t + MIN(10));
	assert_true(e.reverts);
	assert_int_equal(e.due.state, OBS_DUE_MISSED);
	assert_false(e.moves);
	assert_int_equal(e.next_due_at, open.due_at);

	e = strike(&p, NULL, &open, t, t + MIN(10));
	assert_false(e.reverts);
	assert_false(e.moves);
	assert_int_equal(e.next_due_at, open.due_at);

	e = strike(NULL, &met, NULL, t, t + MIN(10));
	assert_false(e.reverts);
	assert_false(e.moves);
	assert_int_equal(e.next_due_at, 0);

	/* No open due (the plan ran out), the window still running: open. */
	e = strike(&p, &met, NULL, t, t + MIN(10));
	assert_int_equal(e.due.state, OBS_DUE_OPEN);
	p.ended_at = t + MIN(5);
	e = strike(&p, &met, NULL, t, t + MIN(10));
	assert_int_equal(e.due.state, OBS_DUE_MISSED);
	assert_false(e.moves);
}

/* A second strike-out is refused as a conflict. */
static void
test_check_strike(void **state)
{
	struct refusal	why;

	(void)state;
	assert_int_equal(observation_check_strike(0, &why), 0);
	expect_refusal(observation_check_strike(1, &why), &why,
	    "already_entered_in_error", 1);
}

/* How urgent an overdue observation is, by the last score: a warning at
 * 0 and at 4, urgent at 5 and 6 and after a single 3 (total 3), an
 * emergency at 7 and 13; a warning with no score yet. */
static void
test_overdue_severity(void **state)
{
	static const struct {
		int			 rr, sbp, pulse, temp;
		enum news2_consciousness c;
		int			 total, red;
		enum alert_severity	 sev;
	} e[] = {
		{ 16, 120, 70, 370, NEWS2_ALERT, 0, 0, SEVERITY_WARNING },
		{ 21, 120, 111, 370, NEWS2_ALERT, 4, 0, SEVERITY_WARNING },
		{ 16, 120, 70, 370, NEWS2_CONFUSION, 3, 1, SEVERITY_URGENT },
		{ 21, 120, 111, 390, NEWS2_ALERT, 5, 0, SEVERITY_URGENT },
		{ 21, 120, 111, 395, NEWS2_ALERT, 6, 0, SEVERITY_URGENT },
		{ 21, 105, 111, 395, NEWS2_ALERT, 7, 0, SEVERITY_EMERGENCY },
		{ 25, 120, 135, 395, NEWS2_CONFUSION, 11, 1,
		    SEVERITY_EMERGENCY },
	};
	struct news2_readings	r;
	struct news2_result	res;
	size_t			i;

	(void)state;
	for (i = 0; i < NITEMS(e); i++) {
		memset(&r, 0, sizeof r);
		r.respiratory_rate = e[i].rr;
		r.spo2 = 97;
		r.spo2_scale = 1;
		r.systolic_bp = e[i].sbp;
		r.pulse = e[i].pulse;
		r.consciousness = e[i].c;
		r.temperature_tenths = e[i].temp;
		news2_score(&r, &res);
		assert_int_equal(res.total, e[i].total);
		assert_int_equal(res.red, e[i].red);
		if (observation_overdue_severity(&res) != e[i].sev)
			fail_msg("after NEWS2 %d%s: %s, expected %s",
			    res.total, res.red ? " (a single 3)" : "",
			    alert_severity_name(observation_overdue_severity(
			    &res)), alert_severity_name(e[i].sev));
	}
	assert_int_equal(observation_overdue_severity(NULL),
	    SEVERITY_WARNING);
}

/* A due's overdue warning closes itself once the due is met (with its
 * escalation) or ends untaken (the managers keep the escalation of a
 * miss), each with its note; never while the due is open, nor for a
 * due never warned. */
static void
test_warning_closes(void **state)
{
	static const struct {
		enum observation_due_state	 state;
		int				 warned, closes, escalation;
		const char			*note;
	} e[] = {
		{ OBS_DUE_OPEN, 1, 0, 0, NULL },
		{ OBS_DUE_OPEN, 0, 0, 0, NULL },
		{ OBS_DUE_ON_TIME, 0, 0, 0, NULL },
		{ OBS_DUE_LATE, 0, 0, 0, NULL },
		{ OBS_DUE_MISSED, 0, 0, 0, NULL },
		{ OBS_DUE_CANCELLED, 0, 0, 0, NULL },
		{ OBS_DUE_ON_TIME, 1, 1, 1,
		    "closed by idtsd: the observation was recorded" },
		{ OBS_DUE_LATE, 1, 1, 1,
		    "closed by idtsd: the observation was recorded" },
		{ OBS_DUE_MISSED, 1, 1, 0, "closed by idtsd: the observation "
		    "was missed; the next is due now" },
		{ OBS_DUE_CANCELLED, 1, 1, 0,
		    "closed by idtsd: the patient was away or has left" },
	};
	struct observation_due	d;
	const char		*note;
	size_t			 i;
	int			 escalation;

	(void)state;
	for (i = 0; i < NITEMS(e); i++) {
		memset(&d, 0, sizeof d);
		d.state = e[i].state;
		d.warned = e[i].warned;
		note = NULL;
		escalation = -1;
		if (observation_warning_closes(&d, &escalation, &note) !=
		    e[i].closes)
			fail_msg("%s, %s: closes %d expected",
			    observation_due_state_name(e[i].state),
			    e[i].warned ? "warned" : "not warned",
			    e[i].closes);
		if (!e[i].closes)
			continue;
		assert_int_equal(escalation, e[i].escalation);
		assert_string_equal(note, e[i].note);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overdue_severity),
		cmocka_unit_test(test_warning_closes),
		cmocka_unit_test(test_plan_start),
		cmocka_unit_test(test_plan_runs),
		cmocka_unit_test(test_plan_extension),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_due_place),
		cmocka_unit_test(test_due_met),
		cmocka_unit_test(test_check_time),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_sim_scores),
		cmocka_unit_test(test_sim_unattended_late_flag),
		cmocka_unit_test(test_sim_plan_end),
		cmocka_unit_test(test_sim_dst),
		cmocka_unit_test(test_record_written_up_late),
		cmocka_unit_test(test_due_holds),
		cmocka_unit_test(test_record_hasten),
		cmocka_unit_test(test_record_before_flag),
		cmocka_unit_test(test_record_midnight),
		cmocka_unit_test(test_record_dst),
		cmocka_unit_test(test_record_plan_end),
		cmocka_unit_test(test_record_no_plan),
		cmocka_unit_test(test_due_open),
		cmocka_unit_test(test_plan_resume),
		cmocka_unit_test(test_due_lapse),
		cmocka_unit_test(test_court_day),
		cmocka_unit_test(test_court_return),
		cmocka_unit_test(test_court_depart),
		cmocka_unit_test(test_court_nothing_due),
		cmocka_unit_test(test_court_release),
		cmocka_unit_test(test_strike_reverts),
		cmocka_unit_test(test_strike_leaves),
		cmocka_unit_test(test_check_strike),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
