/* The continuity clocks: when each warns and runs out for arrivals across
 * a week, at weekends, over Christmas and Easter and both DST changes,
 * written out to the millisecond; their states; and what the scheduler is
 * asked to do next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "continuity.h"
#include "roles.h"

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

static struct calendar		cal;	/* rules only: 2026 has no one-offs */
static const struct care_clock_policy policy = {
	&cal, 24 * MS_PER_HOUR, 24 * MS_PER_HOUR, 75
};

/* Each arrival's four instants: treatment warn and due, keyworker warn
 * and due. */
static void
test_due_instants(void **state)
{
	static const struct {
		const char	*arrival, *t_warn, *t_due, *k_warn, *k_due;
	} cases[] = {
		/* Monday to Sunday of an ordinary week. */
		{ "2026-11-23T09:00:00Z", "2026-11-24T03:00:00Z",
		    "2026-11-24T09:00:00Z", "2026-11-24T03:00:00Z",
		    "2026-11-24T09:00:00Z" },
		{ "2026-11-26T09:00:00Z", "2026-11-27T03:00:00Z",
		    "2026-11-27T09:00:00Z", "2026-11-27T03:00:00Z",
		    "2026-11-27T09:00:00Z" },
		/* Friday 09:00: 15 h of Friday, then Monday. */
		{ "2026-11-27T09:00:00Z", "2026-11-28T03:00:00Z",
		    "2026-11-28T09:00:00Z", "2026-11-30T03:00:00Z",
		    "2026-11-30T09:00:00Z" },
		/* Friday evening: 6 h of Friday, 18 h of Monday. */
		{ "2026-11-27T18:00:00Z", "2026-11-28T12:00:00Z",
		    "2026-11-28T18:00:00Z", "2026-11-30T12:00:00Z",
		    "2026-11-30T18:00:00Z" },
		/* Saturday and Sunday: the keyworker clock starts Monday. */
		{ "2026-11-28T15:30:00Z", "2026-11-29T09:30:00Z",
		    "2026-11-29T15:30:00Z", "2026-11-30T18:00:00Z",
		    "2026-12-01T00:00:00Z" },
		{ "2026-11-29T23:59:00Z", "2026-11-30T17:59:00Z",
		    "2026-11-30T23:59:00Z", "2026-11-30T18:00:00Z",
		    "2026-12-01T00:00:00Z" },
		/* Just before midnight on a Tuesday. */
		{ "2026-11-24T23:59:59.999Z", "2026-11-25T17:59:59.999Z",
		    "2026-11-25T23:59:59.999Z", "2026-11-25T17:59:59.999Z",
		    "2026-11-25T23:59:59.999Z" },
		/* Christmas Eve 2026 (Thursday): 25th Friday, weekend, 28th
		 * the Boxing Day substitute. */
		{ "2026-12-24T16:00:00Z", "2026-12-25T10:00:00Z",
		    "2026-12-25T16:00:00Z", "2026-12-29T10:00:00Z",
		    "2026-12-29T16:00:00Z" },
		/* The Thursday before Easter 2026, in BST. */
		{ "2026-04-02T10:00:00+01:00", "2026-04-03T03:00:00Z",
		    "2026-04-03T09:00:00Z", "2026-04-07T03:00:00Z",
		    "2026-04-07T09:00:00Z" },
		/* Saturday before the spring change: the treatment clock is
		 * 24 real hours (so 11:00 BST), the keyworker clock starts at
		 * Monday's midnight, which is BST. */
		{ "2026-03-28T10:00:00Z", "2026-03-29T04:00:00Z",
		    "2026-03-29T10:00:00Z", "2026-03-30T17:00:00Z",
		    "2026-03-30T23:00:00Z" },
		/* Saturday before the autumn change: midnight is GMT again. */
		{ "2026-10-24T10:00:00+01:00", "2026-10-25T03:00:00Z",
		    "2026-10-25T09:00:00Z", "2026-10-26T18:00:00Z",
		    "2026-10-27T00:00:00Z" },
	};
	struct care_clock	t, k;
	size_t			i;
	int64_t			arrival;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		arrival = instant(cases[i].arrival);
		continuity_start(&t, CLOCK_TREATMENT_CONTINUED, arrival,
		    &policy);
		continuity_start(&k, CLOCK_KEYWORKER_ALLOCATED, arrival,
		    &policy);
		if (t.warn_at != instant(cases[i].t_warn) ||
		    t.due_at != instant(cases[i].t_due) ||
		    k.warn_at != instant(cases[i].k_warn) ||
		    k.due_at != instant(cases[i].k_due)) {
			char	a[TIMEFMT_INSTANT_LEN], b[TIMEFMT_INSTANT_LEN];
			char	c[TIMEFMT_INSTANT_LEN], d[TIMEFMT_INSTANT_LEN];

			timefmt_format_instant(t.warn_at, a);
			timefmt_format_instant(t.due_at, b);
			timefmt_format_instant(k.warn_at, c);
			timefmt_format_instant(k.due_at, d);
			fail_msg("arrival %s: got %s %s %s %s", cases[i].arrival,
			    a, b, c, d);
		}
		assert_true(t.started_at == arrival && k.started_at == arrival);
	}
}

/* running until due, breached at due (not a millisecond before), met
 * whenever met; met late is still a breach on the record. */
static void
test_states(void **state)
{
	struct care_clock	c;

	(void)state;
	continuity_start(&c, CLOCK_TREATMENT_CONTINUED,
	    instant("2026-11-23T09:00:00Z"), &policy);
	assert_string_equal(continuity_state(&c, c.due_at - 1), "running");
	assert_false(continuity_breached(&c, c.due_at - 1));
	assert_string_equal(continuity_state(&c, c.due_at), "breached");
	assert_true(continuity_breached(&c, c.due_at));

	c.met_at = c.due_at;		/* met on the stroke: in time */
	assert_string_equal(continuity_state(&c, c.due_at + 1), "met");
	assert_false(continuity_breached(&c, c.due_at + 1));
	c.met_at = c.due_at + 1;	/* breached, then met */
	assert_string_equal(continuity_state(&c, c.due_at + 2), "met");
	assert_true(continuity_breached(&c, c.due_at + 2));
}

/* A clock whose patient was released or transferred (ended_at): ended
 * before its due time it is "ended" and never breached, whenever asked;
 * ended at or after its due time it had already run out, so it is
 * "breached" and breached.  A met clock stays "met". */
static void
test_ended(void **state)
{
	static const enum care_clock_kind kinds[] = {
		CLOCK_TREATMENT_CONTINUED, CLOCK_KEYWORKER_ALLOCATED,
	};
	struct care_clock	c;
	int64_t			ask[5];
	size_t			i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		/* Friday evening: the keyworker clock runs into Monday. */
		continuity_start(&c, kinds[k],
		    instant("2026-11-27T18:00:00Z"), &policy);
		ask[0] = c.started_at + 1;
		ask[1] = c.due_at - 1;
		ask[2] = c.due_at;
		ask[3] = c.due_at + 1;
		ask[4] = c.due_at + 30 * MS_PER_DAY;

		/* Ended an hour after arrival, and 1 ms before due. */
		c.ended_at = c.started_at + MS_PER_HOUR;
		for (i = 0; i < 5; i++) {
			assert_string_equal(continuity_state(&c, ask[i]),
			    "ended");
			assert_false(continuity_breached(&c, ask[i]));
		}
		c.ended_at = c.due_at - 1;
		for (i = 0; i < 5; i++) {
			assert_string_equal(continuity_state(&c, ask[i]),
			    "ended");
			assert_false(continuity_breached(&c, ask[i]));
		}

		/* Ended on the stroke of due, or after: it had run out. */
		c.ended_at = c.due_at;
		assert_string_equal(continuity_state(&c, c.due_at), "breached");
		assert_true(continuity_breached(&c, c.due_at));
		assert_string_equal(continuity_state(&c, ask[4]), "breached");
		assert_true(continuity_breached(&c, ask[4]));
		c.ended_at = c.due_at + 1;
		for (i = 3; i < 5; i++) {
			assert_string_equal(continuity_state(&c, ask[i]),
			    "breached");
			assert_true(continuity_breached(&c, ask[i]));
		}
		c.ended_at = c.due_at + MS_PER_DAY;
		assert_string_equal(continuity_state(&c, ask[4]), "breached");
		assert_true(continuity_breached(&c, ask[4]));
		/* Breached on the record even when read at the ending. */
		assert_true(continuity_breached(&c, c.ended_at));

		/* Met, in time or late: "met" whatever ended_at says. */
		c.met_at = c.due_at - 1;
		c.ended_at = c.due_at - MS_PER_HOUR;
		assert_string_equal(continuity_state(&c, ask[4]), "met");
		assert_false(continuity_breached(&c, ask[4]));
		c.ended_at = c.due_at + MS_PER_HOUR;
		assert_string_equal(continuity_state(&c, ask[4]), "met");
		assert_false(continuity_breached(&c, ask[4]));
		c.met_at = c.due_at + 1;
		c.ended_at = c.due_at - MS_PER_HOUR;
		assert_string_equal(continuity_state(&c, ask[4]), "met");
		assert_true(continuity_breached(&c, ask[4]));
		c.ended_at = 0;
		assert_string_equal(continuity_state(&c, ask[4]), "met");
		assert_true(continuity_breached(&c, ask[4]));

		/* Not ended: as before. */
		c.met_at = 0;
		assert_string_equal(continuity_state(&c, ask[1]), "running");
		assert_string_equal(continuity_state(&c, ask[2]), "breached");

		/* A clock started afresh is not ended. */
		c.ended_at = c.due_at - 1;
		continuity_start(&c, kinds[k], instant("2026-11-23T09:00:00Z"),
		    &policy);
		assert_true(c.ended_at == 0);
		assert_string_equal(continuity_state(&c, c.due_at - 1),
		    "running");
	}
}

/* Met 1 ms before its due time, or on the stroke, a clock is met in time
 * and its alerts say "met"; 1 ms after, it ran out: it is breached for
 * ever (listed under "breached" as well as "met") and its alerts are
 * closed as met late, saying by how long.  For a treatment clock, a
 * keyworker clock over a weekend (met on the Sunday: still in time) and
 * one over Christmas and the Boxing Day substitute holiday. */
static void
test_met_late(void **state)
{
	static const struct {
		enum care_clock_kind	 kind;
		const char		*arrival, *due, *early;
		const char		*how, *what;
	} t[] = {
		{ CLOCK_TREATMENT_CONTINUED, "2026-11-23T09:00:00Z",
		    "2026-11-24T09:00:00Z", "2026-11-23T09:00:01Z", "dose",
		    "first dose given and signed" },
		/* Friday evening: due Monday evening; met on the Sunday. */
		{ CLOCK_KEYWORKER_ALLOCATED, "2026-11-27T18:00:00Z",
		    "2026-11-30T18:00:00Z", "2026-11-29T12:00:00Z",
		    "keyworker", "keyworker allocated" },
		/* Christmas Eve: due Tuesday 29th; met on Boxing Day. */
		{ CLOCK_KEYWORKER_ALLOCATED, "2026-12-24T16:00:00Z",
		    "2026-12-29T16:00:00Z", "2026-12-26T10:00:00Z",
		    "keyworker", "keyworker allocated" },
		{ CLOCK_TREATMENT_CONTINUED, "2026-06-15T09:00:00+01:00",
		    "2026-06-16T08:00:00Z", "2026-06-15T10:00:00Z",
		    "decision", "decision not to continue treatment" },
	};
	struct care_clock		c;
	struct care_clock_meeting	m;
	char				note[160];
	int64_t				at[4];
	size_t				i, k;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		continuity_start(&c, t[i].kind, instant(t[i].arrival), &policy);
		assert_true(c.due_at == instant(t[i].due));
		at[0] = instant(t[i].early);
		at[1] = c.due_at - 1;
		at[2] = c.due_at;
		at[3] = c.due_at + 1;
		for (k = 0; k < 4; k++) {
			continuity_start(&c, t[i].kind, instant(t[i].arrival),
			    &policy);
			assert_int_equal(continuity_meet(&c, at[k], t[i].how,
			    &m), 0);
			assert_int_equal(m.late, k == 3);
			assert_int_equal(continuity_breached(&c, at[k] +
			    MS_PER_DAY), k == 3);
			assert_int_equal(continuity_listed_as(&c, at[k] +
			    MS_PER_DAY, "breached"), k == 3);
			assert_true(continuity_listed_as(&c, at[k], "met"));
			assert_false(continuity_listed_as(&c, at[k],
			    "running"));
			if (k == 3)
				snprintf(note, sizeof note, "met late, 0 h 00 "
				    "min after it was due: %s; a breach on "
				    "the record", t[i].what);
			else
				snprintf(note, sizeof note, "met: %s",
				    t[i].what);
			assert_string_equal(m.note, note);
		}
	}
	/* Six hours and a minute late. */
	continuity_start(&c, CLOCK_TREATMENT_CONTINUED,
	    instant("2026-11-23T09:00:00Z"), &policy);
	continuity_meet(&c, c.due_at + 6 * MS_PER_HOUR + MS_PER_MINUTE, "dose",
	    &m);
	assert_string_equal(m.note, "met late, 6 h 01 min after it was due: "
	    "first dose given and signed; a breach on the record");
	/* Not met: breached from due, listed under "breached" only then. */
	continuity_start(&c, CLOCK_KEYWORKER_ALLOCATED,
	    instant("2026-11-27T18:00:00Z"), &policy);
	assert_false(continuity_listed_as(&c, c.due_at - 1, "breached"));
	assert_true(continuity_listed_as(&c, c.due_at - 1, "running"));
	assert_true(continuity_listed_as(&c, c.due_at, "breached"));
	assert_false(continuity_listed_as(&c, c.due_at, "met"));
}

/* The scheduler is asked for the warning, then the breach, then nothing;
 * and nothing once the clock is met. */
static void
test_next_deadline(void **state)
{
	struct care_clock	c;

	(void)state;
	continuity_start(&c, CLOCK_KEYWORKER_ALLOCATED,
	    instant("2026-11-27T18:00:00Z"), &policy);
	assert_true(continuity_next_deadline(&c) == c.warn_at);
	c.warned = 1;
	assert_true(continuity_next_deadline(&c) == c.due_at);
	c.breach_fired = 1;
	assert_true(continuity_next_deadline(&c) == 0);
	c.warned = c.breach_fired = 0;
	c.met_at = c.started_at + 1;
	assert_true(continuity_next_deadline(&c) == 0);
}

/* What the scheduler raises: each deadline once; the warning alone before
 * the due time; only the breach when both have come at once. */
static void
test_fire(void **state)
{
	struct care_clock		c;
	struct care_clock_meeting	m;
	struct care_clock_firing	f;

	(void)state;
	continuity_start(&c, CLOCK_TREATMENT_CONTINUED,
	    instant("2026-11-23T09:00:00Z"), &policy);
	continuity_fire(&c, c.warn_at - 1, &f);
	assert_false(f.warning || f.breach);
	continuity_fire(&c, c.warn_at, &f);
	assert_true(f.warning && !f.breach && c.warned);
	continuity_fire(&c, c.warn_at + 1, &f);
	assert_false(f.warning || f.breach);
	continuity_fire(&c, c.due_at, &f);
	assert_true(!f.warning && f.breach && c.breach_fired);
	continuity_fire(&c, c.due_at + MS_PER_DAY, &f);
	assert_false(f.warning || f.breach);

	/* Down through both deadlines: the breach overtakes the warning. */
	continuity_start(&c, CLOCK_KEYWORKER_ALLOCATED,
	    instant("2026-11-23T09:00:00Z"), &policy);
	continuity_fire(&c, c.due_at + 1, &f);
	assert_true(!f.warning && f.breach && c.warned && c.breach_fired);

	/* A met clock fires nothing. */
	continuity_start(&c, CLOCK_TREATMENT_CONTINUED,
	    instant("2026-11-23T09:00:00Z"), &policy);
	assert_int_equal(continuity_meet(&c, c.started_at + 1, "dose", &m), 0);
	assert_false(m.late);
	assert_int_equal(continuity_meet(&c, c.started_at + 2, "decision",
	    &m), -1);
	assert_string_equal(c.met_how, "dose");
	continuity_fire(&c, c.due_at, &f);
	assert_false(f.warning || f.breach);
}

/* Who hears of a clock's warning and breach, how urgently, and what it
 * says: the treatment warning to the ward, who can still give the dose;
 * the keyworker warning and every breach to the managers.  The due time
 * is local (BST here). */
static void
test_alert(void **state)
{
	static const struct alert_policy ap = { { 0, 60, 30, 15 } };
	static const struct {
		enum care_clock_kind	 kind;
		int			 breach;
		const char		*alert_kind;
		enum alert_severity	 severity;
		enum alert_audience	 audience;
		const char		*says;
	} t[] = {
		{ CLOCK_TREATMENT_CONTINUED, 0, "clock_warning",
		    SEVERITY_WARNING, AUDIENCE_WARD,
		    "A1234BC Jones, Sam: treatment continued (first substitute "
		    "dose given and signed) is due by Tue 16 Jun 10:00 BST" },
		{ CLOCK_TREATMENT_CONTINUED, 1, "clock_breach",
		    SEVERITY_URGENT, AUDIENCE_MANAGER,
		    "A1234BC Jones, Sam: treatment continued (first substitute "
		    "dose given and signed) was due by Tue 16 Jun 10:00 BST and is "
		    "not done" },
		{ CLOCK_KEYWORKER_ALLOCATED, 0, "clock_warning",
		    SEVERITY_WARNING, AUDIENCE_MANAGER,
		    "A1234BC Jones, Sam: CARAT keyworker allocated is due by "
		    "Tue 16 Jun 10:00 BST" },
		{ CLOCK_KEYWORKER_ALLOCATED, 1, "clock_breach",
		    SEVERITY_URGENT, AUDIENCE_MANAGER,
		    "A1234BC Jones, Sam: CARAT keyworker allocated was due by "
		    "Tue 16 Jun 10:00 BST and is not done" },
	};
	struct care_clock	c;
	struct patient		p;
	struct alert		a;
	size_t			i;
	int64_t			now = instant("2026-06-16T08:00:00Z");

	(void)state;
	memset(&p, 0, sizeof p);
	strcpy(p.prison_number, "A1234BC");
	strcpy(p.family_name, "Jones");
	strcpy(p.given_name, "Sam");
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		continuity_start(&c, t[i].kind,
		    instant("2026-06-15T09:00:00Z"), &policy);
		c.due_at = instant("2026-06-16T09:00:00Z");
		strcpy(c.patient_id, "patient");
		strcpy(c.id, "clock");
		continuity_alert(&a, &c, &p, t[i].breach, now, &ap);
		assert_string_equal(a.kind, t[i].alert_kind);
		assert_int_equal(a.severity, t[i].severity);
		assert_int_equal(a.audience, t[i].audience);
		assert_string_equal(a.message, t[i].says);
		assert_string_equal(a.patient_id, "patient");
		assert_string_equal(a.subject_id, "clock");
		assert_int_equal(a.raised_at, now);
	}
}

/* Only an active CARAT worker is a keyworker. */
static void
test_keyworker(void **state)
{
	static const struct {
		unsigned	roles;
		int		active;
		int		ok;
	} t[] = {
		{ ROLE_CARAT, 1, 0 },
		{ ROLE_CARAT | ROLE_NURSE, 1, 0 },
		{ ROLE_CARAT, 0, -1 },
		{ ROLE_NURSE | ROLE_MANAGER | ROLE_ADMIN, 1, -1 },
		{ 0, 1, -1 },
	};
	struct staff	s;
	struct refusal	why;
	size_t		i;

	(void)state;
	memset(&s, 0, sizeof s);
	strcpy(s.display_name, "Carl Carat");
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		s.roles = t[i].roles;
		s.active = t[i].active;
		why.code = "unset";
		assert_int_equal(continuity_check_keyworker(&s, &why), t[i].ok);
		if (t[i].ok == 0)
			continue;
		assert_string_equal(why.code, "not_a_carat_worker");
		assert_int_equal(why.conflict, 0);
		assert_string_equal(why.message,
		    "Carl Carat is not an active CARAT worker");
	}
}

static void
test_kind_names(void **state)
{
	enum care_clock_kind	k;

	(void)state;
	assert_int_equal(continuity_kind_parse("keyworker_allocated", &k), 0);
	assert_int_equal(k, CLOCK_KEYWORKER_ALLOCATED);
	assert_string_equal(continuity_kind_name(CLOCK_TREATMENT_CONTINUED),
	    "treatment_continued");
	assert_int_equal(continuity_kind_parse("keyworker", &k), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_instants),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_ended),
		cmocka_unit_test(test_met_late),
		cmocka_unit_test(test_next_deadline),
		cmocka_unit_test(test_fire),
		cmocka_unit_test(test_alert),
		cmocka_unit_test(test_keyworker),
		cmocka_unit_test(test_kind_names),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
