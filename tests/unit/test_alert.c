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

/* Anyone acknowledges a ward alert; only a manager one to the managers. */
static void
test_who_may_acknowledge(void **state)
{
	struct alert	a;

	(void)state;
	alert_raise(&a, "clock_warning", SEVERITY_WARNING, AUDIENCE_WARD, NULL,
	    NULL, "m", 1790000000000, &policy);
	assert_true(alert_may_acknowledge(&a, ROLE_RECEPTION));
	a.audience = AUDIENCE_MANAGER;
	assert_false(alert_may_acknowledge(&a, ROLE_NURSE | ROLE_ADMIN));
	assert_true(alert_may_acknowledge(&a, ROLE_NURSE | ROLE_MANAGER));
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
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
