/* Unit tests for staff_change.c: two people for access (issue 16).  Who
 * may ask for and approve a change of a person's guarded roles, PIN or
 * activity, and what then takes effect, at every edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "roles.h"
#include "staff_change.h"

#define ANN	"3f1c2a9e-8d4b-4c6e-9a7f-0b1c2d3e4f50"	/* admin */
#define ANN_UP	"3F1C2A9E-8D4B-4C6E-9A7F-0B1C2D3E4F50"
#define BEN	"7a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"	/* admin */
#define MO	"9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"	/* manager */
#define CARL	"c0ffee00-1234-4abc-8def-0123456789ab"	/* the subject */
#define CARL_UP	"C0FFEE00-1234-4ABC-8DEF-0123456789AB"

#define T0	1800000000000LL	/* when the change was asked for */

/* A person with an id, roles and whether they are active. */
static struct staff
person(const char *id, unsigned roles, int active)
{
	struct staff	s;

	memset(&s, 0, sizeof s);
	strcpy(s.id, id);
	strcpy(s.username, "someone");
	strcpy(s.display_name, "Some One");
	strcpy(s.pin_hash, "$y$old");
	s.roles = roles;
	s.active = active;
	return s;
}

/* A pending change of carl's, asked for by ann at T0. */
static struct staff_change
pending(enum staff_change_kind kind)
{
	struct staff_change	c;

	staff_change_new(&c, kind, CARL, ANN, T0);
	if (kind == STAFF_CHANGE_GRANT)
		c.roles = ROLE_COMPETENT;
	else
		strcpy(c.pin_hash, "$y$new");
	return c;
}

/* The plan of an ask, asked by actor of carl as he is (before). */
static int
plan(const char *actor, const struct staff *before, unsigned pending_grant,
    struct staff_ask ask, struct staff_plan *out, struct refusal *why)
{
	why->code = "unset";
	return staff_change_plan(before, pending_grant, actor, &ask, out, why);
}

/* A new account: roles that neither sign nor approve at once; a guarded
 * one waits; its first PIN is in effect at once (its grant waits
 * instead). */
static void
test_plan_create(void **state)
{
	struct staff		carl = person(CARL, 0, 1);
	struct staff_plan	p;
	struct refusal		why;

	(void)state;
	assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 1, 1,
	    ROLE_COMPETENT | ROLE_RECEPTION, 1, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_RECEPTION);
	assert_int_equal(p.grant, ROLE_COMPETENT);
	assert_int_equal(p.pin_now, 1);
	assert_int_equal(p.reset, 0);
	assert_int_equal(p.supersede_grant, 0);
	assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 1, 1,
	    ROLE_NURSE | ROLE_COMPETENT | ROLE_PHARMACIST, 1, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, 0);
	assert_int_equal(p.grant, STAFF_CLINICAL_ROLES);
	/* An admin or a manager waits too: one made at once by an admin
	 * would approve that admin's own grants (the red team's path A). */
	assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 1, 1,
	    ROLE_ADMIN, 1, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, 0);
	assert_int_equal(p.grant, ROLE_ADMIN);
	assert_int_equal(p.pin_now, 1);
	assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 1, 1,
	    ROLE_MANAGER | ROLE_PRESCRIBER, 1, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_PRESCRIBER);
	assert_int_equal(p.grant, ROLE_MANAGER);
}

/* Each role alone, on a new account: it waits if and only if it signs
 * controlled drugs or approves access. */
static void
test_plan_each_role(void **state)
{
	struct staff		carl = person(CARL, 0, 1);
	struct staff_plan	p;
	struct refusal		why;
	const unsigned		waits = ROLE_NURSE | ROLE_COMPETENT |
	    ROLE_PHARMACIST | ROLE_MANAGER | ROLE_ADMIN;
	unsigned		r;

	(void)state;
	for (r = 1; r <= ROLE_ADMIN; r <<= 1) {
		assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 1, 1,
		    r, 1, 0 }, &p, &why), 0);
		assert_int_equal(p.grant, r & waits);
		assert_int_equal(p.roles_now, r & ~waits);
	}
	assert_int_equal(STAFF_GUARDED_ROLES, waits);
}

/* PATCH of roles: a removal and a role that is not guarded at once, a
 * guarded role already held kept, a new one waiting; any roles ask
 * supersedes the pending grant. */
static void
test_plan_roles(void **state)
{
	struct staff		carl = person(CARL, ROLE_NURSE | ROLE_CARAT, 1);
	struct staff_plan	p;
	struct refusal		why;

	(void)state;
	assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 0, 1,
	    ROLE_NURSE | ROLE_COMPETENT | ROLE_PRESCRIBER, 0, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_NURSE | ROLE_PRESCRIBER);
	assert_int_equal(p.grant, ROLE_COMPETENT);
	assert_int_equal(p.supersede_grant, 1);
	assert_int_equal(p.supersede_reset, 0);
	assert_int_equal(p.pin_now | p.reset, 0);
	/* Giving a clinical role up: at once, nothing waits. */
	assert_int_equal(plan(ANN, &carl, ROLE_PHARMACIST, (struct staff_ask){
	    0, 1, ROLE_CARAT, 0, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_CARAT);
	assert_int_equal(p.grant, 0);
	assert_int_equal(p.supersede_grant, 1);
	/* Admin or manager given to someone who works here: it waits. */
	assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 0, 1,
	    ROLE_NURSE | ROLE_MANAGER | ROLE_ADMIN, 0, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_NURSE);
	assert_int_equal(p.grant, ROLE_MANAGER | ROLE_ADMIN);
	/* An admin kept while the nurse's role is given up: nothing waits. */
	carl.roles = ROLE_ADMIN | ROLE_NURSE;
	assert_int_equal(plan(ANN, &carl, 0, (struct staff_ask){ 0, 1,
	    ROLE_ADMIN, 0, 0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_ADMIN);
	assert_int_equal(p.grant, 0);
}

/* PATCH of a PIN: a reset waits for someone who holds a guarded role, or
 * waits for one (a pending grant, or one this PATCH asks for); at once
 * for anyone else. */
static void
test_plan_reset(void **state)
{
	struct staff		nurse = person(CARL, ROLE_NURSE, 1);
	struct staff		clerk = person(CARL, ROLE_RECEPTION, 1);
	struct staff_plan	p;
	struct refusal		why;
	const struct staff_ask	pin = { 0, 0, 0, 1, 0 };

	(void)state;
	assert_int_equal(plan(ANN, &nurse, 0, pin, &p, &why), 0);
	assert_int_equal(p.reset, 1);
	assert_int_equal(p.pin_now, 0);
	assert_int_equal(p.supersede_reset, 1);
	assert_int_equal(plan(ANN, &clerk, 0, pin, &p, &why), 0);
	assert_int_equal(p.reset, 0);
	assert_int_equal(p.pin_now, 1);
	assert_int_equal(plan(ANN, &clerk, ROLE_PHARMACIST, pin, &p, &why),
	    0);
	assert_int_equal(p.reset, 1);
	assert_int_equal(plan(ANN, &clerk, 0, (struct staff_ask){ 0, 1,
	    ROLE_RECEPTION | ROLE_NURSE, 1, 0 }, &p, &why), 0);
	assert_int_equal(p.reset, 1);
	assert_int_equal(p.grant, ROLE_NURSE);
	/* The nurse's role given up in the same PATCH: the PIN at once. */
	assert_int_equal(plan(ANN, &nurse, 0, (struct staff_ask){ 0, 1,
	    ROLE_RECEPTION, 1, 0 }, &p, &why), 0);
	assert_int_equal(p.reset, 0);
	assert_int_equal(p.pin_now, 1);
}

/* A PIN reset of an admin or a manager waits: one set at once is a second
 * decider for whoever set it (the red team's path B); so does one of
 * someone waiting for either. */
static void
test_plan_reset_decider(void **state)
{
	const struct staff	deciders[] = {
		person(MO, ROLE_MANAGER, 1),
		person(BEN, ROLE_ADMIN | ROLE_CARAT, 1),
		person(MO, ROLE_MANAGER, 0),	/* deactivated, still */
	};
	struct staff		clerk = person(CARL, ROLE_RECEPTION, 1);
	struct staff_plan	p;
	struct refusal		why;
	const struct staff_ask	pin = { 0, 0, 0, 1, 0 };
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof deciders / sizeof deciders[0]; i++) {
		assert_int_equal(plan(ANN, &deciders[i], 0, pin, &p, &why), 0);
		assert_int_equal(p.reset, 1);
		assert_int_equal(p.pin_now, 0);
	}
	assert_int_equal(plan(ANN, &clerk, ROLE_ADMIN, pin, &p, &why), 0);
	assert_int_equal(p.reset, 1);
	assert_int_equal(plan(ANN, &clerk, 0, (struct staff_ask){ 0, 1,
	    ROLE_RECEPTION | ROLE_MANAGER, 1, 0 }, &p, &why), 0);
	assert_int_equal(p.reset, 1);
	assert_int_equal(p.grant, ROLE_MANAGER);
}

/* An account made active again: the guarded roles it holds wait as a
 * grant (with one still pending for it), the rest at once; an account
 * with none, or one already active, waits for nothing. */
static void
test_plan_reactivate(void **state)
{
	struct staff		left = person(CARL, ROLE_NURSE | ROLE_CARAT, 0);
	struct staff		boss = person(BEN, ROLE_ADMIN, 0);
	struct staff		clerk = person(CARL, ROLE_RECEPTION, 0);
	struct staff_plan	p;
	struct refusal		why;
	const struct staff_ask	on = { 0, 0, 0, 0, 1 };

	(void)state;
	assert_int_equal(plan(ANN, &left, 0, on, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_CARAT);
	assert_int_equal(p.grant, ROLE_NURSE);
	assert_int_equal(p.supersede_grant, 1);
	assert_int_equal(plan(ANN, &boss, ROLE_COMPETENT, on, &p, &why), 0);
	assert_int_equal(p.roles_now, 0);
	assert_int_equal(p.grant, ROLE_ADMIN | ROLE_COMPETENT);
	/* With its roles changed in the same PATCH: those kept wait. */
	assert_int_equal(plan(ANN, &left, 0, (struct staff_ask){ 0, 1,
	    ROLE_NURSE | ROLE_MANAGER, 0, 1 }, &p, &why), 0);
	assert_int_equal(p.roles_now, 0);
	assert_int_equal(p.grant, ROLE_NURSE | ROLE_MANAGER);
	/* And a new PIN with it waits too. */
	assert_int_equal(plan(ANN, &left, 0, (struct staff_ask){ 0, 0, 0, 1,
	    1 }, &p, &why), 0);
	assert_int_equal(p.reset, 1);
	/* Nothing guarded: active at once, a pending grant left as it is. */
	assert_int_equal(plan(ANN, &clerk, ROLE_NURSE, on, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_RECEPTION);
	assert_int_equal(p.grant, 0);
	assert_int_equal(p.supersede_grant, 0);
	/* Already active, or made inactive: no grant. */
	left.active = 1;
	assert_int_equal(plan(ANN, &left, 0, on, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_NURSE | ROLE_CARAT);
	assert_int_equal(p.grant, 0);
	left.active = 0;
	assert_int_equal(plan(ANN, &left, 0, (struct staff_ask){ 0, 0, 0, 0,
	    0 }, &p, &why), 0);
	assert_int_equal(p.roles_now, ROLE_NURSE | ROLE_CARAT);
	assert_int_equal(p.grant, 0);
}

/* Nobody changes their own roles or PIN by PATCH, however their id is
 * spelt; their name alone is theirs to change. */
static void
test_plan_self(void **state)
{
	struct staff		ann = person(ANN, ROLE_ADMIN, 1);
	struct staff_plan	p;
	struct refusal		why;
	const char		*spellings[] = { ANN, ANN_UP };
	size_t			i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(plan(spellings[i], &ann, 0, (struct staff_ask){
		    0, 1, ROLE_ADMIN | ROLE_NURSE, 0, 0 }, &p, &why), -1);
		assert_string_equal(why.code, "own_roles");
		assert_int_equal(p.roles_now, ROLE_ADMIN);
		assert_int_equal(p.grant, 0);
		/* Even their own roles unchanged, or fewer. */
		assert_int_equal(plan(spellings[i], &ann, 0, (struct staff_ask){
		    0, 1, ROLE_ADMIN, 0, 0 }, &p, &why), -1);
		assert_string_equal(why.code, "own_roles");
		assert_int_equal(plan(spellings[i], &ann, 0, (struct staff_ask){
		    0, 0, 0, 1, 0 }, &p, &why), -1);
		assert_string_equal(why.code, "own_pin");
		assert_int_equal(plan(spellings[i], &ann, 0, (struct staff_ask){
		    0, 0, 0, 0, 0 }, &p, &why), 0);
	}
	/* Another admin may. */
	assert_int_equal(plan(BEN, &ann, 0, (struct staff_ask){ 0, 1,
	    ROLE_ADMIN | ROLE_NURSE, 0, 0 }, &p, &why), 0);
	assert_int_equal(p.grant, ROLE_NURSE);
	assert_int_equal(staff_same_person("", ""), 0);
	assert_int_equal(staff_same_person(CARL, CARL_UP), 1);
	assert_int_equal(staff_same_person(CARL, ANN), 0);
}

/* Decide c as decider; *forbidden says whether a refusal was a 403. */
static int
decide(const struct staff_change *c, const struct staff *subject,
    const struct staff *decider, int approve, int64_t now,
    struct staff_decision *d, struct refusal *why)
{
	why->code = "unset";
	return staff_change_decide(c, subject, decider, approve, now, d, why);
}

/* Nobody approves their own request, or a change of their own access,
 * under any spelling of their id; a decline by the asker withdraws it. */
static void
test_decide_self(void **state)
{
	struct staff_change	c = pending(STAFF_CHANGE_GRANT);
	struct staff		carl = person(CARL, 0, 1);
	struct staff		ann = person(ANN, ROLE_ADMIN, 1);
	struct staff		ann_up = person(ANN_UP, ROLE_ADMIN, 1);
	struct staff		carl_admin = person(CARL, ROLE_ADMIN, 1);
	struct staff		carl_up = person(CARL_UP, ROLE_MANAGER, 1);
	struct staff_decision	d;
	struct refusal		why;

	(void)state;
	assert_int_equal(decide(&c, &carl, &ann, 1, T0, &d, &why), -1);
	assert_string_equal(why.code, "own_request");
	assert_int_equal(d.forbidden, 1);
	assert_int_equal(decide(&c, &carl, &ann_up, 1, T0, &d, &why), -1);
	assert_string_equal(why.code, "own_request");
	strcpy(c.requested_by, ANN_UP);		/* stored in capitals */
	assert_int_equal(decide(&c, &carl, &ann, 1, T0, &d, &why), -1);
	assert_string_equal(why.code, "own_request");
	strcpy(c.requested_by, ANN);
	assert_int_equal(decide(&c, &carl_admin, &carl_admin, 1, T0, &d,
	    &why), -1);
	assert_string_equal(why.code, "own_change");
	assert_int_equal(decide(&c, &carl, &carl_up, 1, T0, &d, &why), -1);
	assert_string_equal(why.code, "own_change");
	assert_int_equal(d.forbidden, 1);
	/* Nothing changes of the person refused. */
	assert_int_equal(d.after.roles, 0);
	/* The asker may withdraw it. */
	assert_int_equal(decide(&c, &carl, &ann, 0, T0, &d, &why), 0);
	assert_int_equal(d.state, STAFF_CHANGE_DECLINED);
	assert_int_equal(d.after.roles, 0);
}

/* Only an active admin or manager decides; a manager approves an admin's
 * grant, another admin too. */
static void
test_decide_who(void **state)
{
	struct staff_change	c = pending(STAFF_CHANGE_GRANT);
	struct staff		carl = person(CARL, ROLE_RECEPTION, 1);
	struct staff		mo = person(MO, ROLE_MANAGER, 1);
	struct staff		ben = person(BEN, ROLE_ADMIN, 1);
	struct staff		nurse = person(BEN, ROLE_NURSE, 1);
	struct staff		gone = person(MO, ROLE_MANAGER, 0);
	struct staff_decision	d;
	struct refusal		why;

	(void)state;
	assert_int_equal(decide(&c, &carl, &nurse, 1, T0, &d, &why), -1);
	assert_string_equal(why.code, "forbidden");
	assert_int_equal(d.forbidden, 1);
	assert_int_equal(decide(&c, &carl, &gone, 1, T0, &d, &why), -1);
	assert_string_equal(why.code, "forbidden");
	assert_int_equal(decide(&c, &carl, &mo, 1, T0, &d, &why), 0);
	assert_int_equal(d.state, STAFF_CHANGE_APPROVED);
	assert_int_equal(d.after.roles, ROLE_RECEPTION | ROLE_COMPETENT);
	assert_int_equal(d.end_sessions, 0);
	assert_int_equal(decide(&c, &carl, &ben, 1, T0, &d, &why), 0);
	assert_int_equal(d.after.roles, ROLE_RECEPTION | ROLE_COMPETENT);
}

/* A pending change expires at expires_at exactly (7 days on): approvable
 * the millisecond before, not at it. */
static void
test_decide_expiry(void **state)
{
	struct staff_change	c = pending(STAFF_CHANGE_GRANT);
	struct staff		carl = person(CARL, 0, 1);
	struct staff		mo = person(MO, ROLE_MANAGER, 1);
	struct staff_decision	d;
	struct refusal		why;
	const int64_t		at = T0 + 7 * 24 * 3600 * 1000LL;

	(void)state;
	assert_int_equal(c.expires_at, at);
	assert_int_equal(staff_change_state_at(&c, at - 1),
	    STAFF_CHANGE_PENDING);
	assert_int_equal(staff_change_state_at(&c, at), STAFF_CHANGE_EXPIRED);
	assert_int_equal(decide(&c, &carl, &mo, 1, at - 1, &d, &why), 0);
	assert_int_equal(decide(&c, &carl, &mo, 1, at, &d, &why), -1);
	assert_string_equal(why.code, "change_expired");
	assert_int_equal(why.conflict, 1);
	assert_int_equal(d.forbidden, 0);
	assert_int_equal(decide(&c, &carl, &mo, 0, at, &d, &why), -1);
	assert_string_equal(why.code, "change_expired");
	/* Who asks is checked first: one's own, expired, is still 403. */
	assert_int_equal(decide(&c, &carl, &(struct staff){ .id = ANN,
	    .roles = ROLE_ADMIN, .active = 1 }, 1, at, &d, &why), -1);
	assert_int_equal(d.forbidden, 1);
}

/* A change decided (approved, declined, superseded) is not decided
 * again; a grant for someone since deactivated is not approved (but may
 * be declined). */
static void
test_decide_state(void **state)
{
	struct staff_change	c = pending(STAFF_CHANGE_GRANT);
	struct staff		carl = person(CARL, 0, 1);
	struct staff		left = person(CARL, 0, 0);
	struct staff		mo = person(MO, ROLE_MANAGER, 1);
	struct staff_decision	d;
	struct refusal		why;
	const enum staff_change_state	decided[] = {
		STAFF_CHANGE_APPROVED, STAFF_CHANGE_DECLINED,
		STAFF_CHANGE_SUPERSEDED
	};
	size_t			i;

	(void)state;
	for (i = 0; i < 3; i++) {
		c.state = decided[i];
		assert_int_equal(decide(&c, &carl, &mo, 1, T0, &d, &why), -1);
		assert_string_equal(why.code, "change_decided");
		assert_int_equal(why.conflict, 1);
		assert_int_equal(decide(&c, &carl, &mo, 0, T0, &d, &why), -1);
	}
	c.state = STAFF_CHANGE_PENDING;
	assert_int_equal(decide(&c, &left, &mo, 1, T0, &d, &why), -1);
	assert_string_equal(why.code, "staff_inactive");
	assert_int_equal(d.after.roles, 0);
	assert_int_equal(decide(&c, &left, &mo, 0, T0, &d, &why), 0);
}

/* An approved reset: the new PIN, the lockout lifted, sessions ended; the
 * roles as they were. */
static void
test_decide_reset(void **state)
{
	struct staff_change	c = pending(STAFF_CHANGE_RESET);
	struct staff		carl = person(CARL, ROLE_NURSE, 1);
	struct staff		mo = person(MO, ROLE_MANAGER, 1);
	struct staff_decision	d;
	struct refusal		why;

	(void)state;
	carl.lock.failures = 5;
	carl.lock.locked_until = T0 + 60000;
	assert_int_equal(decide(&c, &carl, &mo, 1, T0, &d, &why), 0);
	assert_string_equal(d.after.pin_hash, "$y$new");
	assert_int_equal(d.after.lock.failures, 0);
	assert_int_equal(d.after.lock.locked_until, 0);
	assert_int_equal(d.after.roles, ROLE_NURSE);
	assert_int_equal(d.end_sessions, 1);
	assert_int_equal(decide(&c, &carl, &mo, 0, T0, &d, &why), 0);
	assert_string_equal(d.after.pin_hash, "$y$old");
	assert_int_equal(d.end_sessions, 0);
}

/* The managers' alerts: to the managers, never escalating, naming who
 * asked, whom and what. */
static void
test_alert(void **state)
{
	struct staff_change	c = pending(STAFF_CHANGE_GRANT);
	struct staff		carl = person(CARL, 0, 1);
	struct staff		ann = person(ANN, ROLE_ADMIN, 1);
	struct alert		a;

	(void)state;
	strcpy(carl.display_name, "Carl Crony");
	strcpy(carl.username, "carl");
	strcpy(ann.display_name, "Ann Admin");
	strcpy(ann.username, "ann");
	staff_change_alert(&a, STAFF_EVENT_REQUESTED, &c, &carl, &ann, T0);
	assert_int_equal(a.audience, AUDIENCE_MANAGER);
	assert_int_equal(a.escalate_at, 0);
	assert_string_equal(a.kind, "staff_change");
	assert_string_equal(a.subject_id, CARL);
	assert_string_equal(a.message, "Ann Admin (ann) asked to give Carl "
	    "Crony (carl) competent; it waits for a second admin or manager");
	c.kind = STAFF_CHANGE_RESET;
	staff_change_alert(&a, STAFF_EVENT_DECLINED, &c, &carl, &ann, T0);
	assert_string_equal(a.message, "Ann Admin (ann) declined the request "
	    "to reset the PIN of Carl Crony (carl)");
	staff_change_alert(&a, STAFF_EVENT_OWN_PIN, NULL, &carl, &carl, T0);
	assert_string_equal(a.message, "Carl Crony (carl) changed their own "
	    "PIN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_create),
		cmocka_unit_test(test_plan_each_role),
		cmocka_unit_test(test_plan_roles),
		cmocka_unit_test(test_plan_reset),
		cmocka_unit_test(test_plan_reset_decider),
		cmocka_unit_test(test_plan_reactivate),
		cmocka_unit_test(test_plan_self),
		cmocka_unit_test(test_decide_self),
		cmocka_unit_test(test_decide_who),
		cmocka_unit_test(test_decide_expiry),
		cmocka_unit_test(test_decide_state),
		cmocka_unit_test(test_decide_reset),
		cmocka_unit_test(test_alert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
