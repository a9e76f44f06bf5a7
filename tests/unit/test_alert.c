/* Alerts: when each severity escalates, and what an escalation is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "alert.h"
#include "roles.h"
#include "timefmt.h"

static const struct alert_policy policy = { { 0, 30, 15, 5 } };

static void
test_escalation_times(void **state)
{
	struct alert	a;
	int64_t		now = 1790000000000;
	const struct {
		enum alert_severity	severity;
		int64_t			after;	/* 0: never */
	} cases[] = {
		{ SEVERITY_INFO, 0 },
		{ SEVERITY_WARNING, 30 * MS_PER_MINUTE },
		{ SEVERITY_URGENT, 15 * MS_PER_MINUTE },
		{ SEVERITY_EMERGENCY, 5 * MS_PER_MINUTE },
	};
	size_t		i;

	(void)state;
	for (i = 0; i < 4; i++) {
		alert_raise(&a, "test", cases[i].severity, AUDIENCE_WARD, NULL,
		    NULL, "m", now, &policy);
		assert_true(a.escalate_at ==
		    (cases[i].after ? now + cases[i].after : 0));
		assert_true(a.raised_at == now);
		assert_int_equal(validate_uuid(a.id), 0);
		assert_string_equal(a.patient_id, "");
	}
}

/* An escalation goes to the managers, points to the first, keeps its
 * severity and patient, says how long it waited, and never escalates. */
static void
test_escalation(void **state)
{
	struct alert	first, esc;
	int64_t		now = 1790000000000;

	(void)state;
	alert_raise(&first, "clock_warning", SEVERITY_WARNING, AUDIENCE_WARD,
	    "8d3e1c8a-0c52-4d7e-9a43-5b4f6f1f0c11", "subject", "dose due",
	    now, &policy);
	alert_escalation(&esc, &first, first.escalate_at);
	assert_string_equal(esc.kind, "escalation");
	assert_int_equal(esc.audience, AUDIENCE_MANAGER);
	assert_int_equal(esc.severity, SEVERITY_WARNING);
	assert_string_equal(esc.subject_id, first.id);
	assert_string_equal(esc.patient_id, first.patient_id);
	assert_string_equal(esc.message,
	    "not acknowledged after 30 minutes: dose due");
	assert_true(esc.escalate_at == 0);
	assert_string_not_equal(esc.id, first.id);
}

/* An alert to the managers does not escalate: it is with them already. */
static void
test_manager_alerts_stay(void **state)
{
	struct alert	a;

	(void)state;
	alert_raise(&a, "clock_breach", SEVERITY_URGENT, AUDIENCE_MANAGER,
	    NULL, NULL, "m", 1790000000000, &policy);
	assert_true(a.escalate_at == 0);
	alert_raise(&a, "clock_warning", SEVERITY_WARNING, AUDIENCE_RECEPTION,
	    NULL, NULL, "m", 1790000000000, &policy);
	assert_true(a.escalate_at == 1790000000000 + 30 * MS_PER_MINUTE);
}

/* Only someone clinical acknowledges a ward alert (reception cannot
 * stop an emergency's escalation, nor can a manager, whose it is); only
 * a manager one to the managers. */
static void
test_who_may_acknowledge(void **state)
{
	struct alert	a;

	(void)state;
	alert_raise(&a, "news2_high", SEVERITY_EMERGENCY, AUDIENCE_WARD, NULL,
	    NULL, "m", 1790000000000, &policy);
	assert_false(alert_may_acknowledge(&a, ROLE_RECEPTION));
	assert_false(alert_may_acknowledge(&a, ROLE_MANAGER | ROLE_ADMIN |
	    ROLE_CARAT | ROLE_PHARMACIST));
	assert_true(alert_may_acknowledge(&a, ROLE_COMPETENT));
	assert_true(alert_may_acknowledge(&a, ROLE_RECEPTION | ROLE_NURSE));
	a.audience = AUDIENCE_RECEPTION;
	assert_true(alert_may_acknowledge(&a, ROLE_RECEPTION));
	assert_false(alert_may_acknowledge(&a, ROLE_CARAT | ROLE_ADMIN));
	a.audience = AUDIENCE_MANAGER;
	assert_false(alert_may_acknowledge(&a, ROLE_NURSE | ROLE_ADMIN));
	assert_true(alert_may_acknowledge(&a, ROLE_NURSE | ROLE_MANAGER));
}

/* The same alert to a role's list and to the managers' at once: the same
 * kind, severity, patient, subject, message and time, two ids, and
 * neither escalates, whatever the severity (the managers have their
 * copy). */
static void
test_raise_with_managers(void **state)
{
	static const enum alert_audience audiences[] = {
		AUDIENCE_WARD, AUDIENCE_MANAGER, AUDIENCE_RECEPTION,
		AUDIENCE_PRESCRIBER, AUDIENCE_PHARMACY, AUDIENCE_ON_CALL,
	};
	static const char	patient[] =
	    "8d3e1c8a-0c52-4d7e-9a43-5b4f6f1f0c11";
	static const char	subject[] =
	    "1b2c3d4e-5f60-4718-89ab-cdef01234567";
	struct alert		pair[2];
	int64_t			now = 1790000000000;
	size_t			i;
	int			sev, k;

	(void)state;
	for (i = 0; i < sizeof audiences / sizeof audiences[0]; i++)
		for (sev = SEVERITY_INFO; sev <= SEVERITY_EMERGENCY; sev++) {
			memset(pair, 0x5a, sizeof pair);
			alert_raise_with_managers(pair, "stock_discrepancy",
			    (enum alert_severity)sev, audiences[i], patient,
			    subject, "count 3 ml short", now + sev);
			assert_int_equal(pair[0].audience, audiences[i]);
			assert_int_equal(pair[1].audience, AUDIENCE_MANAGER);
			assert_int_equal(validate_uuid(pair[0].id), 0);
			assert_int_equal(validate_uuid(pair[1].id), 0);
			assert_string_not_equal(pair[0].id, pair[1].id);
			for (k = 0; k < 2; k++) {
				assert_string_equal(pair[k].kind,
				    "stock_discrepancy");
				assert_int_equal(pair[k].severity, sev);
				assert_string_equal(pair[k].patient_id,
				    patient);
				assert_string_equal(pair[k].subject_id,
				    subject);
				assert_string_equal(pair[k].message,
				    "count 3 ml short");
				assert_true(pair[k].raised_at == now + sev);
				assert_true(pair[k].escalate_at == 0);
				assert_int_equal(pair[k].escalated, 0);
				assert_true(pair[k].acked_at == 0);
				assert_string_equal(pair[k].acked_by, "");
				assert_string_equal(pair[k].ack_note, "");
				assert_true(pair[k].seq == 0);
			}
		}

	/* No patient, no subject: both empty on both. */
	alert_raise_with_managers(pair, "prescription_held", SEVERITY_URGENT,
	    AUDIENCE_PRESCRIBER, NULL, NULL, "held after 3 doses", now);
	for (i = 0; i < 2; i++) {
		assert_string_equal(pair[i].patient_id, "");
		assert_string_equal(pair[i].subject_id, "");
		assert_string_equal(pair[i].message, "held after 3 doses");
		assert_true(pair[i].escalate_at == 0);
	}
	assert_int_equal(pair[0].audience, AUDIENCE_PRESCRIBER);
	assert_int_equal(pair[1].audience, AUDIENCE_MANAGER);
	assert_string_not_equal(pair[0].id, pair[1].id);

	/* Each raise a new pair: four different ids. */
	{
		struct alert	again[2];

		alert_raise_with_managers(again, "prescription_held",
		    SEVERITY_URGENT, AUDIENCE_PRESCRIBER, NULL, NULL,
		    "held after 3 doses", now);
		assert_string_not_equal(again[0].id, pair[0].id);
		assert_string_not_equal(again[0].id, pair[1].id);
		assert_string_not_equal(again[1].id, pair[0].id);
		assert_string_not_equal(again[1].id, pair[1].id);
	}
}

/* Who reads and who may acknowledge, audience by audience, for every
 * role alone and in pairs, no role, and every role but the ones that
 * may (docs/design.md, "Who reads what"): a manager reads every list;
 * nobody's is read by carat or admin; only someone clinical acknowledges
 * the ward's. */
static void
test_acknowledge_matrix(void **state)
{
	static const struct {
		unsigned	 role;
		const char	*name;
	} roles[] = {
		{ ROLE_NURSE, "nurse" }, { ROLE_COMPETENT, "competent" },
		{ ROLE_PRESCRIBER, "prescriber" },
		{ ROLE_PHARMACIST, "pharmacist" },
		{ ROLE_RECEPTION, "reception" }, { ROLE_CARAT, "carat" },
		{ ROLE_MANAGER, "manager" }, { ROLE_ADMIN, "admin" },
	};
	static const struct {
		enum alert_audience	audience;
		unsigned		may;	/* any of these roles */
		unsigned		reads;
	} lists[] = {
		{ AUDIENCE_WARD, ROLE_NURSE | ROLE_COMPETENT |
		    ROLE_PRESCRIBER, ROLE_NURSE | ROLE_COMPETENT |
		    ROLE_PRESCRIBER | ROLE_MANAGER },
		{ AUDIENCE_RECEPTION, ROLE_RECEPTION | ROLE_NURSE |
		    ROLE_MANAGER, ROLE_RECEPTION | ROLE_NURSE | ROLE_MANAGER },
		{ AUDIENCE_MANAGER, ROLE_MANAGER, ROLE_MANAGER },
		{ AUDIENCE_PRESCRIBER, ROLE_PRESCRIBER | ROLE_MANAGER,
		    ROLE_PRESCRIBER | ROLE_MANAGER },
		{ AUDIENCE_PHARMACY, ROLE_PHARMACIST | ROLE_MANAGER,
		    ROLE_PHARMACIST | ROLE_MANAGER },
		{ AUDIENCE_ON_CALL, ROLE_PRESCRIBER | ROLE_MANAGER,
		    ROLE_PRESCRIBER | ROLE_MANAGER },
	};
	const size_t	nroles = sizeof roles / sizeof roles[0];
	struct alert	a;
	size_t		l, r, s;
	unsigned	set;
	int		want, got;

	(void)state;
	assert_int_equal(sizeof lists / sizeof lists[0], ALERT_AUDIENCES);
	alert_raise(&a, "prescription_held", SEVERITY_URGENT, AUDIENCE_WARD,
	    NULL, NULL, "m", 1790000000000, &policy);
	for (l = 0; l < sizeof lists / sizeof lists[0]; l++) {
		a.audience = lists[l].audience;
		for (r = 0; r < nroles; r++)
			if (((alert_readers(a.audience) & roles[r].role) != 0)
			    != ((lists[l].reads & roles[r].role) != 0))
				fail_msg("%s alerts: %s %s", alert_audience_name(
				    a.audience), roles[r].name,
				    lists[l].reads & roles[r].role ?
				    "does not read them" : "reads them");
		/* Each pair of roles (a pair of the same is that role). */
		for (r = 0; r < nroles; r++)
			for (s = r; s < nroles; s++) {
				set = roles[r].role | roles[s].role;
				want = (set & lists[l].may) != 0;
				got = alert_may_acknowledge(&a, set);
				if ((got != 0) != want)
					fail_msg("%s alert, %s+%s: %s, "
					    "expected %s",
					    alert_audience_name(a.audience),
					    roles[r].name, roles[s].name,
					    got ? "may" : "may not",
					    want ? "may" : "may not");
			}
		/* No role at all: only on the lists open to anyone. */
		assert_int_equal(alert_may_acknowledge(&a, 0) != 0,
		    lists[l].may == 0xff);
		/* Every role but the ones that may; every role. */
		if (lists[l].may != 0xff &&
		    alert_may_acknowledge(&a, 0xff & ~lists[l].may))
			fail_msg("%s alert: every other role may",
			    alert_audience_name(a.audience));
		assert_true(alert_may_acknowledge(&a, 0xff));
	}

	/* Written out, for the two new lists. */
	a.audience = AUDIENCE_PRESCRIBER;
	assert_true(alert_may_acknowledge(&a, ROLE_PRESCRIBER));
	assert_true(alert_may_acknowledge(&a, ROLE_MANAGER));
	assert_false(alert_may_acknowledge(&a, ROLE_NURSE));
	assert_false(alert_may_acknowledge(&a, ROLE_COMPETENT));
	assert_false(alert_may_acknowledge(&a, ROLE_PHARMACIST));
	assert_false(alert_may_acknowledge(&a, ROLE_RECEPTION));
	assert_false(alert_may_acknowledge(&a, ROLE_CARAT));
	assert_false(alert_may_acknowledge(&a, ROLE_ADMIN));
	assert_false(alert_may_acknowledge(&a, 0));
	assert_false(alert_may_acknowledge(&a, ROLE_NURSE | ROLE_COMPETENT |
	    ROLE_PHARMACIST | ROLE_RECEPTION | ROLE_CARAT | ROLE_ADMIN));
	a.audience = AUDIENCE_PHARMACY;
	assert_true(alert_may_acknowledge(&a, ROLE_PHARMACIST));
	assert_true(alert_may_acknowledge(&a, ROLE_MANAGER));
	assert_false(alert_may_acknowledge(&a, ROLE_NURSE));
	assert_false(alert_may_acknowledge(&a, ROLE_COMPETENT));
	assert_false(alert_may_acknowledge(&a, ROLE_PRESCRIBER));
	assert_false(alert_may_acknowledge(&a, ROLE_RECEPTION));
	assert_false(alert_may_acknowledge(&a, ROLE_CARAT));
	assert_false(alert_may_acknowledge(&a, ROLE_ADMIN));
	assert_false(alert_may_acknowledge(&a, 0));
	assert_false(alert_may_acknowledge(&a, ROLE_NURSE | ROLE_COMPETENT |
	    ROLE_PRESCRIBER | ROLE_RECEPTION | ROLE_CARAT | ROLE_ADMIN));
}

/* The operational alerts (a backup failed or overdue, to the managers,
 * no patient) are read, and acknowledged, by the admins as well as the
 * managers; nothing else of the managers' is, nor one naming a patient,
 * nor one to another audience. */
static void
test_admins_read_operational(void **state)
{
	struct alert	a;

	(void)state;
	alert_raise(&a, "backup_failed", SEVERITY_URGENT, AUDIENCE_MANAGER,
	    NULL, "b", "backup failed: disk full", 1790000000000, &policy);
	assert_true(alert_may_read(&a, ROLE_ADMIN));
	assert_true(alert_may_read(&a, ROLE_MANAGER));
	assert_true(alert_may_acknowledge(&a, ROLE_ADMIN));
	assert_false(alert_may_read(&a, ROLE_NURSE | ROLE_CARAT |
	    ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_RECEPTION));
	strcpy(a.kind, "backup_overdue");
	assert_true(alert_may_read(&a, ROLE_ADMIN));
	strcpy(a.kind, "cover_gap");
	assert_false(alert_may_read(&a, ROLE_ADMIN));
	assert_false(alert_may_acknowledge(&a, ROLE_ADMIN));
	strcpy(a.kind, "backup_failed");
	strcpy(a.patient_id, "11111111-1111-4111-8111-111111111111");
	assert_false(alert_may_read(&a, ROLE_ADMIN));
	a.patient_id[0] = '\0';
	a.audience = AUDIENCE_RECEPTION;
	assert_false(alert_may_read(&a, ROLE_ADMIN));
}

/* A patient deteriorating, at each severity: the same alert to the ward,
 * the doctor on call and the managers; the first two escalate after the
 * severity's minutes, as any other alert would, the managers' never; an
 * escalation of the doctor's copy goes to the managers and points to
 * it. */
static void
test_deterioration(void **state)
{
	static const char	patient[] =
	    "8d3e1c8a-0c52-4d7e-9a43-5b4f6f1f0c11";
	static const char	subject[] =
	    "1b2c3d4e-5f60-4718-89ab-cdef01234567";
	static const int64_t	after[] = {
		0, 30 * MS_PER_MINUTE, 15 * MS_PER_MINUTE, 5 * MS_PER_MINUTE,
	};
	struct alert		a[ALERT_DETERIORATION_N], esc;
	int64_t			now = 1790000000000;
	int			sev, k;

	(void)state;
	assert_int_equal(ALERT_DETERIORATION_N, 3);
	for (sev = SEVERITY_INFO; sev <= SEVERITY_EMERGENCY; sev++) {
		memset(a, 0x5a, sizeof a);
		alert_raise_deterioration(a, "news2_high",
		    (enum alert_severity)sev, patient, subject,
		    "NEWS2 13: emergency response: call 2222", now, &policy);
		assert_int_equal(a[0].audience, AUDIENCE_WARD);
		assert_int_equal(a[1].audience, AUDIENCE_ON_CALL);
		assert_int_equal(a[2].audience, AUDIENCE_MANAGER);
		for (k = 0; k < ALERT_DETERIORATION_N; k++) {
			assert_string_equal(a[k].kind, "news2_high");
			assert_int_equal(a[k].severity, sev);
			assert_string_equal(a[k].patient_id, patient);
			assert_string_equal(a[k].subject_id, subject);
			assert_string_equal(a[k].message,
			    "NEWS2 13: emergency response: call 2222");
			assert_true(a[k].raised_at == now);
			assert_int_equal(validate_uuid(a[k].id), 0);
			assert_true(a[k].escalate_at == (k < 2 && after[sev] ?
			    now + after[sev] : 0));
		}
		assert_string_not_equal(a[0].id, a[1].id);
		assert_string_not_equal(a[1].id, a[2].id);
		assert_string_not_equal(a[0].id, a[2].id);
	}
	alert_escalation(&esc, &a[1], a[1].escalate_at);
	assert_int_equal(esc.audience, AUDIENCE_MANAGER);
	assert_int_equal(esc.severity, SEVERITY_EMERGENCY);
	assert_string_equal(esc.subject_id, a[1].id);
	assert_string_equal(esc.message, "not acknowledged after 5 minutes: "
	    "NEWS2 13: emergency response: call 2222");
}

static void
test_names(void **state)
{
	enum alert_severity	s;
	enum alert_audience	a;

	(void)state;
	assert_int_equal(alert_severity_parse("emergency", &s), 0);
	assert_int_equal(s, SEVERITY_EMERGENCY);
	assert_int_equal(alert_severity_parse("critical", &s), -1);
	assert_int_equal(alert_audience_parse("reception", &a), 0);
	assert_int_equal(a, AUDIENCE_RECEPTION);
	assert_int_equal(alert_audience_parse("carat", &a), -1);
	assert_int_equal(alert_audience_parse("on_call", &a), 0);
	assert_int_equal(a, AUDIENCE_ON_CALL);
	assert_string_equal(alert_audience_name(AUDIENCE_ON_CALL), "on_call");
	assert_int_equal(alert_audience_parse("on call", &a), -1);
	assert_string_equal(alert_severity_name(SEVERITY_URGENT), "urgent");
	assert_string_equal(alert_audience_name(AUDIENCE_MANAGER), "manager");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escalation_times),
		cmocka_unit_test(test_escalation),
		cmocka_unit_test(test_manager_alerts_stay),
		cmocka_unit_test(test_who_may_acknowledge),
		cmocka_unit_test(test_raise_with_managers),
		cmocka_unit_test(test_acknowledge_matrix),
		cmocka_unit_test(test_admins_read_operational),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_deterioration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
