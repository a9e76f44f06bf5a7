/* Movements (docs/design.md rule 3): the names of kinds and states; when the
 * morning dose is due before an escort (a margin before departure, never
 * before the earliest round time of the departure's local day) on winter
 * and summer days and on both DST-change days of 2027 in Europe/London;
 * whether a dose moves to that time; when the ward is warned; and which
 * movements may be booked, departed, returned or cancelled, with each
 * refusal's code and whether it is a conflict (409) or a rule (422), for
 * every state of every kind and to the millisecond at each time bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "movement.h"
#include "timefmt.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define MIN(m)		((int64_t)(m) * MS_PER_MINUTE)

static int64_t
instant(const char *s)
{
	int64_t	ms;

	if (timefmt_parse_instant(s, &ms) != 0)
		fail_msg("bad instant in the test: %s", s);
	return ms;
}

/* For messages: an instant as RFC 3339 UTC. */
static const char *
show(int64_t ms, char buf[TIMEFMT_INSTANT_LEN])
{
	timefmt_format_instant(ms, buf);
	return buf;
}

/* The documented defaults: margin 30 min, lead 60 min, earliest 06:00,
 * tolerance 60 min, booking up to 14 days ahead. */
static const struct movement_policy policy = {
	MIN(30), MIN(60), 6 * 60, MIN(60), 14 * MS_PER_DAY
};

static const enum movement_kind all_kinds[] = {
	MOVEMENT_COURT, MOVEMENT_RELEASE, MOVEMENT_TRANSFER,
};
static const enum movement_state all_states[] = {
	MOVEMENT_PLANNED, MOVEMENT_DEPARTED, MOVEMENT_RETURNED,
	MOVEMENT_CANCELLED, MOVEMENT_ENDED,
};

static void
test_names(void **state)
{
	static const char *const kinds[] = { "court", "release", "transfer" };
	static const char *const states[] = { "planned", "departed",
		"returned", "cancelled", "ended" };
	static const char *const bad_kinds[] = { "Court", "COURT", "", "courts",
		"court ", " court", "bail", "released", "transfers", "planned",
		"cour", "court\n" };
	static const char *const bad_states[] = { "Planned", "", "plan",
		"departed ", "return", "canceled", "cancelled\t", "end",
		"court", "open", "DEPARTED" };
	enum movement_kind	k;
	enum movement_state	s;
	size_t			i;

	(void)state;
	assert_int_equal(NITEMS(kinds), NITEMS(all_kinds));
	for (i = 0; i < NITEMS(kinds); i++) {
		assert_string_equal(movement_kind_name(all_kinds[i]), kinds[i]);
		k = MOVEMENT_TRANSFER + 1;
		assert_int_equal(movement_kind_parse(kinds[i], &k), 0);
		assert_int_equal(k, all_kinds[i]);
	}
	assert_int_equal(NITEMS(states), NITEMS(all_states));
	for (i = 0; i < NITEMS(states); i++) {
		assert_string_equal(movement_state_name(all_states[i]),
		    states[i]);
		s = MOVEMENT_ENDED + 1;
		assert_int_equal(movement_state_parse(states[i], &s), 0);
		assert_int_equal(s, all_states[i]);
	}
	/* A bad name is refused and leaves the output alone. */
	for (i = 0; i < NITEMS(bad_kinds); i++) {
		k = MOVEMENT_TRANSFER;
		if (movement_kind_parse(bad_kinds[i], &k) != -1)
			fail_msg("kind \"%s\" accepted", bad_kinds[i]);
		assert_int_equal(k, MOVEMENT_TRANSFER);
	}
	for (i = 0; i < NITEMS(bad_states); i++) {
		s = MOVEMENT_RETURNED;
		if (movement_state_parse(bad_states[i], &s) != -1)
			fail_msg("state \"%s\" accepted", bad_states[i]);
		assert_int_equal(s, MOVEMENT_RETURNED);
	}
}

/* Open: planned or departed.  Ends care: release and transfer. */
static void
test_open_and_ends_care(void **state)
{
	struct movement	m;
	size_t		i, j;

	(void)state;
	memset(&m, 0, sizeof m);
	for (i = 0; i < NITEMS(all_kinds); i++)
		for (j = 0; j < NITEMS(all_states); j++) {
			m.kind = all_kinds[i];
			m.state = all_states[j];
			assert_int_equal(movement_is_open(&m) != 0,
			    m.state == MOVEMENT_PLANNED ||
			    m.state == MOVEMENT_DEPARTED);
			assert_int_equal(movement_ends_care(&m) != 0,
			    m.kind != MOVEMENT_COURT);
		}
}

/* The time the morning dose is due: departs - 30 min, but never before
 * 06:00 local on the departure's own local day, written out in UTC.  In
 * 2027 the clocks go forward on Sunday 28 March (01:00 GMT -> 02:00 BST)
 * and back on Sunday 31 October (02:00 BST -> 01:00 GMT). */
static const struct {
	const char	*what, *departs, *target;
} targets[] = {
	/* Tuesday 12 January 2027, GMT. */
	{ "winter 08:30", "2027-01-12T08:30:00Z", "2027-01-12T08:00:00Z" },
	{ "winter 06:31", "2027-01-12T06:31:00Z", "2027-01-12T06:01:00Z" },
	{ "winter 06:30, margin meets earliest", "2027-01-12T06:30:00Z",
	    "2027-01-12T06:00:00Z" },
	{ "winter 1 ms before 06:30", "2027-01-12T06:29:59.999Z",
	    "2027-01-12T06:00:00Z" },
	{ "winter 06:15, earliest wins", "2027-01-12T06:15:00Z",
	    "2027-01-12T06:00:00Z" },
	{ "winter 06:00", "2027-01-12T06:00:00Z", "2027-01-12T06:00:00Z" },
	{ "winter 00:30, earliest later than departure",
	    "2027-01-12T00:30:00Z", "2027-01-12T06:00:00Z" },
	{ "winter 00:10, margin in the day before", "2027-01-12T00:10:00Z",
	    "2027-01-12T06:00:00Z" },
	{ "winter midnight: the new day's earliest", "2027-01-13T00:00:00Z",
	    "2027-01-13T06:00:00Z" },
	{ "winter 1 ms before midnight", "2027-01-12T23:59:59.999Z",
	    "2027-01-12T23:29:59.999Z" },
	{ "winter 14:00", "2027-01-12T14:00:00Z", "2027-01-12T13:30:00Z" },
	/* Tuesday 13 July 2027, BST: 06:00 local is 05:00Z. */
	{ "summer 08:30", "2027-07-13T08:30:00+01:00",
	    "2027-07-13T07:00:00Z" },
	{ "summer 06:15, earliest wins", "2027-07-13T06:15:00+01:00",
	    "2027-07-13T05:00:00Z" },
	{ "summer 06:30", "2027-07-13T06:30:00+01:00",
	    "2027-07-13T05:00:00Z" },
	{ "summer 00:30 (23:30Z the day before)",
	    "2027-07-13T00:30:00+01:00", "2027-07-13T05:00:00Z" },
	{ "summer 01:30", "2027-07-13T01:30:00+01:00",
	    "2027-07-13T05:00:00Z" },
	/* Saturday 27 March 2027, the day before the spring change: GMT. */
	{ "day before spring change 06:15", "2027-03-27T06:15:00Z",
	    "2027-03-27T06:00:00Z" },
	/* Sunday 28 March 2027: 00:30 is GMT, 01:30 does not exist, 06:00
	 * is BST. */
	{ "spring change 06:15 BST", "2027-03-28T06:15:00+01:00",
	    "2027-03-28T05:00:00Z" },
	{ "spring change 06:45 BST", "2027-03-28T06:45:00+01:00",
	    "2027-03-28T05:15:00Z" },
	{ "spring change 08:30 BST", "2027-03-28T08:30:00+01:00",
	    "2027-03-28T07:00:00Z" },
	{ "spring change 00:30 GMT", "2027-03-28T00:30:00Z",
	    "2027-03-28T05:00:00Z" },
	{ "spring change 00:59:59.999 GMT", "2027-03-28T00:59:59.999Z",
	    "2027-03-28T05:00:00Z" },
	{ "spring change 02:30 BST, just after the jump",
	    "2027-03-28T02:30:00+01:00", "2027-03-28T05:00:00Z" },
	/* Saturday 30 October 2027, still BST. */
	{ "day before autumn change 06:15 BST", "2027-10-30T06:15:00+01:00",
	    "2027-10-30T05:00:00Z" },
	/* Sunday 31 October 2027: 00:30 and the first 01:30 are BST, the
	 * second 01:30 and 06:00 are GMT. */
	{ "autumn change 06:15 GMT", "2027-10-31T06:15:00Z",
	    "2027-10-31T06:00:00Z" },
	{ "autumn change 06:45 GMT", "2027-10-31T06:45:00Z",
	    "2027-10-31T06:15:00Z" },
	{ "autumn change 08:30 GMT", "2027-10-31T08:30:00Z",
	    "2027-10-31T08:00:00Z" },
	{ "autumn change 00:30 BST (23:30Z the day before)",
	    "2027-10-31T00:30:00+01:00", "2027-10-31T06:00:00Z" },
	{ "autumn change first 01:30 (BST)", "2027-10-31T01:30:00+01:00",
	    "2027-10-31T06:00:00Z" },
	{ "autumn change second 01:30 (GMT)", "2027-10-31T01:30:00Z",
	    "2027-10-31T06:00:00Z" },
};

static void
test_dose_target(void **state)
{
	char	a[TIMEFMT_INSTANT_LEN], b[TIMEFMT_INSTANT_LEN];
	int64_t	departs, got, want;
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(targets); i++) {
		departs = instant(targets[i].departs);
		want = instant(targets[i].target);
		got = movement_dose_target(&policy, departs);
		if (got != want)
			fail_msg("%s: departs %s: target %s, expected %s",
			    targets[i].what, targets[i].departs, show(got, a),
			    show(want, b));
		/* Never later than the margin allows, unless the earliest
		 * time held it. */
		assert_true(got >= departs - policy.margin_ms);
	}
}

/* A different policy: no margin, earliest 07:15 (so a target lands on the
 * minute of the policy, not a fixed 06:00). */
static void
test_dose_target_policy(void **state)
{
	struct movement_policy	p = policy;

	(void)state;
	p.margin_ms = 0;
	p.earliest_minute = 7 * 60 + 15;
	assert_true(movement_dose_target(&p, instant("2027-01-12T08:30:00Z"))
	    == instant("2027-01-12T08:30:00Z"));
	assert_true(movement_dose_target(&p, instant("2027-01-12T07:00:00Z"))
	    == instant("2027-01-12T07:15:00Z"));
	assert_true(movement_dose_target(&p,
	    instant("2027-07-13T07:00:00+01:00")) ==
	    instant("2027-07-13T06:15:00Z"));
	p.margin_ms = MIN(90);
	assert_true(movement_dose_target(&p, instant("2027-01-12T09:00:00Z"))
	    == instant("2027-01-12T07:30:00Z"));
	assert_true(movement_dose_target(&p, instant("2027-01-12T08:44:00Z"))
	    == instant("2027-01-12T07:15:00Z"));
}

/* A dose due after the target moves to it; one due at or before it
 * stays, and *moved_to is left alone. */
static void
test_dose_place(void **state)
{
	static const struct {
		/* moved_to NULL: the dose stays. */
		const char	*departs, *due, *moved_to;
	} cases[] = {
		/* The case: a 09:00 dose, an 08:30 escort. */
		{ "2027-01-12T08:30:00Z", "2027-01-12T09:00:00Z",
		    "2027-01-12T08:00:00Z" },
		{ "2027-01-12T08:30:00Z", "2027-01-12T08:00:00.001Z",
		    "2027-01-12T08:00:00Z" },
		{ "2027-01-12T08:30:00Z", "2027-01-12T08:00:00Z", NULL },
		{ "2027-01-12T08:30:00Z", "2027-01-12T07:59:59.999Z", NULL },
		{ "2027-01-12T08:30:00Z", "2027-01-12T07:00:00Z", NULL },
		/* Due after departure altogether (an afternoon dose). */
		{ "2027-01-12T08:30:00Z", "2027-01-12T14:00:00Z",
		    "2027-01-12T08:00:00Z" },
		/* The 06:15 escort: to 06:00, not 05:45. */
		{ "2027-01-12T06:15:00Z", "2027-01-12T08:00:00Z",
		    "2027-01-12T06:00:00Z" },
		{ "2027-01-12T06:15:00Z", "2027-01-12T06:00:00Z", NULL },
		{ "2027-01-12T06:15:00Z", "2027-01-12T06:00:00.001Z",
		    "2027-01-12T06:00:00Z" },
		{ "2027-01-12T06:15:00Z", "2027-01-12T05:50:00Z", NULL },
		/* Summer. */
		{ "2027-07-13T08:30:00+01:00", "2027-07-13T09:00:00+01:00",
		    "2027-07-13T07:00:00Z" },
		{ "2027-07-13T08:30:00+01:00", "2027-07-13T08:00:00+01:00",
		    NULL },
		/* Both changes. */
		{ "2027-03-28T06:15:00+01:00", "2027-03-28T08:00:00+01:00",
		    "2027-03-28T05:00:00Z" },
		{ "2027-03-28T06:15:00+01:00", "2027-03-28T06:00:00+01:00",
		    NULL },
		{ "2027-10-31T06:15:00Z", "2027-10-31T08:00:00Z",
		    "2027-10-31T06:00:00Z" },
		{ "2027-10-31T06:15:00Z", "2027-10-31T06:00:00Z", NULL },
		{ "2027-10-31T01:30:00+01:00", "2027-10-31T08:00:00Z",
		    "2027-10-31T06:00:00Z" },
	};
	char	a[TIMEFMT_INSTANT_LEN];
	int64_t	moved, sentinel = INT64_C(-12345);
	size_t	i;
	int	r;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		moved = sentinel;
		r = movement_dose_place(&policy, instant(cases[i].departs),
		    instant(cases[i].due), &moved);
		if (cases[i].moved_to == NULL) {
			if (r != 0 || moved != sentinel)
				fail_msg("escort %s, due %s: moved (%d) to %s, "
				    "expected it to stay", cases[i].departs,
				    cases[i].due, r, show(moved, a));
			continue;
		}
		if (r != 1 || moved != instant(cases[i].moved_to))
			fail_msg("escort %s, due %s: returned %d, moved to %s, "
			    "expected 1 and %s", cases[i].departs, cases[i].due,
			    r, show(moved, a), cases[i].moved_to);
	}

	/* Exactly at the target stays, 1 ms after moves, for every target
	 * of the table above. */
	for (i = 0; i < NITEMS(targets); i++) {
		int64_t	departs = instant(targets[i].departs);
		int64_t	target = instant(targets[i].target);

		moved = sentinel;
		assert_int_equal(movement_dose_place(&policy, departs, target,
		    &moved), 0);
		assert_true(moved == sentinel);
		assert_int_equal(movement_dose_place(&policy, departs,
		    target - 1, &moved), 0);
		assert_true(moved == sentinel);
		assert_int_equal(movement_dose_place(&policy, departs,
		    target + 1, &moved), 1);
		assert_true(moved == target);
	}
}

/* Whether the earliest time held the dose back from its margin: the
 * night staff are told at booking.  Exactly at the margin it is not. */
static void
test_dose_clamped(void **state)
{
	static const struct {
		const char	*departs;
		int		 clamped;
	} cases[] = {
		{ "2027-01-12T06:15:00Z", 1 },
		{ "2027-01-12T06:29:59.999Z", 1 },
		{ "2027-01-12T06:30:00Z", 0 },
		{ "2027-01-12T08:30:00Z", 0 },
		{ "2027-01-12T00:30:00Z", 1 },
		{ "2027-07-13T06:15:00+01:00", 1 },
		{ "2027-07-13T06:30:00+01:00", 0 },
		{ "2027-03-28T06:15:00+01:00", 1 },
		{ "2027-10-31T06:15:00Z", 1 },
		{ "2027-10-31T06:30:00Z", 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++)
		if (movement_dose_clamped(&policy, instant(cases[i].departs)) !=
		    cases[i].clamped)
			fail_msg("%s: clamped should be %d", cases[i].departs,
			    cases[i].clamped);
}

/* The ward's warning: the lead time before departure, or at once if
 * that has passed. */
static void
test_lead_alert_at(void **state)
{
	static const struct {
		const char	*what, *departs, *now;
		const char	*at;	/* NULL: now */
	} cases[] = {
		{ "08:30 escort booked the evening before",
		    "2027-01-12T08:30:00Z", "2027-01-11T20:00:00Z",
		    "2027-01-12T07:30:00Z" },
		{ "booked 14 days ahead", "2027-01-26T10:00:00Z",
		    "2027-01-12T10:00:00Z", "2027-01-26T09:00:00Z" },
		{ "booked 1 ms before the lead time", "2027-01-12T08:30:00Z",
		    "2027-01-12T07:29:59.999Z", "2027-01-12T07:30:00Z" },
		{ "booked at the lead time", "2027-01-12T08:30:00Z",
		    "2027-01-12T07:30:00Z", NULL },
		{ "booked 1 ms after the lead time", "2027-01-12T08:30:00Z",
		    "2027-01-12T07:30:00.001Z", NULL },
		{ "booked 15 min before departure", "2027-01-12T08:30:00Z",
		    "2027-01-12T08:15:00Z", NULL },
		{ "booked after departure (within tolerance)",
		    "2027-01-12T08:30:00Z", "2027-01-12T09:00:00Z", NULL },
		/* The earliest time held the dose back: the ward is still
		 * warned at the lead time (and told at booking besides:
		 * movement_dose_clamped). */
		{ "06:15 escort booked the evening before",
		    "2027-01-12T06:15:00Z", "2027-01-11T20:00:00Z",
		    "2027-01-12T05:15:00Z" },
		{ "06:15 escort booked a week ahead", "2027-01-19T06:15:00Z",
		    "2027-01-12T10:00:00Z", "2027-01-19T05:15:00Z" },
		{ "06:29:59.999 escort (clamped by 1 ms)",
		    "2027-01-12T06:29:59.999Z", "2027-01-11T20:00:00Z",
		    "2027-01-12T05:29:59.999Z" },
		{ "06:30 escort (not clamped)", "2027-01-12T06:30:00Z",
		    "2027-01-11T20:00:00Z", "2027-01-12T05:30:00Z" },
		{ "00:30 escort", "2027-01-12T00:30:00Z",
		    "2027-01-11T20:00:00Z", "2027-01-11T23:30:00Z" },
		{ "summer 08:30 escort", "2027-07-13T08:30:00+01:00",
		    "2027-07-12T20:00:00+01:00", "2027-07-13T06:30:00Z" },
		{ "summer 06:15 escort", "2027-07-13T06:15:00+01:00",
		    "2027-07-12T20:00:00+01:00", "2027-07-13T04:15:00Z" },
		{ "summer 06:30 escort", "2027-07-13T06:30:00+01:00",
		    "2027-07-12T20:00:00+01:00", "2027-07-13T04:30:00Z" },
		{ "spring change 06:15 BST", "2027-03-28T06:15:00+01:00",
		    "2027-03-27T20:00:00Z", "2027-03-28T04:15:00Z" },
		{ "spring change 06:30 BST", "2027-03-28T06:30:00+01:00",
		    "2027-03-27T20:00:00Z", "2027-03-28T04:30:00Z" },
		{ "spring change 08:30 BST", "2027-03-28T08:30:00+01:00",
		    "2027-03-27T20:00:00Z", "2027-03-28T06:30:00Z" },
		{ "spring change 00:30 GMT", "2027-03-28T00:30:00Z",
		    "2027-03-27T20:00:00Z", "2027-03-27T23:30:00Z" },
		{ "autumn change 06:15 GMT", "2027-10-31T06:15:00Z",
		    "2027-10-30T20:00:00+01:00", "2027-10-31T05:15:00Z" },
		{ "autumn change 06:30 GMT", "2027-10-31T06:30:00Z",
		    "2027-10-30T20:00:00+01:00", "2027-10-31T05:30:00Z" },
		{ "autumn change 08:30 GMT", "2027-10-31T08:30:00Z",
		    "2027-10-30T20:00:00+01:00", "2027-10-31T07:30:00Z" },
		{ "autumn change first 01:30", "2027-10-31T01:30:00+01:00",
		    "2027-10-30T20:00:00+01:00", "2027-10-30T23:30:00Z" },
		{ "autumn change second 01:30", "2027-10-31T01:30:00Z",
		    "2027-10-30T20:00:00+01:00", "2027-10-31T00:30:00Z" },
	};
	char	a[TIMEFMT_INSTANT_LEN], b[TIMEFMT_INSTANT_LEN];
	int64_t	now, got, want;
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		now = instant(cases[i].now);
		want = cases[i].at ? instant(cases[i].at) : now;
		got = movement_lead_alert_at(&policy,
		    instant(cases[i].departs), now);
		if (got != want)
			fail_msg("%s: alert at %s, expected %s%s",
			    cases[i].what, show(got, a), show(want, b),
			    cases[i].at ? "" : " (now)");
	}
}

/* A refusal: code, conflict and a sentence; or none, with why left as it
 * was. */
static void
check_refusal(int r, const struct refusal *why, const char *code,
    int conflict, const char *where)
{
	if (code == NULL) {
		if (r != 0)
			fail_msg("%s: refused %s, expected allowed", where,
			    why->code);
		assert_string_equal(why->code, "unset");
		return;
	}
	if (r != -1)
		fail_msg("%s: allowed, expected %s", where, code);
	if (strcmp(why->code, code) != 0 || why->conflict != conflict)
		fail_msg("%s: refused %s (conflict %d), expected %s "
		    "(conflict %d)", where, why->code, why->conflict, code,
		    conflict);
	assert_non_null(why->message);
	assert_true(strlen(why->message) > 10);
}

static void
movement_init(struct movement *m, enum movement_kind k,
    enum movement_state s, int64_t departs_at)
{
	memset(m, 0, sizeof *m);
	m->kind = k;
	m->state = s;
	m->departs_at = departs_at;
}

/* Booking: the departure no further back than the tolerance and no
 * further ahead than 14 days, to the millisecond, for every kind. */
static void
test_check_new(void **state)
{
	static const struct {
		const char	*what;
		int64_t		 offset;	/* departs_at - now */
		const char	*code;
	} cases[] = {
		{ "a day past", -MS_PER_DAY, "departs_in_past" },
		{ "1 ms beyond the tolerance", -MIN(60) - 1,
		    "departs_in_past" },
		{ "at the tolerance", -MIN(60), NULL },
		{ "30 min past", -MIN(30), NULL },
		{ "now", 0, NULL },
		{ "in an hour", MIN(60), NULL },
		{ "13 days ahead", 13 * MS_PER_DAY, NULL },
		{ "14 days ahead exactly", 14 * MS_PER_DAY, NULL },
		{ "1 ms beyond 14 days", 14 * MS_PER_DAY + 1,
		    "departs_too_far" },
		{ "a year ahead", 365 * MS_PER_DAY, "departs_too_far" },
	};
	static const char *const nows[] = {
		"2027-01-12T10:00:00Z", "2027-03-28T06:00:00+01:00",
		"2027-10-31T01:30:00Z",
	};
	struct movement	m;
	struct refusal	why;
	char		where[160];
	int64_t		now;
	size_t		i, k, n;

	(void)state;
	for (n = 0; n < NITEMS(nows); n++) {
		now = instant(nows[n]);
		for (k = 0; k < NITEMS(all_kinds); k++)
			for (i = 0; i < NITEMS(cases); i++) {
				movement_init(&m, all_kinds[k],
				    MOVEMENT_PLANNED, now + cases[i].offset);
				why = (struct refusal){ "unset", "unset", 7 };
				snprintf(where, sizeof where, "%s %s at %s",
				    movement_kind_name(all_kinds[k]),
				    cases[i].what, nows[n]);
				check_refusal(movement_check_new(&policy, &m,
				    now, &why), &why, cases[i].code, 0, where);
			}
	}
}

/* Each state of each kind, at a time that passes the time checks (and
 * again at one in the future, which the state's refusal must win over):
 * depart, return and cancel. */
struct want {
	const char	*code;		/* NULL: allowed */
	int		 conflict;
};

#define OK		{ NULL, 0 }
#define DEPARTED	{ "already_departed", 1 }
#define CANCELLED	{ "movement_cancelled", 1 }
#define RETURNED	{ "already_returned", 1 }
#define NOT_DEPARTED	{ "not_departed", 1 }
#define CLOSED		{ "movement_closed", 1 }
#define NOT_RETURNABLE	{ "not_returnable", 1 }

static void
test_state_matrix(void **state)
{
	/* Indexed by kind, then state (planned, departed, returned,
	 * cancelled, ended). */
	static const struct want depart[3][5] = {
		{ OK, DEPARTED, DEPARTED, CANCELLED, DEPARTED },
		{ OK, DEPARTED, DEPARTED, CANCELLED, DEPARTED },
		{ OK, DEPARTED, DEPARTED, CANCELLED, DEPARTED },
	}, ret[3][5] = {
		{ NOT_DEPARTED, OK, RETURNED, CLOSED, CLOSED },
		{ NOT_RETURNABLE, NOT_RETURNABLE, NOT_RETURNABLE,
		    NOT_RETURNABLE, NOT_RETURNABLE },
		{ NOT_RETURNABLE, NOT_RETURNABLE, NOT_RETURNABLE,
		    NOT_RETURNABLE, NOT_RETURNABLE },
	}, cancel[3][5] = {
		{ OK, DEPARTED, DEPARTED, CANCELLED, DEPARTED },
		{ OK, DEPARTED, DEPARTED, CANCELLED, DEPARTED },
		{ OK, DEPARTED, DEPARTED, CANCELLED, DEPARTED },
	};
	struct movement	m;
	struct refusal	why;
	char		where[160];
	int64_t		now = instant("2027-01-12T10:00:00Z");
	size_t		k, s;

	(void)state;
	for (k = 0; k < NITEMS(all_kinds); k++)
		for (s = 0; s < NITEMS(all_states); s++) {
			movement_init(&m, all_kinds[k], all_states[s],
			    now - MIN(120));
			/* A departure recorded for the states after it. */
			if (all_states[s] != MOVEMENT_PLANNED &&
			    all_states[s] != MOVEMENT_CANCELLED)
				m.departed_at = now - MIN(90);
			if (all_states[s] == MOVEMENT_RETURNED)
				m.returned_at = now - MIN(30);
			if (all_states[s] == MOVEMENT_CANCELLED)
				m.cancelled_at = now - MIN(150);

			snprintf(where, sizeof where, "depart %s %s",
			    movement_kind_name(m.kind),
			    movement_state_name(m.state));
			why = (struct refusal){ "unset", "unset", 7 };
			check_refusal(movement_check_depart(&policy, &m, now,
			    now, &why), &why, depart[k][s].code,
			    depart[k][s].conflict, where);

			snprintf(where, sizeof where, "return %s %s",
			    movement_kind_name(m.kind),
			    movement_state_name(m.state));
			why = (struct refusal){ "unset", "unset", 7 };
			check_refusal(movement_check_return(&policy, &m, now,
			    now, &why), &why, ret[k][s].code,
			    ret[k][s].conflict, where);

			snprintf(where, sizeof where, "cancel %s %s",
			    movement_kind_name(m.kind),
			    movement_state_name(m.state));
			why = (struct refusal){ "unset", "unset", 7 };
			check_refusal(movement_check_cancel(&m, &why), &why,
			    cancel[k][s].code, cancel[k][s].conflict, where);

			/* The state's refusal comes before the time's: a time
			 * in the future, or far in the past, changes only an
			 * allowed answer. */
			snprintf(where, sizeof where, "depart %s %s, 1 ms "
			    "ahead", movement_kind_name(m.kind),
			    movement_state_name(m.state));
			why = (struct refusal){ "unset", "unset", 7 };
			if (depart[k][s].code == NULL)
				check_refusal(movement_check_depart(&policy,
				    &m, now + 1, now, &why), &why,
				    "time_in_future", 0, where);
			else
				check_refusal(movement_check_depart(&policy,
				    &m, now + 1, now, &why), &why,
				    depart[k][s].code, depart[k][s].conflict,
				    where);
			snprintf(where, sizeof where, "return %s %s, a day "
			    "back", movement_kind_name(m.kind),
			    movement_state_name(m.state));
			why = (struct refusal){ "unset", "unset", 7 };
			if (ret[k][s].code == NULL)
				check_refusal(movement_check_return(&policy,
				    &m, now - MS_PER_DAY, now, &why), &why,
				    "return_before_departure", 0, where);
			else
				check_refusal(movement_check_return(&policy,
				    &m, now - MS_PER_DAY, now, &why), &why,
				    ret[k][s].code, ret[k][s].conflict, where);
		}
}

/* The time of a departure: not in the future, not further back than the
 * tolerance, to the millisecond. */
static void
test_depart_times(void **state)
{
	static const struct {
		const char	*what;
		int64_t		 offset;	/* at - now */
		const char	*code;
	} cases[] = {
		{ "now", 0, NULL },
		{ "1 ms ahead", 1, "time_in_future" },
		{ "an hour ahead", MIN(60), "time_in_future" },
		{ "1 ms back", -1, NULL },
		{ "30 min back", -MIN(30), NULL },
		{ "at the tolerance", -MIN(60), NULL },
		{ "1 ms beyond the tolerance", -MIN(60) - 1, "time_in_past" },
		{ "a day back", -MS_PER_DAY, "time_in_past" },
	};
	struct movement	m;
	struct refusal	why;
	char		where[160];
	int64_t		now = instant("2027-03-28T08:10:00+01:00");
	size_t		i, k;

	(void)state;
	for (k = 0; k < NITEMS(all_kinds); k++)
		for (i = 0; i < NITEMS(cases); i++) {
			/* Booked for 08:30; the escort may leave early or
			 * late: the booked time does not bound it. */
			movement_init(&m, all_kinds[k], MOVEMENT_PLANNED,
			    instant("2027-03-28T08:30:00+01:00"));
			why = (struct refusal){ "unset", "unset", 7 };
			snprintf(where, sizeof where, "depart %s %s",
			    movement_kind_name(all_kinds[k]), cases[i].what);
			check_refusal(movement_check_depart(&policy, &m,
			    now + cases[i].offset, now, &why), &why,
			    cases[i].code, 0, where);
		}
}

/* The time of a return: no earlier than the departure, not in the
 * future, not further back than the tolerance. */
static void
test_return_times(void **state)
{
	static const struct {
		const char	*what;
		int64_t		 departed;	/* departed_at - now */
		int64_t		 at;		/* at - now */
		const char	*code;
	} cases[] = {
		{ "now, left 3 h ago", -MIN(180), 0, NULL },
		{ "1 ms ahead", -MIN(180), 1, "time_in_future" },
		{ "an hour ahead", -MIN(180), MIN(60), "time_in_future" },
		{ "at the tolerance", -MIN(180), -MIN(60), NULL },
		{ "1 ms beyond the tolerance", -MIN(180), -MIN(60) - 1,
		    "time_in_past" },
		{ "2 h back", -MIN(180), -MIN(120), "time_in_past" },
		/* Left 30 min ago. */
		{ "at the departure", -MIN(30), -MIN(30), NULL },
		{ "1 ms after the departure", -MIN(30), -MIN(30) + 1, NULL },
		{ "1 ms before the departure", -MIN(30), -MIN(30) - 1,
		    "return_before_departure" },
		{ "before the departure and beyond the tolerance", -MIN(30),
		    -MIN(120), "return_before_departure" },
		/* Left this very millisecond. */
		{ "back the moment it left", 0, 0, NULL },
		{ "1 ms before it left, now", 0, -1,
		    "return_before_departure" },
		/* A departure recorded 1 ms ahead of the return's now is
		 * not possible, but the order holds: before it left. */
		{ "ahead, before the departure", MIN(10), MIN(5),
		    "return_before_departure" },
	};
	struct movement	m;
	struct refusal	why;
	char		where[160];
	int64_t		now = instant("2027-10-31T01:30:00Z");
	size_t		i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		movement_init(&m, MOVEMENT_COURT, MOVEMENT_DEPARTED,
		    now - MIN(240));
		m.departed_at = now + cases[i].departed;
		why = (struct refusal){ "unset", "unset", 7 };
		snprintf(where, sizeof where, "return %s", cases[i].what);
		check_refusal(movement_check_return(&policy, &m,
		    now + cases[i].at, now, &why), &why, cases[i].code, 0,
		    where);
	}
}

/* The tolerance is the policy's, not a constant. */
static void
test_tolerance_from_policy(void **state)
{
	struct movement_policy	p = policy;
	struct movement		m;
	struct refusal		why;
	int64_t			now = instant("2027-01-12T10:00:00Z");

	(void)state;
	p.past_tolerance_ms = MIN(15);
	p.max_ahead_ms = 2 * MS_PER_DAY;
	movement_init(&m, MOVEMENT_COURT, MOVEMENT_PLANNED, now - MIN(15));
	why = (struct refusal){ "unset", "unset", 7 };
	check_refusal(movement_check_new(&p, &m, now, &why), &why, NULL, 0,
	    "booked 15 min back");
	m.departs_at = now - MIN(15) - 1;
	check_refusal(movement_check_new(&p, &m, now, &why), &why,
	    "departs_in_past", 0, "booked 15 min 1 ms back");
	m.departs_at = now + 2 * MS_PER_DAY + 1;
	check_refusal(movement_check_new(&p, &m, now, &why), &why,
	    "departs_too_far", 0, "booked 2 days 1 ms ahead");

	movement_init(&m, MOVEMENT_COURT, MOVEMENT_PLANNED, now);
	why = (struct refusal){ "unset", "unset", 7 };
	check_refusal(movement_check_depart(&p, &m, now - MIN(15), now, &why),
	    &why, NULL, 0, "departed 15 min back");
	check_refusal(movement_check_depart(&p, &m, now - MIN(15) - 1, now,
	    &why), &why, "time_in_past", 0, "departed 15 min 1 ms back");
	m.state = MOVEMENT_DEPARTED;
	m.departed_at = now - MIN(60);
	why = (struct refusal){ "unset", "unset", 7 };
	check_refusal(movement_check_return(&p, &m, now - MIN(15), now, &why),
	    &why, NULL, 0, "returned 15 min back");
	check_refusal(movement_check_return(&p, &m, now - MIN(15) - 1, now,
	    &why), &why, "time_in_past", 0, "returned 15 min 1 ms back");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_open_and_ends_care),
		cmocka_unit_test(test_dose_target),
		cmocka_unit_test(test_dose_target_policy),
		cmocka_unit_test(test_dose_place),
		cmocka_unit_test(test_dose_clamped),
		cmocka_unit_test(test_lead_alert_at),
		cmocka_unit_test(test_check_new),
		cmocka_unit_test(test_state_matrix),
		cmocka_unit_test(test_depart_times),
		cmocka_unit_test(test_return_times),
		cmocka_unit_test(test_tolerance_from_policy),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
