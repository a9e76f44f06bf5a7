/* A clearly marked demo ward: staff with known demo PINs in every role and
 * a few patients, so a newcomer can try every command at once.  Loaded
 * only into an empty database, and only with --seed-demo. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "continuity.h"
#include "demo.h"
#include "log.h"
#include "movements.h"
#include "observing.h"
#include "patient.h"
#include "roles.h"
#include "server.h"
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
	{ "lee", "DEMO Lee Lead", "9999", ROLE_IDTS_LEAD },
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

/* The demo pharmacy: one register page with stock received, and a
 * prescription for each demo patient in treatment, starting today.  Their
 * doses are laid out by the scheduler as soon as the daemon runs. */
static int
demo_seed_pharmacy(struct store *s, int64_t now, const struct staff *staff,
    const struct patient *patients, size_t npatients)
{
	static struct prescription	rx;
	struct product			p;
	struct register_entry		e;
	size_t				i, n = 0;

	memset(&p, 0, sizeof p);
	validate_new_uuid(p.id);
	strcpy(p.name, "DEMO Methadone");
	strcpy(p.form, "oral solution");
	strcpy(p.strength, "1 mg/ml");
	strcpy(p.unit, "ml");
	strcpy(p.created_by, staff[3].id);
	p.created_at = now;
	/* Its strength as data and its limits, as a pharmacist sets them
	 * (PATCH /v1/products/{id}): 1 mg in each ml, at most 120 ml a
	 * dose and a day; an opioid substitute. */
	p.active_per_unit.quantity = 1000;
	strcpy(p.active_per_unit.unit, "mg");
	p.max_single_dose = p.max_daily_dose = 120 * 1000;
	p.opioid_substitute = 1;
	memset(&e, 0, sizeof e);
	validate_new_uuid(e.id);
	strcpy(e.product_id, p.id);
	e.kind = REGISTER_RECEIPT;
	e.quantity = e.balance_after = 1000 * 1000;	/* 1000 ml */
	e.at = now;
	strcpy(e.by, staff[3].id);		/* priya */
	strcpy(e.witness, staff[2].id);		/* carl */
	strcpy(e.supplier, "DEMO pharmacy");
	strcpy(e.reference, "DEMO-0001");
	if (store_product_insert(s, &p) != STORE_OK ||
	    store_product_update(s, &p) != STORE_OK ||
	    store_register_insert(s, &e) != STORE_OK ||
	    store_audit_append(s, now, "", "demo.register", "register_entry",
	    e.id, json_pack("{s:s}", "product_id", p.id)) != STORE_OK)
		return -1;
	for (i = 0; i < npatients; i++) {
		if (!patients[i].in_treatment)
			continue;
		memset(&rx, 0, sizeof rx);
		validate_new_uuid(rx.id);
		strcpy(rx.patient_id, patients[i].id);
		strcpy(rx.product_id, p.id);
		strcpy(rx.prescriber_id, staff[6].id);	/* dev */
		rx.created_at = now;
		rx.every_days = 1;
		rx.start = calendar_local_date(now);
		rx.ntimes = 2;
		rx.times[0] = 8 * 60;
		rx.times[1] = 18 * 60;
		rx.dose = n++ == 0 ? 30000 : 20000;	/* ml, twice a day */
		if (store_prescription_insert(s, &rx) != STORE_OK ||
		    store_audit_append(s, now, "", "demo.prescription",
		    "prescription", rx.id, json_pack("{s:s}", "patient_id",
		    rx.patient_id)) != STORE_OK)
			return -1;
	}
	return 0;
}

/* The demo court list: the first patient in treatment goes to court
 * tomorrow at 07:30, so the 08:00 dose is moved to 07:00. */
static int
demo_seed_court(struct server *srv, int64_t now, const struct staff *rob,
    const struct patient *patients, size_t npatients)
{
	static struct movement	m;	/* large (its texts): not on the stack */
	size_t			i;

	for (i = 0; i < npatients && !patients[i].in_treatment; i++)
		continue;
	if (i == npatients)
		return 0;
	memset(&m, 0, sizeof m);
	validate_new_uuid(m.id);
	strcpy(m.patient_id, patients[i].id);
	m.kind = MOVEMENT_COURT;
	m.departs_at = calendar_local_time(calendar_add_days(
	    calendar_local_date(now), 1), 7 * 60 + 30);
	strcpy(m.destination, "DEMO Magistrates' Court");
	m.state = MOVEMENT_PLANNED;
	strcpy(m.created_by, rob->id);
	m.created_at = now;
	return store_movement_insert(srv->store, &m) == STORE_OK &&
	    movements_prepare(srv, &m, now) == 0 ? 0 : -1;
}

/* Seed the demo ward if the database has no staff yet. */
int
demo_seed(struct server *srv, int64_t now, char **cause)
{
	struct store			*s = srv->store;
	struct care_clock_policy	 clocks = server_clock_policy(srv);
	const struct care_clock_policy	*policy = &clocks;
	static struct staff	 st[sizeof demo_staff / sizeof demo_staff[0]];
	static struct patient	 p[sizeof demo_patients /
				    sizeof demo_patients[0]];
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
		memset(&st[i], 0, sizeof st[i]);
		validate_new_uuid(st[i].id);
		snprintf(st[i].username, sizeof st[i].username, "%s",
		    demo_staff[i].username);
		snprintf(st[i].display_name, sizeof st[i].display_name, "%s",
		    demo_staff[i].name);
		st[i].roles = demo_staff[i].roles;
		st[i].active = 1;
		st[i].created_at = now;
		if (auth_pin_hash(demo_staff[i].pin, st[i].pin_hash) == -1 ||
		    store_staff_insert(s, &st[i]) != STORE_OK ||
		    store_audit_append(s, now, "", "demo.staff", "staff",
		    st[i].id, json_pack("{s:s}", "username", st[i].username)) !=
		    STORE_OK)
			goto fail;
	}
	for (i = 0; i < sizeof demo_patients / sizeof demo_patients[0]; i++) {
		memset(&p[i], 0, sizeof p[i]);
		validate_new_uuid(p[i].id);
		strcpy(p[i].prison_number, demo_patients[i].number);
		strcpy(p[i].given_name, demo_patients[i].given);
		strcpy(p[i].family_name, demo_patients[i].family);
		if (timefmt_parse_date(demo_patients[i].dob,
		    &p[i].date_of_birth) == -1)
			goto fail;
		p[i].arrived_at = now - demo_patients[i].hours_ago *
		    MS_PER_HOUR;
		strcpy(p[i].location, demo_patients[i].location);
		p[i].stimulant_user = demo_patients[i].stimulant;
		if (demo_patients[i].in_treatment) {
			p[i].in_treatment = 1;
			strcpy(p[i].community.drug,
			    "methadone 1mg/ml oral solution");
			p[i].community.dose = 60000;
			strcpy(p[i].community.unit, "ml");
			strcpy(p[i].community.prescriber, "DEMO Dr Community");
			p[i].community.has_last_dose = 1;
			p[i].community.last_dose_at = p[i].arrived_at -
			    20 * MS_PER_HOUR;
		}
		strcpy(p[i].created_by, st[0].id);
		p[i].created_at = now;
		if (store_patient_insert(s, &p[i]) != STORE_OK ||
		    store_audit_append(s, now, "", "demo.patient", "patient",
		    p[i].id, json_pack("{s:s}", "prison_number",
		    p[i].prison_number)) != STORE_OK)
			goto fail;
		if (p[i].stimulant_user && observing_start(srv, &p[i],
		    p[i].arrived_at, now, st[0].id) == -1)
			goto fail;
		for (k = 0; p[i].in_treatment && k < 2; k++) {
			memset(&c, 0, sizeof c);
			validate_new_uuid(c.id);
			strcpy(c.patient_id, p[i].id);
			continuity_start(&c, k == 0 ? CLOCK_TREATMENT_CONTINUED :
			    CLOCK_KEYWORKER_ALLOCATED, p[i].arrived_at, policy);
			if (store_clock_insert(s, &c) != STORE_OK)
				goto fail;
		}
	}
	if (demo_seed_pharmacy(s, now, st, p, i) == -1 ||
	    demo_seed_court(srv, now, &st[4], p, i) == -1 ||
	    demo_seed_readiness(s, now, &st[1], &st[2], &st[3], &st[7],
	    &st[8]) == -1 ||
	    store_commit(s) != STORE_OK)
		goto fail;
	log_info("loaded the DEMO ward: staff admin/1111, nina/2222 (nurse), "
	    "carl/3333 (competent), priya/4444 (pharmacist), rob/5555 "
	    "(reception), cara/6666 (CARAT), dev/7777 (prescriber), mo/8888 "
	    "(manager), lee/9999 (IDTS lead); DEMO Methadone with 1000 ml in stock, prescribed at "
	    "08:00 and 18:00; D1001AA to court tomorrow at 07:30");
	return 0;
fail:
	store_rollback(s);
	*cause = strdup("cannot load the demo ward");
	return -1;
}
