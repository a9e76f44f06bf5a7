/* Doses (docs/design.md rules 1 and 5): the window and its edges to the
 * millisecond, the state a person sees, when a dose may be signed off and
 * the code of each refusal, the witness sign-off matrix over every pair of
 * roles, and the run of doses not taken that holds a prescription for
 * review, driven over days of rounds laid out by prescription_doses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "dose.h"
#include "prescription.h"
#include "roles.h"

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* The window opens 1 h before the round time and closes 2 h after. */
static const struct dose_policy policy = {
	1 * MS_PER_HOUR, 2 * MS_PER_HOUR, 48 * MS_PER_HOUR, 3
};

static void
open_dose(struct dose *d, const char *due)
{
	memset(d, 0, sizeof *d);
	d->state = DOSE_SCHEDULED;
	dose_place(d, instant(due), &policy);
}

static const enum dose_state all_states[] = {
	DOSE_SCHEDULED, DOSE_DUE, DOSE_GIVEN, DOSE_REFUSED, DOSE_WITHHELD,
	DOSE_MISSED, DOSE_AWAY, DOSE_HELD,
};

static void
test_names(void **state)
{
	static const char *const names[] = {
		"scheduled", "due", "given", "refused", "withheld", "missed",
		"away", "held",
	};
	enum dose_state	s = DOSE_GIVEN;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_string_equal(dose_state_name(all_states[i]), names[i]);
		assert_int_equal(dose_state_parse(names[i], &s), 0);
		assert_int_equal(s, all_states[i]);
	}
	s = DOSE_GIVEN;
	assert_int_equal(dose_state_parse("Given", &s), -1);
	assert_int_equal(dose_state_parse("", &s), -1);
	assert_int_equal(dose_state_parse("administered", &s), -1);
	assert_int_equal(s, DOSE_GIVEN);
}

static void
test_place(void **state)
{
	struct dose		d;
	struct dose_policy	none = { 0, 0, 0, 3 };

	(void)state;
	open_dose(&d, "2026-03-10T08:00:00Z");
	assert_true(d.due_at == instant("2026-03-10T08:00:00Z"));
	assert_true(d.window_start == instant("2026-03-10T07:00:00Z"));
	assert_true(d.window_end == instant("2026-03-10T10:00:00Z"));
	/* Placed again (a court morning moves it): the window moves too. */
	dose_place(&d, instant("2026-03-10T05:30:00Z"), &policy);
	assert_true(d.due_at == instant("2026-03-10T05:30:00Z"));
	assert_true(d.window_start == instant("2026-03-10T04:30:00Z"));
	assert_true(d.window_end == instant("2026-03-10T07:30:00Z"));
	/* Durations, not wall-clock time: across the spring change the
	 * window is still 3 real hours. */
	dose_place(&d, instant("2026-03-29T01:30:00Z"), &policy);
	assert_true(d.window_start == instant("2026-03-29T00:30:00Z"));
	assert_true(d.window_end == instant("2026-03-29T03:30:00Z"));
	dose_place(&d, instant("2026-03-10T08:00:00Z"), &none);
	assert_true(d.window_start == d.due_at && d.window_end == d.due_at);
}

static void
test_closed_and_not_taken(void **state)
{
	(void)state;
	assert_false(dose_is_closed(DOSE_SCHEDULED));
	assert_false(dose_is_closed(DOSE_DUE));
	assert_true(dose_is_closed(DOSE_GIVEN));
	assert_true(dose_is_closed(DOSE_REFUSED));
	assert_true(dose_is_closed(DOSE_WITHHELD));
	assert_true(dose_is_closed(DOSE_MISSED));
	assert_true(dose_is_closed(DOSE_AWAY));

	assert_true(dose_not_taken(DOSE_MISSED));
	assert_true(dose_not_taken(DOSE_REFUSED));
	assert_true(dose_not_taken(DOSE_WITHHELD));
	assert_true(dose_not_taken(DOSE_AWAY));
	assert_false(dose_not_taken(DOSE_GIVEN));
	assert_false(dose_not_taken(DOSE_SCHEDULED));
	assert_false(dose_not_taken(DOSE_DUE));
	assert_false(dose_not_taken(DOSE_HELD));
}

/* Scheduled before the window, due from window_start exactly, missed from
 * window_end exactly; held while held; a closed dose as recorded. */
static void
test_state_at(void **state)
{
	struct dose	d;
	size_t		i;
	int		recorded;

	(void)state;
	open_dose(&d, "2026-03-10T08:00:00Z");
	/* Open, whether the scheduler has recorded it as due or not. */
	for (recorded = 0; recorded <= 1; recorded++) {
		d.state = recorded ? DOSE_DUE : DOSE_SCHEDULED;
		assert_int_equal(dose_state_at(&d, 0, d.window_start - 1),
		    DOSE_SCHEDULED);
		assert_int_equal(dose_state_at(&d, 0, d.window_start),
		    DOSE_DUE);
		assert_int_equal(dose_state_at(&d, 0, d.due_at), DOSE_DUE);
		assert_int_equal(dose_state_at(&d, 0, d.window_end - 1),
		    DOSE_DUE);
		assert_int_equal(dose_state_at(&d, 0, d.window_end),
		    DOSE_MISSED);
		assert_int_equal(dose_state_at(&d, 0,
		    d.window_end + 30 * MS_PER_DAY), DOSE_MISSED);
		assert_int_equal(dose_state_at(&d, 1, d.window_start - 1),
		    DOSE_HELD);
		assert_int_equal(dose_state_at(&d, 1, d.due_at), DOSE_HELD);
		assert_int_equal(dose_state_at(&d, 1, d.window_end),
		    DOSE_HELD);
	}
	/* Recorded: what it was, whatever the time or the hold. */
	for (i = 2; i < 7; i++) {
		d.state = all_states[i];
		assert_int_equal(dose_state_at(&d, 0, d.window_start - 1),
		    all_states[i]);
		assert_int_equal(dose_state_at(&d, 0, d.due_at),
		    all_states[i]);
		assert_int_equal(dose_state_at(&d, 1, d.due_at),
		    all_states[i]);
		assert_int_equal(dose_state_at(&d, 1, d.window_end + 1),
		    all_states[i]);
	}
}

/* dose_check_signable: 0, or the code and whether it is a conflict. */
static void
signable(const struct dose *d, int held, int64_t now, const char *code,
    int conflict)
{
	struct refusal	why = { "unset", "unset", 7 };
	int		r = dose_check_signable(d, held, now, &why);

	if (code == NULL) {
		if (r != 0)
			fail_msg("refused %s, expected signable", why.code);
		return;
	}
	if (r != -1)
		fail_msg("signable, expected %s", code);
	assert_string_equal(why.code, code);
	assert_int_equal(why.conflict, conflict);
	assert_non_null(why.message);
	assert_true(strlen(why.message) > 10);
}

static void
test_signable(void **state)
{
	static const enum dose_state not_given[] = {
		DOSE_REFUSED, DOSE_WITHHELD, DOSE_MISSED, DOSE_AWAY,
	};
	struct dose	d;
	size_t		i;

	(void)state;
	open_dose(&d, "2026-03-10T08:00:00Z");
	/* The window's edges, exactly. */
	signable(&d, 0, d.window_start - 1, "dose_not_due", 1);
	signable(&d, 0, d.window_start - MS_PER_DAY, "dose_not_due", 1);
	signable(&d, 0, d.window_start, NULL, 0);
	signable(&d, 0, d.due_at, NULL, 0);
	signable(&d, 0, d.window_end - 1, NULL, 0);
	signable(&d, 0, d.window_end, "dose_closed", 1);	/* missed */
	signable(&d, 0, d.window_end + MS_PER_DAY, "dose_closed", 1);

	/* Held for review: a clinical rule (422), not a conflict, before,
	 * in and after the window. */
	signable(&d, 1, d.window_start - 1, "held_for_review", 0);
	signable(&d, 1, d.due_at, "held_for_review", 0);
	signable(&d, 1, d.window_end, "held_for_review", 0);

	/* Already given: a conflict, in the window or out of it, held or
	 * not. */
	d.state = DOSE_GIVEN;
	signable(&d, 0, d.due_at, "already_administered", 1);
	signable(&d, 0, d.window_end + 1, "already_administered", 1);
	signable(&d, 0, d.window_start - 1, "already_administered", 1);
	signable(&d, 1, d.due_at, "already_administered", 1);

	/* Recorded as not given: closed. */
	for (i = 0; i < sizeof not_given / sizeof not_given[0]; i++) {
		d.state = not_given[i];
		signable(&d, 0, d.due_at, "dose_closed", 1);
		signable(&d, 0, d.window_start - 1, "dose_closed", 1);
		signable(&d, 1, d.due_at, "dose_closed", 1);
	}

	/* Recorded held when its window closed: held for review while the
	 * prescription is; after the review lifted the hold, closed. */
	d.state = DOSE_HELD;
	signable(&d, 1, d.window_end, "held_for_review", 0);
	signable(&d, 1, d.due_at, "held_for_review", 0);
	signable(&d, 0, d.window_end, "dose_closed", 1);
	signable(&d, 0, d.due_at, "dose_closed", 1);

	/* Recorded as due by the scheduler: still the window that counts. */
	d.state = DOSE_DUE;
	signable(&d, 0, d.due_at, NULL, 0);
	signable(&d, 0, d.window_end, "dose_closed", 1);
	signable(&d, 0, d.window_start - 1, "dose_not_due", 1);
}

/* dose_check_givable: 0, or the code and whether it is a conflict. */
struct want {
	const char	*code;		/* NULL: givable */
	int		 conflict;
};

#define GIVABLE		{ NULL, 0 }
#define NOT_DUE		{ "dose_not_due", 1 }
#define CLOSED		{ "dose_closed", 1 }
#define GIVEN		{ "already_administered", 1 }
#define HELD		{ "held_for_review", 0 }

static void
givable_at(const struct dose *d, int held, int64_t now, struct want w,
    const char *where)
{
	struct refusal	why = { "unset", "unset", 7 };
	int		r = dose_check_givable(d, held, now, &why);

	if (w.code == NULL) {
		if (r != 0)
			fail_msg("%s: state %s, held %d: refused %s, expected "
			    "givable", where, dose_state_name(d->state), held,
			    why.code);
		return;
	}
	if (r != -1)
		fail_msg("%s: state %s, held %d: givable, expected %s", where,
		    dose_state_name(d->state), held, w.code);
	if (strcmp(why.code, w.code) != 0 || why.conflict != w.conflict)
		fail_msg("%s: state %s, held %d: refused %s (conflict %d), "
		    "expected %s (conflict %d)", where,
		    dose_state_name(d->state), held, why.code, why.conflict,
		    w.code, w.conflict);
	assert_non_null(why.message);
	assert_true(strlen(why.message) > 10);
}

/* Every recorded state at every edge of the window, held and not.  A dose
 * refused or withheld may still be given while its window is open and the
 * prescription is not held (the patient who declined at 07:30 comes back
 * at 07:50); otherwise the answer is dose_check_signable's. */
static void
test_givable(void **state)
{
	static const char *const at[] = {
		"a day before the window", "1 ms before window_start",
		"at window_start", "at due_at", "1 ms before window_end",
		"at window_end", "1 ms after window_end",
		"a day after the window",
	};
#define NAT	(sizeof at / sizeof at[0])
	static const struct {
		enum dose_state	state;
		int		held;
		struct want	want[NAT];
	} cases[] = {
		{ DOSE_SCHEDULED, 0, { NOT_DUE, NOT_DUE, GIVABLE, GIVABLE,
		    GIVABLE, CLOSED, CLOSED, CLOSED } },
		{ DOSE_SCHEDULED, 1, { HELD, HELD, HELD, HELD, HELD, HELD,
		    HELD, HELD } },
		{ DOSE_DUE, 0, { NOT_DUE, NOT_DUE, GIVABLE, GIVABLE, GIVABLE,
		    CLOSED, CLOSED, CLOSED } },
		{ DOSE_DUE, 1, { HELD, HELD, HELD, HELD, HELD, HELD, HELD,
		    HELD } },
		{ DOSE_GIVEN, 0, { GIVEN, GIVEN, GIVEN, GIVEN, GIVEN, GIVEN,
		    GIVEN, GIVEN } },
		{ DOSE_GIVEN, 1, { GIVEN, GIVEN, GIVEN, GIVEN, GIVEN, GIVEN,
		    GIVEN, GIVEN } },
		{ DOSE_REFUSED, 0, { CLOSED, CLOSED, GIVABLE, GIVABLE,
		    GIVABLE, CLOSED, CLOSED, CLOSED } },
		/* Held (the refusal may be what held it): in its window,
		 * held for review; outside it, closed as recorded. */
		{ DOSE_REFUSED, 1, { CLOSED, CLOSED, HELD, HELD, HELD,
		    CLOSED, CLOSED, CLOSED } },
		{ DOSE_WITHHELD, 0, { CLOSED, CLOSED, GIVABLE, GIVABLE,
		    GIVABLE, CLOSED, CLOSED, CLOSED } },
		{ DOSE_WITHHELD, 1, { CLOSED, CLOSED, HELD, HELD, HELD,
		    CLOSED, CLOSED, CLOSED } },
		{ DOSE_MISSED, 0, { CLOSED, CLOSED, CLOSED, CLOSED, CLOSED,
		    CLOSED, CLOSED, CLOSED } },
		{ DOSE_MISSED, 1, { CLOSED, CLOSED, CLOSED, CLOSED, CLOSED,
		    CLOSED, CLOSED, CLOSED } },
		{ DOSE_AWAY, 0, { CLOSED, CLOSED, CLOSED, CLOSED, CLOSED,
		    CLOSED, CLOSED, CLOSED } },
		{ DOSE_AWAY, 1, { CLOSED, CLOSED, CLOSED, CLOSED, CLOSED,
		    CLOSED, CLOSED, CLOSED } },
		/* Recorded as held: held for review while the prescription
		 * is; once reviewed, closed (issue 22). */
		{ DOSE_HELD, 0, { CLOSED, CLOSED, CLOSED, CLOSED, CLOSED,
		    CLOSED, CLOSED, CLOSED } },
		{ DOSE_HELD, 1, { HELD, HELD, HELD, HELD, HELD, HELD, HELD,
		    HELD } },
	};
	struct dose	d;
	int64_t		now[NAT];
	size_t		i, k;
	struct refusal	a, b;
	int		ra, rb;

	(void)state;
	open_dose(&d, "2026-03-10T08:00:00Z");
	now[0] = d.window_start - MS_PER_DAY;
	now[1] = d.window_start - 1;
	now[2] = d.window_start;
	now[3] = d.due_at;
	now[4] = d.window_end - 1;
	now[5] = d.window_end;
	now[6] = d.window_end + 1;
	now[7] = d.window_end + MS_PER_DAY;
	/* Every state, held and not, exactly once. */
	assert_int_equal(sizeof cases / sizeof cases[0],
	    2 * sizeof all_states / sizeof all_states[0]);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(cases[i].state, all_states[i / 2]);
		assert_int_equal(cases[i].held, (int)(i % 2));
		d.state = cases[i].state;
		for (k = 0; k < NAT; k++)
			givable_at(&d, cases[i].held, now[k], cases[i].want[k],
			    at[k]);
	}

	/* The same answer as dose_check_signable, but for a refused or
	 * withheld dose in its open window. */
	for (i = 0; i < sizeof all_states / sizeof all_states[0]; i++)
		for (k = 0; k < NAT; k++) {
			int	held, reopen;

			for (held = 0; held <= 1; held++) {
				d.state = all_states[i];
				a = (struct refusal){ "unset", "unset", 7 };
				b = a;
				ra = dose_check_givable(&d, held, now[k], &a);
				rb = dose_check_signable(&d, held, now[k], &b);
				reopen = (d.state == DOSE_REFUSED ||
				    d.state == DOSE_WITHHELD) && k >= 2 &&
				    k <= 4;
				if (reopen) {
					assert_int_equal(ra, held ? -1 : 0);
					if (held)
						assert_string_equal(a.code,
						    "held_for_review");
					assert_int_equal(rb, -1);
					continue;
				}
				assert_int_equal(ra, rb);
				assert_string_equal(a.code, b.code);
				assert_int_equal(a.conflict, b.conflict);
			}
		}

	/* A window of no length is never open: a refused dose cannot be
	 * given at its due time. */
	memset(&d, 0, sizeof d);
	dose_place(&d, instant("2026-03-10T08:00:00Z"),
	    &(struct dose_policy){ 0, 0, 0, 3 });
	d.state = DOSE_REFUSED;
	givable_at(&d, 0, d.due_at, (struct want)CLOSED, "zero window");
	givable_at(&d, 0, d.due_at - 1, (struct want)CLOSED, "zero window");
	d.state = DOSE_SCHEDULED;
	givable_at(&d, 0, d.due_at, (struct want)CLOSED, "zero window");
	givable_at(&d, 0, d.due_at - 1, (struct want)NOT_DUE, "zero window");

	/* Refused at 07:30, given at 07:50; the window is the dose's, not a
	 * fixed hour: placed again, the refused dose follows it. */
	open_dose(&d, "2026-03-10T08:00:00Z");
	d.state = DOSE_REFUSED;
	d.recorded_at = instant("2026-03-10T07:30:00Z");
	givable_at(&d, 0, instant("2026-03-10T07:50:00Z"), (struct want)GIVABLE,
	    "07:50");
	dose_place(&d, instant("2026-03-10T05:30:00Z"), &policy);
	givable_at(&d, 0, instant("2026-03-10T07:29:59.999Z"),
	    (struct want)GIVABLE, "moved, 07:29:59.999");
	givable_at(&d, 0, instant("2026-03-10T07:30:00Z"), (struct want)CLOSED,
	    "moved, 07:30");
	givable_at(&d, 0, instant("2026-03-10T04:30:00Z"), (struct want)GIVABLE,
	    "moved, 04:30");
	givable_at(&d, 0, instant("2026-03-10T04:29:59.999Z"),
	    (struct want)CLOSED, "moved, 04:29:59.999");
#undef NAT
}

#define AWAY		{ "patient_away", 1 }

/* The standing bitmask: a dose still open whose patient was away (at
 * court) when it fell due shows away before, in and after its window and
 * is never signed (patient_away, a conflict); a held prescription wins
 * over the absence; a dose already closed shows and answers as recorded,
 * whoever is away.  A dose refused earlier in its window is not given
 * while the patient is away. */
static void
test_standing_away(void **state)
{
	static const char *const at[] = {
		"a day before the window", "1 ms before window_start",
		"at window_start", "at due_at", "1 ms before window_end",
		"at window_end", "1 ms after window_end",
		"a day after the window",
	};
#define NAT	(sizeof at / sizeof at[0])
	const int	away = DOSE_PATIENT_AWAY;
	const int	both = DOSE_RX_HELD | DOSE_PATIENT_AWAY;
	struct dose	d;
	struct refusal	a, b;
	int64_t		now[NAT];
	size_t		i, k;
	int		recorded, ra, rb;

	(void)state;
	/* Two distinct bits, the held one the old "held" argument's 1. */
	assert_int_equal(DOSE_RX_HELD, 1);
	assert_int_not_equal(DOSE_PATIENT_AWAY, 0);
	assert_int_equal(DOSE_RX_HELD & DOSE_PATIENT_AWAY, 0);

	open_dose(&d, "2026-03-10T14:00:00Z");
	now[0] = d.window_start - MS_PER_DAY;
	now[1] = d.window_start - 1;
	now[2] = d.window_start;
	now[3] = d.due_at;
	now[4] = d.window_end - 1;
	now[5] = d.window_end;
	now[6] = d.window_end + 1;
	now[7] = d.window_end + MS_PER_DAY;

	/* Open, whether or not the scheduler has recorded it as due. */
	for (recorded = 0; recorded <= 1; recorded++) {
		d.state = recorded ? DOSE_DUE : DOSE_SCHEDULED;
		for (k = 0; k < NAT; k++) {
			if (dose_state_at(&d, away, now[k]) != DOSE_AWAY)
				fail_msg("%s, open (%s), away: shows %s, "
				    "expected away", at[k],
				    dose_state_name(d.state), dose_state_name(
				    dose_state_at(&d, away, now[k])));
			if (dose_state_at(&d, both, now[k]) != DOSE_HELD)
				fail_msg("%s, open, held and away: shows %s, "
				    "expected held", at[k], dose_state_name(
				    dose_state_at(&d, both, now[k])));
			signable(&d, away, now[k], "patient_away", 1);
			givable_at(&d, away, now[k], (struct want)AWAY, at[k]);
			signable(&d, both, now[k], "held_for_review", 0);
			givable_at(&d, both, now[k], (struct want)HELD, at[k]);
		}
		/* Without the bit, the window as before. */
		assert_int_equal(dose_state_at(&d, 0, d.due_at), DOSE_DUE);
		signable(&d, 0, d.due_at, NULL, 0);
		signable(&d, DOSE_RX_HELD, d.due_at, "held_for_review", 0);
	}

	/* Closed: as recorded, and answered as without the absence. */
	for (i = 2; i < sizeof all_states / sizeof all_states[0]; i++) {
		d.state = all_states[i];
		assert_true(dose_is_closed(d.state));
		for (k = 0; k < NAT; k++) {
			if (dose_state_at(&d, away, now[k]) != all_states[i] ||
			    dose_state_at(&d, both, now[k]) != all_states[i])
				fail_msg("%s, recorded %s, away: shows %s / %s",
				    at[k], dose_state_name(all_states[i]),
				    dose_state_name(dose_state_at(&d, away,
				    now[k])), dose_state_name(dose_state_at(&d,
				    both, now[k])));
			a = (struct refusal){ "unset", "unset", 7 };
			b = a;
			ra = dose_check_signable(&d, away, now[k], &a);
			rb = dose_check_signable(&d, 0, now[k], &b);
			assert_int_equal(ra, -1);
			assert_int_equal(ra, rb);
			if (strcmp(a.code, b.code) != 0 ||
			    a.conflict != b.conflict)
				fail_msg("%s, recorded %s, away: signable "
				    "refused %s, %s without the absence",
				    at[k], dose_state_name(d.state), a.code,
				    b.code);
		}
	}
	/* Recorded away by the scheduler at its window's end: closed. */
	d.state = DOSE_AWAY;
	signable(&d, away, d.due_at, "dose_closed", 1);
	signable(&d, 0, d.window_end, "dose_closed", 1);

	/* Refused (or withheld) at 13:10, the escort left at 13:30 before
	 * the 14:00 due time: not given on the patient's return to the
	 * landing at 14:30 in the same window, nor at any other time. */
	for (i = 0; i < 2; i++) {
		d.state = i ? DOSE_WITHHELD : DOSE_REFUSED;
		d.recorded_at = instant("2026-03-10T13:10:00Z");
		givable_at(&d, 0, instant("2026-03-10T14:30:00Z"),
		    (struct want)GIVABLE, "14:30, not away");
		givable_at(&d, away, instant("2026-03-10T14:30:00Z"),
		    (struct want)AWAY, "14:30, away");
		for (k = 2; k <= 4; k++)
			givable_at(&d, away, now[k], (struct want)AWAY, at[k]);
		for (k = 0; k < NAT; k++)
			if (k < 2 || k > 4)
				givable_at(&d, away, now[k],
				    (struct want)CLOSED, at[k]);
		/* Still what it was. */
		assert_int_equal(dose_state_at(&d, away, d.due_at), d.state);
	}
	d.recorded_at = 0;

	/* Away counts towards the hold like any dose not taken. */
	assert_true(dose_not_taken(DOSE_AWAY));
	assert_true(dose_is_closed(DOSE_AWAY));
#undef NAT
}

#undef AWAY
#undef GIVABLE
#undef NOT_DUE
#undef CLOSED
#undef GIVEN
#undef HELD

/* A member of staff for the witness rules. */
static void
person(struct staff *s, const char *id, unsigned roles)
{
	memset(s, 0, sizeof *s);
	snprintf(s->id, sizeof s->id, "%s", id);
	snprintf(s->username, sizeof s->username, "u%.8s", id);
	s->roles = roles;
	s->active = 1;
}

#define GIVER_ID	"6f1c2d3e-0000-4000-8000-000000000001"
#define WITNESS_ID	"6f1c2d3e-0000-4000-8000-000000000002"

static void
witness(const struct staff *giver, const struct staff *w, int64_t now,
    const char *code)
{
	struct refusal	why = { "unset", "unset", 7 };
	int		r = dose_check_witness(giver, w, now, &why);

	if (code == NULL) {
		if (r != 0)
			fail_msg("witness roles %#x refused: %s", w->roles,
			    why.code);
		return;
	}
	if (r != -1)
		fail_msg("witness roles %#x accepted, expected %s", w->roles,
		    code);
	assert_string_equal(why.code, code);
	assert_int_equal(why.conflict, 0);
	assert_non_null(why.message);
	assert_true(strlen(why.message) > 10);
}

/* Every pair of roles as the witness's roles (a pair of the same role is
 * that role alone), for a giver of each role: only a competent other, a
 * pharmacist or a nurse may witness. */
static void
test_witness_matrix(void **state)
{
	static const struct {
		unsigned	 role;
		const char	*name;
		int		 may_witness;
	} roles[] = {
		{ ROLE_NURSE, "nurse", 1 },
		{ ROLE_COMPETENT, "competent", 1 },
		{ ROLE_PRESCRIBER, "prescriber", 0 },
		{ ROLE_PHARMACIST, "pharmacist", 1 },
		{ ROLE_RECEPTION, "reception", 0 },
		{ ROLE_CARAT, "carat", 0 },
		{ ROLE_MANAGER, "manager", 0 },
		{ ROLE_ADMIN, "admin", 0 },
	};
	const size_t	n = sizeof roles / sizeof roles[0];
	struct staff	g, w;
	int64_t		now = instant("2026-03-10T08:05:00Z");
	size_t		gi, a, b;
	int		passed = 0, refused_n = 0, may;

	(void)state;
	for (gi = 0; gi < n; gi++) {
		person(&g, GIVER_ID, ROLE_NURSE | roles[gi].role);
		for (a = 0; a < n; a++)
			for (b = a; b < n; b++) {
				person(&w, WITNESS_ID,
				    roles[a].role | roles[b].role);
				may = roles[a].may_witness ||
				    roles[b].may_witness;
				if (may != (dose_check_witness(&g, &w, now,
				    &(struct refusal){ 0 }) == 0))
					fail_msg("giver %s, witness %s+%s: "
					    "expected %s", roles[gi].name,
					    roles[a].name, roles[b].name,
					    may ? "accepted" : "refused");
				witness(&g, &w, now, may ? NULL :
				    "witness_not_competent");
				if (may)
					passed++;
				else
					refused_n++;
			}
	}
	/* 36 role sets per giver: 5 pairs among the 5 who may not witness
	 * are 15 sets refused, 21 accepted. */
	assert_int_equal(refused_n, 8 * 15);
	assert_int_equal(passed, 8 * 21);

	/* No roles at all; every role at once. */
	person(&g, GIVER_ID, ROLE_NURSE);
	person(&w, WITNESS_ID, 0);
	witness(&g, &w, now, "witness_not_competent");
	person(&w, WITNESS_ID, 0xff);
	witness(&g, &w, now, NULL);
	person(&w, WITNESS_ID, ROLE_MANAGER | ROLE_ADMIN | ROLE_PRESCRIBER |
	    ROLE_RECEPTION | ROLE_CARAT);
	witness(&g, &w, now, "witness_not_competent");
}

/* Who the witness is: not the giver, active, not locked out; each with
 * its own code, and in that order. */
static void
test_witness_person(void **state)
{
	struct staff	g, w;
	int64_t		now = instant("2026-03-10T08:05:00Z");

	(void)state;
	person(&g, GIVER_ID, ROLE_NURSE | ROLE_COMPETENT);

	/* The same person giving and witnessing. */
	witness(&g, &g, now, "witness_not_distinct");
	person(&w, GIVER_ID, ROLE_COMPETENT);		/* same id, a copy */
	witness(&g, &w, now, "witness_not_distinct");
	w.active = 0;
	w.lock.locked_until = now + MS_PER_HOUR;
	witness(&g, &w, now, "witness_not_distinct");	/* first */

	/* Not active. */
	person(&w, WITNESS_ID, ROLE_COMPETENT);
	w.active = 0;
	witness(&g, &w, now, "witness_inactive");
	w.lock.locked_until = now + MS_PER_HOUR;
	w.roles = ROLE_RECEPTION;
	witness(&g, &w, now, "witness_inactive");	/* before locked */

	/* Locked after wrong PINs, to the millisecond. */
	person(&w, WITNESS_ID, ROLE_COMPETENT);
	w.lock.failures = 5;
	w.lock.locked_until = now + 15 * MS_PER_MINUTE;
	witness(&g, &w, now, "witness_locked");
	w.lock.locked_until = now + 1;
	witness(&g, &w, now, "witness_locked");
	w.roles = ROLE_CARAT;
	witness(&g, &w, now, "witness_locked");		/* before roles */
	w.roles = ROLE_COMPETENT;
	w.lock.locked_until = now;			/* expires now */
	witness(&g, &w, now, NULL);
	w.lock.locked_until = now - 1;			/* expired */
	witness(&g, &w, now, NULL);
	w.lock.locked_until = now - MS_PER_DAY;
	witness(&g, &w, now, NULL);
	w.lock.locked_until = 0;			/* failures, no lock */
	w.lock.failures = 4;
	witness(&g, &w, now, NULL);

	/* The giver's own lock is not the witness's. */
	g.lock.locked_until = now + MS_PER_HOUR;
	witness(&g, &w, now, NULL);
}

/* A patient away now (issue 22, defect 1): no dose of theirs is signed
 * off, whatever its own state and whatever else stands in its way, not
 * even one withheld earlier in a window still open, which could
 * otherwise be given at court.  Here, the same dose may be given. */
static void
test_patient_out(void **state)
{
	const int	out = DOSE_PATIENT_OUT;
	struct dose	d;
	size_t		i;

	(void)state;
	assert_int_equal(out & (DOSE_RX_HELD | DOSE_PATIENT_AWAY |
	    DOSE_RX_STOPPED), 0);
	open_dose(&d, "2027-04-07T06:00:00Z");
	for (i = 0; i < sizeof all_states / sizeof all_states[0]; i++) {
		d.state = all_states[i];
		signable(&d, out, d.due_at, "patient_away", 1);
		signable(&d, out | DOSE_RX_HELD, d.due_at, "patient_away", 1);
		givable_at(&d, out, d.due_at, (struct want){ "patient_away", 1 }, "out");
		givable_at(&d, out | DOSE_PATIENT_AWAY | DOSE_RX_HELD,
		    d.window_end - 1, (struct want){ "patient_away", 1 }, "out, held");
	}
	d.state = DOSE_WITHHELD;
	givable_at(&d, 0, d.due_at + 70 * MS_PER_MINUTE,
	    (struct want){ NULL, 0 }, "back");
	givable_at(&d, out, d.due_at + 70 * MS_PER_MINUTE,
	    (struct want){ "patient_away", 1 }, "at court");
}

/* hold: one event on a run and hold, checking what the rule says to do. */
static struct dose_hold_change
hold(struct dose_hold *h, enum dose_hold_event e, int64_t now, int hold_after)
{
	struct dose_hold_change	c = dose_hold_run(h, e, now, hold_after);

	assert_int_equal(c.changed, c.hold.run != h->run ||
	    c.hold.held_at != h->held_at);
	*h = c.hold;
	return c;
}

/* The rule itself, call by call: the Nth dose not taken holds (and is
 * the only one to tell anyone), a given dose restarts the run but not
 * the hold, a review lifts both. */
static void
test_hold_run(void **state)
{
	const int64_t		t = instant("2027-03-28T00:00:00Z");
	struct dose_hold	h = { 0, 0 };

	(void)state;
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t, 3).held_now, 0);
	assert_int_equal(h.run, 1);
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t + 1, 3).held_now, 0);
	assert_int_equal(h.run, 2);
	assert_int_equal(h.held_at, 0);
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t + 2, 3).held_now, 1);
	assert_int_equal(h.run, 3);
	assert_true(h.held_at == t + 2);	/* when the third closed */
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t + 3, 3).held_now, 0);
	assert_int_equal(h.run, 4);
	assert_true(h.held_at == t + 2);	/* held once, not again */
	assert_int_equal(hold(&h, DOSE_HOLD_TAKEN, t + 4, 3).held_now, 0);
	assert_int_equal(h.run, 0);
	assert_true(h.held_at == t + 2);	/* till a review */
	assert_int_equal(hold(&h, DOSE_HOLD_TAKEN, t + 5, 3).changed, 0);
	assert_int_equal(hold(&h, DOSE_HOLD_REVIEWED, t + 6, 3).changed, 1);
	assert_int_equal(h.run, 0);
	assert_int_equal(h.held_at, 0);
	assert_int_equal(hold(&h, DOSE_HOLD_REVIEWED, t + 7, 3).changed, 0);

	/* The first dose holds at hold_after 1; held already, none does. */
	h = (struct dose_hold){ 0, 0 };
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t, 1).held_now, 1);
	h = (struct dose_hold){ 0, t };
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t + 1, 1).held_now, 0);
	assert_int_equal(h.run, 1);
	assert_true(h.held_at == t);
	/* A run already past the threshold (lowered from 5 to 3 in the
	 * config mid-run) holds at the next dose not taken. */
	h = (struct dose_hold){ 4, 0 };
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t, 3).held_now, 1);
	assert_int_equal(h.run, 5);
	h = (struct dose_hold){ 3, 0 };
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t, 5).held_now, 0);
	assert_int_equal(hold(&h, DOSE_HOLD_NOT_TAKEN, t, 5).held_now, 1);
}

/* The run a new prescription carries over from the last one stopped: all
 * of it within 72 hours to the millisecond, none after, none from a held
 * one, none when there was none; across the spring change 72 hours are
 * still 72 hours. */
static void
test_hold_carried(void **state)
{
	const int64_t		stop = instant("2027-03-27T09:00:00Z");
	const struct dose_hold	two = { 2, 0 }, held = { 3, 1 };

	(void)state;
	assert_int_equal(dose_hold_carried(NULL, 0, stop), 0);
	assert_int_equal(dose_hold_carried(&two, stop, stop), 2);
	assert_int_equal(dose_hold_carried(&two, stop,
	    stop + DOSE_RUN_CARRIED_MS), 2);
	assert_int_equal(dose_hold_carried(&two, stop,
	    instant("2027-03-30T09:00:00Z")), 2);	/* 10:00 BST */
	assert_int_equal(dose_hold_carried(&two, stop,
	    stop + DOSE_RUN_CARRIED_MS + 1), 0);
	assert_int_equal(dose_hold_carried(&held, stop, stop + 1), 0);
}

/* Away for a dose: gone by its due time and not back before its window
 * closes, to the millisecond; no trip, or back in time, is here. */
static void
test_patient_away(void **state)
{
	struct dose		d;
	struct dose_trip	t = { 0, 0 };

	(void)state;
	open_dose(&d, "2027-04-07T06:00:00Z");
	assert_int_equal(dose_patient_away(&t, d.due_at, d.window_end), 0);
	t.departed_at = d.due_at;
	assert_int_equal(dose_patient_away(&t, d.due_at, d.window_end), 1);
	t.departed_at = d.due_at + 1;		/* left after it fell due */
	assert_int_equal(dose_patient_away(&t, d.due_at, d.window_end), 0);
	t.departed_at = d.due_at - MS_PER_HOUR;
	t.returned_at = d.window_end;		/* back as it closes */
	assert_int_equal(dose_patient_away(&t, d.due_at, d.window_end), 0);
	t.returned_at = d.window_end + 1;
	assert_int_equal(dose_patient_away(&t, d.due_at, d.window_end), 1);
	/* Away now: departed, not back. */
	t.returned_at = 0;
	assert_int_equal(dose_patient_away(&t, d.window_end, d.window_end), 1);
	t.returned_at = d.due_at;
	assert_int_equal(dose_patient_away(&t, d.window_end, d.window_end), 0);
}

/* close: what dose_close_state() says, as "state record count ward
 * managers". */
static void
close_is(const struct dose *d, int standing, enum dose_close_cause cause,
    int64_t now, enum dose_state state, const char *want)
{
	struct dose_close	c = dose_close_state(d, standing, cause, now);
	char			got[16];

	snprintf(got, sizeof got, "%d %d %d %d", c.record, c.count,
	    c.tell_ward, c.tell_managers);
	if (c.state != state || strcmp(got, want) != 0)
		fail_msg("%s standing %d cause %d: %s \"%s\", expected %s "
		    "\"%s\"", dose_state_name(d->state), standing, cause,
		    dose_state_name(c.state), got, dose_state_name(state), want);
}

/* The state a dose closes to, and what that sets off, for every state
 * and standing, at the end of its window and at a departure. */
static void
test_close_state(void **state)
{
	const enum dose_close_cause	W = DOSE_CLOSE_WINDOW;
	const enum dose_close_cause	D = DOSE_CLOSE_DEPARTURE;
	struct dose			d;
	int64_t				in, after;
	size_t				i;

	(void)state;
	open_dose(&d, "2027-04-07T06:00:00Z");
	in = d.due_at + 40 * MS_PER_MINUTE;
	after = d.window_end;
	/* Its window closes: missed (the ward told), away, held. */
	close_is(&d, 0, W, after, DOSE_MISSED, "1 1 1 0");
	close_is(&d, DOSE_PATIENT_AWAY, W, after, DOSE_AWAY, "1 1 0 0");
	close_is(&d, DOSE_RX_HELD, W, after, DOSE_HELD, "1 0 0 0");
	close_is(&d, DOSE_RX_HELD | DOSE_PATIENT_AWAY, W, after, DOSE_HELD,
	    "1 0 0 0");
	close_is(&d, DOSE_RX_STOPPED, W, after, DOSE_MISSED, "1 0 1 0");
	close_is(&d, DOSE_RX_STOPPED | DOSE_PATIENT_AWAY, W, after, DOSE_AWAY,
	    "1 0 0 0");
	d.state = DOSE_DUE;
	close_is(&d, 0, W, after, DOSE_MISSED, "1 1 1 0");
	/* The patient leaves: the managers are told instead of the ward. */
	close_is(&d, 0, D, in, DOSE_MISSED, "1 1 0 1");
	close_is(&d, DOSE_PATIENT_AWAY, D, in, DOSE_AWAY, "1 1 0 0");
	close_is(&d, DOSE_RX_HELD, D, in, DOSE_HELD, "1 0 0 1");
	close_is(&d, DOSE_RX_STOPPED, D, in, DOSE_MISSED, "1 0 0 1");
	/* Refused or withheld in a window still open: it could have been
	 * given, and is missed (counted once already); its window closed,
	 * it stays as recorded.  Neither changes at a window's end. */
	d.state = DOSE_WITHHELD;
	close_is(&d, 0, D, in, DOSE_MISSED, "1 0 0 1");
	close_is(&d, 0, D, after - 1, DOSE_MISSED, "1 0 0 1");
	close_is(&d, 0, D, after, DOSE_WITHHELD, "0 0 0 1");
	close_is(&d, 0, W, after, DOSE_WITHHELD, "0 0 0 0");
	d.state = DOSE_REFUSED;
	close_is(&d, DOSE_RX_HELD, D, in, DOSE_MISSED, "1 0 0 1");
	close_is(&d, 0, D, after, DOSE_REFUSED, "0 0 0 1");
	/* Midnight: a dose due at 00:30 (its window open from 23:30) when the
	 * escort leaves at 23:45 the evening before: the patient was gone by
	 * its due time, so it is away, counted, and no one is told; leaving
	 * at 00:30 itself, the same; at 00:31, it is missed. */
	{
		struct dose_trip	t = { 0, 0 };
		int			away;

		open_dose(&d, "2027-01-14T00:30:00Z");
		t.departed_at = instant("2027-01-13T23:45:00Z");
		away = dose_patient_away(&t, d.due_at, d.window_end) ?
		    DOSE_PATIENT_AWAY : 0;
		close_is(&d, away, D, t.departed_at, DOSE_AWAY, "1 1 0 0");
		t.departed_at = d.due_at;
		away = dose_patient_away(&t, d.due_at, d.window_end) ?
		    DOSE_PATIENT_AWAY : 0;
		close_is(&d, away, D, t.departed_at, DOSE_AWAY, "1 1 0 0");
		t.departed_at = d.due_at + MS_PER_MINUTE;
		away = dose_patient_away(&t, d.due_at, d.window_end) ?
		    DOSE_PATIENT_AWAY : 0;
		close_is(&d, away, D, t.departed_at, DOSE_MISSED, "1 1 0 1");
		open_dose(&d, "2027-04-07T06:00:00Z");
	}

	/* Other closed doses are left as they are: a given one told to no
	 * one, one away to no one, the rest to the managers. */
	for (i = 0; i < sizeof all_states / sizeof all_states[0]; i++) {
		d.state = all_states[i];
		if (!dose_is_closed(d.state) || d.state == DOSE_REFUSED ||
		    d.state == DOSE_WITHHELD)
			continue;
		close_is(&d, 0, W, after, d.state, "0 0 0 0");
		close_is(&d, 0, D, after, d.state, d.state == DOSE_GIVEN ||
		    d.state == DOSE_AWAY ? "0 0 0 0" : "0 0 0 1");
	}
}

/* What the caller does with each closed dose, in order, as the service
 * does: dose_hold_run() on each, a review on '|'. */
struct course {
	struct dose_hold	h;
	int			run, held, holds;
	int			hold_at[8];	/* which doses held it */
};

static void
close_dose(struct course *c, int index, enum dose_state s, int hold_after)
{
	struct dose_hold_change	ch;

	assert_true(dose_is_closed(s));
	assert_true(s == DOSE_GIVEN || dose_not_taken(s));
	ch = hold(&c->h, s == DOSE_GIVEN ? DOSE_HOLD_TAKEN :
	    DOSE_HOLD_NOT_TAKEN, 1000 + index, hold_after);
	if (ch.held_now) {
		assert_true(c->holds < 8);
		c->hold_at[c->holds++] = index;
	}
	c->run = c->h.run;
	c->held = c->h.held_at != 0;
}

static void
run_sequence(const char *seq, int hold_after, struct course *c)
{
	static const struct {
		char		letter;
		enum dose_state	state;
	} code[] = {
		{ 'G', DOSE_GIVEN }, { 'M', DOSE_MISSED },
		{ 'R', DOSE_REFUSED }, { 'W', DOSE_WITHHELD },
		{ 'A', DOSE_AWAY },
	};
	size_t	i, k;
	int	index = 0;

	memset(c, 0, sizeof *c);
	for (i = 0; seq[i] != '\0'; i++) {
		if (seq[i] == '|') {		/* a prescriber's review */
			hold(&c->h, DOSE_HOLD_REVIEWED, 0, hold_after);
			c->held = 0;
			c->run = 0;
			continue;
		}
		for (k = 0; k < sizeof code / sizeof code[0]; k++)
			if (code[k].letter == seq[i])
				break;
		assert_true(k < sizeof code / sizeof code[0]);
		close_dose(c, index++, code[k].state, hold_after);
	}
}

/* Sequences of closed doses, one letter each: Given, Missed, Refused,
 * Withheld, Away; '|' is a review that lifts the hold. */
static void
test_hold_sequences(void **state)
{
	static const struct {
		const char	*seq;
		int		 hold_after, run, held, holds;
		int		 hold_at[3];
	} cases[] = {
		{ "MMM", 3, 3, 1, 1, { 2 } },
		{ "MM", 3, 2, 0, 0, { 0 } },
		{ "RWA", 3, 3, 1, 1, { 2 } },	/* any reason counts */
		{ "AAA", 3, 3, 1, 1, { 2 } },	/* away counts too */
		{ "WRM", 3, 3, 1, 1, { 2 } },
		{ "MMG", 3, 0, 0, 0, { 0 } },
		{ "MMGMM", 3, 2, 0, 0, { 0 } },	/* given resets */
		{ "MMGMMM", 3, 3, 1, 1, { 5 } },
		{ "GMGMGMGMG", 3, 0, 0, 0, { 0 } },
		{ "MMMMM", 3, 5, 1, 1, { 2 } },	/* held once, not again */
		{ "MMMMMMMMM", 3, 9, 1, 1, { 2 } },
		{ "MMMGM", 3, 1, 1, 1, { 2 } },	/* still held till review */
		{ "MMM|MM", 3, 2, 0, 1, { 2 } },
		{ "MMM|MMM", 3, 3, 1, 2, { 2, 5 } },
		{ "MMM|GRWA", 3, 3, 1, 2, { 2, 6 } },
		{ "M", 1, 1, 1, 1, { 0 } },
		{ "GM", 1, 1, 1, 1, { 1 } },
		{ "MMMM", 5, 4, 0, 0, { 0 } },
		{ "MMMMM", 5, 5, 1, 1, { 4 } },
		{ "", 3, 0, 0, 0, { 0 } },
		{ "GGG", 3, 0, 0, 0, { 0 } },
	};
	struct course	c;
	size_t		i;
	int		h;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_sequence(cases[i].seq, cases[i].hold_after, &c);
		if (c.run != cases[i].run || c.held != cases[i].held ||
		    c.holds != cases[i].holds)
			fail_msg("\"%s\" (hold after %d): run %d held %d holds "
			    "%d, expected %d %d %d", cases[i].seq,
			    cases[i].hold_after, c.run, c.held, c.holds,
			    cases[i].run, cases[i].held, cases[i].holds);
		for (h = 0; h < c.holds; h++)
			if (c.hold_at[h] != cases[i].hold_at[h])
				fail_msg("\"%s\": hold %d at dose %d, expected "
				    "%d", cases[i].seq, h, c.hold_at[h],
				    cases[i].hold_at[h]);
	}
}

/* Four days of 08:00 and 20:00 rounds over the spring change, laid out by
 * prescription_doses and placed with the policy's window.  The nurse
 * gives some, the patient refuses one, one falls at court; the rest are
 * left to the window's end and become missed.  After the third not taken
 * in a row the prescription is held: every dose after shows held and
 * cannot be signed, and no further hold is raised. */
#define ROUND_DOSES	8

struct round_doses {
	struct dose	d[ROUND_DOSES];
	int		n;
};

static void
place_round(const struct prescription_dose *pd, void *arg)
{
	struct round_doses	*r = arg;

	assert_true(r->n < ROUND_DOSES);
	memset(&r->d[r->n], 0, sizeof r->d[r->n]);
	r->d[r->n].state = DOSE_SCHEDULED;
	r->d[r->n].amount = pd->dose;
	dose_place(&r->d[r->n], pd->due_at, &policy);
	r->n++;
}

static void
test_hold_over_days(void **state)
{
	/* What happens to each dose: G given in its window, R refused, A
	 * away, '-' nothing (missed when the window closes). */
	static const char	plan[ROUND_DOSES + 1] = "GRA-G---";
	static const char *const due[ROUND_DOSES] = {
		"2026-03-27T08:00:00Z", "2026-03-27T20:00:00Z",
		"2026-03-28T08:00:00Z", "2026-03-28T20:00:00Z",
		"2026-03-29T07:00:00Z", "2026-03-29T19:00:00Z",
		"2026-03-30T07:00:00Z", "2026-03-30T19:00:00Z",
	};
	/* The run after each dose closes, and whether it is then held. */
	static const int	run_after[ROUND_DOSES] = {
		0, 1, 2, 3, 3, 4, 5, 6
	}, held_after[ROUND_DOSES] = {
		0, 0, 0, 1, 1, 1, 1, 1
	};
	struct prescription	p;
	struct round_doses	r;
	struct course		c;
	enum dose_state		seen;
	int			i;

	(void)state;
	memset(&p, 0, sizeof p);
	p.regimen = REGIMEN_MAINTENANCE;
	p.dose = 60000;
	p.times[0] = 8 * 60;
	p.times[1] = 20 * 60;
	p.ntimes = 2;
	p.every_days = 1;
	p.start = (struct civil_date){ 2026, 3, 27 };
	memset(&r, 0, sizeof r);
	assert_int_equal(prescription_doses(&p,
	    instant("2026-03-27T00:00:00Z"), instant("2026-03-31T00:00:00Z"),
	    place_round, &r), ROUND_DOSES);
	memset(&c, 0, sizeof c);
	for (i = 0; i < ROUND_DOSES; i++) {
		struct dose	*d = &r.d[i];
		struct refusal	 why;

		assert_true(d->due_at == instant(due[i]));
		assert_int_equal(dose_state_at(d, c.held, d->window_start - 1),
		    c.held ? DOSE_HELD : DOSE_SCHEDULED);
		if (plan[i] == 'G' || plan[i] == 'R') {
			if (c.held) {
				assert_int_equal(dose_check_signable(d, 1,
				    d->due_at, &why), -1);
				assert_string_equal(why.code,
				    "held_for_review");
				/* Never signed, nothing recorded. */
				assert_int_equal(c.run, run_after[i]);
				continue;
			} else {
				assert_int_equal(dose_check_signable(d, 0,
				    d->due_at, &why), 0);
				d->state = plan[i] == 'G' ? DOSE_GIVEN :
				    DOSE_REFUSED;
				d->recorded_at = d->due_at;
				seen = d->state;
			}
		} else if (plan[i] == 'A') {
			d->state = DOSE_AWAY;
			seen = DOSE_AWAY;
		} else {
			seen = dose_state_at(d, 0, d->window_end);
			assert_int_equal(seen, DOSE_MISSED);
			assert_int_equal(dose_state_at(d, c.held,
			    d->window_end), c.held ? DOSE_HELD : DOSE_MISSED);
		}
		close_dose(&c, i, seen, policy.hold_after);
		if (c.run != run_after[i] || c.held != held_after[i])
			fail_msg("dose %d (%s, '%c'): run %d held %d, expected "
			    "%d %d", i, due[i], plan[i], c.run, c.held,
			    run_after[i], held_after[i]);
	}
	assert_int_equal(c.holds, 1);
	assert_int_equal(c.hold_at[0], 3);	/* R, A, missed: Saturday 20:00 */
	/* The given dose on Sunday morning was refused as held; it stays
	 * unsigned. */
	assert_int_equal(r.d[4].state, DOSE_SCHEDULED);
	assert_int_equal(dose_state_at(&r.d[4], 1, r.d[4].due_at), DOSE_HELD);
}

/* A dose of a stopped prescription is never signed: a state conflict
 * with its own code; one standing passes. */
static void
test_check_prescription(void **state)
{
	struct refusal	why = { "unset", "unset", 7 };

	(void)state;
	assert_int_equal(dose_check_prescription(0, &why), 0);
	assert_string_equal(why.code, "unset");
	assert_int_equal(dose_check_prescription(1, &why), -1);
	assert_string_equal(why.code, "prescription_stopped");
	assert_int_equal(why.conflict, 1);
}

/* Only a given dose is entered in error, and only once. */
static void
test_check_error(void **state)
{
	struct dose	d;
	struct refusal	why;
	size_t		i;

	(void)state;
	open_dose(&d, "2027-01-20T08:00:00Z");
	for (i = 0; i < sizeof all_states / sizeof all_states[0]; i++) {
		d.state = all_states[i];
		memset(&why, 0, sizeof why);
		if (d.state == DOSE_GIVEN) {
			assert_int_equal(dose_check_error(&d, 0, &why), 0);
			continue;
		}
		assert_int_equal(dose_check_error(&d, 0, &why), -1);
		assert_string_equal(why.code, "dose_not_given");
		assert_int_equal(why.conflict, 1);
	}
	d.state = DOSE_GIVEN;
	assert_int_equal(dose_check_error(&d, 1, &why), -1);
	assert_string_equal(why.code, "already_entered_in_error");
}

/* The run once a given dose is entered in error (now missed): the doses
 * not taken back to the last given, held ones neither counting nor
 * breaking it.  Two missed before the third dose, given in error, holds
 * at hold_after 3; a hold stays; a given one after it keeps the run at
 * what followed it. */
static void
test_hold_recount(void **state)
{
	static const enum dose_state three[] = {
		DOSE_MISSED, DOSE_REFUSED, DOSE_AWAY, DOSE_GIVEN, DOSE_MISSED,
	};
	static const enum dose_state later_given[] = {
		DOSE_MISSED, DOSE_GIVEN, DOSE_MISSED, DOSE_MISSED,
	};
	static const enum dose_state held_between[] = {
		DOSE_MISSED, DOSE_HELD, DOSE_WITHHELD, DOSE_GIVEN,
	};
	struct dose_hold	 prev = { 0, 0 };
	struct dose_hold_change	 c;
	int64_t			 now = instant("2027-03-28T01:30:00Z");

	(void)state;
	c = dose_hold_recount(&prev, three, 5, now, 3);
	assert_int_equal(c.hold.run, 3);
	assert_int_equal(c.hold.held_at, now);
	assert_true(c.held_now);
	assert_true(c.changed);
	c = dose_hold_recount(&prev, three, 5, now, 4);
	assert_int_equal(c.hold.run, 3);
	assert_int_equal(c.hold.held_at, 0);
	assert_false(c.held_now);
	c = dose_hold_recount(&prev, three, 2, now, 3);
	assert_int_equal(c.hold.run, 2);
	assert_false(c.held_now);
	c = dose_hold_recount(&prev, later_given, 4, now, 3);
	assert_int_equal(c.hold.run, 1);
	assert_true(c.changed);
	c = dose_hold_recount(&prev, held_between, 4, now, 3);
	assert_int_equal(c.hold.run, 2);
	prev.run = 2;
	c = dose_hold_recount(&prev, held_between, 4, now, 3);
	assert_false(c.changed);
	prev.held_at = now - 1;
	c = dose_hold_recount(&prev, three, 5, now, 3);
	assert_int_equal(c.hold.held_at, now - 1);
	assert_false(c.held_now);
	c = dose_hold_recount(&prev, NULL, 0, now, 3);
	assert_int_equal(c.hold.run, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_place),
		cmocka_unit_test(test_closed_and_not_taken),
		cmocka_unit_test(test_state_at),
		cmocka_unit_test(test_signable),
		cmocka_unit_test(test_givable),
		cmocka_unit_test(test_standing_away),
		cmocka_unit_test(test_check_prescription),
		cmocka_unit_test(test_witness_matrix),
		cmocka_unit_test(test_witness_person),
		cmocka_unit_test(test_patient_out),
		cmocka_unit_test(test_hold_run),
		cmocka_unit_test(test_hold_carried),
		cmocka_unit_test(test_patient_away),
		cmocka_unit_test(test_close_state),
		cmocka_unit_test(test_hold_sequences),
		cmocka_unit_test(test_hold_over_days),
		cmocka_unit_test(test_check_error),
		cmocka_unit_test(test_hold_recount),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
