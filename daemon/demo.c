/* A clearly marked demo ward: staff with known demo PINs in every role and
 * a few patients, so a newcomer can try every command at once.  Loaded
 * only into an empty database, and only with --seed-demo. */
#include <stdio.h>
#include <string.h>

#include "continuity.h"
#include "demo.h"
#include "log.h"
#include "patient.h"
#include "roles.h"
#include "staff.h"
#include "store.h"

static const struct {
	const char	*username, *name, *pin;
	unsigned	 roles;
} demo_staff[] = {
	{ "admin", "DEMO Ada Admin", "1111", ROLE_ADMIN | ROLE_MANAGER },
	{ "nina", "DEMO Nina Nurse", "2222", ROLE_NURSE },
	{ "carl", "DEMO Carl Competent", "3333", ROLE_COMPETENT },
	{ "priya", "DEMO Priya Pharmacist", "4444", ROLE_PHARMACIST },
	{ "rob", "DEMO Rob Reception", "5555", ROLE_RECEPTION },
	{ "cara", "DEMO Cara CARAT", "6666", ROLE_CARAT },
	{ "dev", "DEMO Dr Dev Prescriber", "7777", ROLE_PRESCRIBER },
	{ "mo", "DEMO Mo Manager", "8888", ROLE_MANAGER },
};

static const struct {
	const char	*number, *given, *family, *dob, *location;
	int		 hours_ago, stimulant, in_treatment;
} demo_patients[] = {
	{ "D1001AA", "Alex", "DEMO-Example", "1988-03-14",
	    "DEMO WARD A, cell 1", 30, 0, 1 },
	{ "D1002AB", "Sam", "DEMO-Sample", "1995-07-02",
	    "DEMO WARD A, cell 2", 6, 1, 0 },
	{ "D1003AC", "Jo", "DEMO-Testcase", "1979-11-23",
	    "DEMO WARD A, cell 3", 2, 1, 1 },
};

/* Seed the demo ward if the database has no staff yet. */
int
demo_seed(struct store *s, int64_t now, const struct care_clock_policy *policy,
    char **cause)
{
	struct staff		 st, admin;
	struct patient		 p;
	struct care_clock	 c;
	size_t			 i, k;
	int			 n;

	*cause = NULL;
	if (store_staff_count(s, &n) != STORE_OK)
		return -1;
	if (n > 0) {
		log_info("the database already has staff: demo ward not loaded");
		return 0;
	}
	if (store_begin(s, 1) != STORE_OK)
		return -1;
	for (i = 0; i < sizeof demo_staff / sizeof demo_staff[0]; i++) {
		memset(&st, 0, sizeof st);
		validate_new_uuid(st.id);
		snprintf(st.username, sizeof st.username, "%s",
		    demo_staff[i].username);
		snprintf(st.display_name, sizeof st.display_name, "%s",
		    demo_staff[i].name);
		st.roles = demo_staff[i].roles;
		st.active = 1;
		st.created_at = now;
		if (auth_pin_hash(demo_staff[i].pin, st.pin_hash) == -1 ||
		    store_staff_insert(s, &st) != STORE_OK ||
		    store_audit_append(s, now, "", "demo.staff", "staff", st.id,
		    json_pack("{s:s}", "username", st.username)) != STORE_OK)
			goto fail;
		if (i == 0)
			admin = st;
	}
	for (i = 0; i < sizeof demo_patients / sizeof demo_patients[0]; i++) {
		memset(&p, 0, sizeof p);
		validate_new_uuid(p.id);
		strcpy(p.prison_number, demo_patients[i].number);
		strcpy(p.given_name, demo_patients[i].given);
		strcpy(p.family_name, demo_patients[i].family);
		if (timefmt_parse_date(demo_patients[i].dob,
		    &p.date_of_birth) == -1)
			goto fail;
		p.arrived_at = now - demo_patients[i].hours_ago * MS_PER_HOUR;
		strcpy(p.location, demo_patients[i].location);
		p.stimulant_user = demo_patients[i].stimulant;
		if (demo_patients[i].in_treatment) {
			p.in_treatment = 1;
			strcpy(p.community.drug, "methadone 1mg/ml oral solution");
			p.community.dose = 60000;
			strcpy(p.community.unit, "ml");
			strcpy(p.community.prescriber, "DEMO Dr Community");
			p.community.has_last_dose = 1;
			p.community.last_dose_at = p.arrived_at - 20 * MS_PER_HOUR;
		}
		strcpy(p.created_by, admin.id);
		p.created_at = now;
		if (store_patient_insert(s, &p) != STORE_OK ||
		    store_audit_append(s, now, "", "demo.patient", "patient",
		    p.id, json_pack("{s:s}", "prison_number", p.prison_number))
		    != STORE_OK)
			goto fail;
		for (k = 0; p.in_treatment && k < 2; k++) {
			memset(&c, 0, sizeof c);
			validate_new_uuid(c.id);
			strcpy(c.patient_id, p.id);
			continuity_start(&c, k == 0 ? CLOCK_TREATMENT_CONTINUED :
			    CLOCK_KEYWORKER_ALLOCATED, p.arrived_at, policy);
			if (store_clock_insert(s, &c) != STORE_OK)
				goto fail;
		}
	}
	if (store_commit(s) != STORE_OK)
		return -1;
	log_info("loaded the DEMO ward: staff admin/1111, nina/2222 (nurse), "
	    "carl/3333 (competent), priya/4444, rob/5555 (reception), "
	    "cara/6666 (CARAT), dev/7777 (prescriber), mo/8888 (manager)");
	return 0;
fail:
	store_rollback(s);
	*cause = strdup("cannot load the demo ward");
	return -1;
}
