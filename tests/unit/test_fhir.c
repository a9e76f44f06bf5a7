/* Unit tests for the FHIR builder (rules/fhir*.c): a transfer document and
 * a release's, field by field: the Composition's type and section codes,
 * the Patient's identifiers (with and without an NHS number), the
 * MedicationRequest's reducing steps, the MedicationAdministration's two
 * performers, NEWS2 in SNOMED CT and LOINC, the plan, clocks and flags;
 * every reference resolves inside the Bundle; a patient with no dose yet;
 * the export a collection; too few ids refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fhir.h"
#include "news2.h"

#define MIN_MS		(60 * INT64_C(1000))
#define HOUR_MS		(60 * MIN_MS)
/* Mon 22 March 2027 09:00 UTC (GMT). */
#define T0		INT64_C(1805706000000)

struct world {
	struct patient		patient;
	struct movement		movement;
	struct prescription	rx;
	struct product		product;
	struct fhir_medication	med;
	struct observation	obs;
	struct observation_plan	plan;
	struct care_clock	clocks[2];
	struct fhir_flag	flag;
	char			ids[FHIR_FIXED_IDS + 1][UUID_STR_LEN];
	struct fhir_input	in;
};

static void
person(struct fhir_person *p, const char *id, const char *user,
    const char *name)
{
	strcpy(p->id, id);
	strcpy(p->username, user);
	strcpy(p->name, name);
}

/* Ada Gray, NHS number known, methadone reducing 30, 20, 10, 0 ml from
 * Monday, her 09:00 dose given by nina and witnessed by cody, a NEWS2 of
 * 4, a running plan, two clocks (one met), a hold; transferring out. */
static int
setup(void **state)
{
	struct world	*w = calloc(1, sizeof *w);
	struct prescription *rx;
	size_t		 i;

	assert_non_null(w);
	strcpy(w->patient.id, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0001");
	strcpy(w->patient.prison_number, "A1000AA");
	strcpy(w->patient.given_name, "Ada");
	strcpy(w->patient.family_name, "Gray");
	w->patient.date_of_birth = (struct civil_date){ 1990, 1, 1 };
	strcpy(w->patient.nhs_number, "9434765919");
	strcpy(w->movement.id, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0002");
	w->movement.kind = MOVEMENT_TRANSFER;
	w->movement.departs_at = T0 + 5 * HOUR_MS;
	rx = &w->rx;
	strcpy(rx->id, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0003");
	rx->regimen = REGIMEN_REDUCING;
	rx->dose = 30000;
	rx->times[0] = 9 * 60;
	rx->ntimes = 1;
	rx->every_days = 1;
	rx->start = (struct civil_date){ 2027, 3, 22 };
	rx->steps[0] = (struct prescription_step){ { 2027, 3, 24 }, 20000 };
	rx->steps[1] = (struct prescription_step){ { 2027, 3, 26 }, 12500 };
	rx->steps[2] = (struct prescription_step){ { 2027, 3, 28 }, 0 };
	rx->nsteps = 3;
	rx->created_at = T0 - 2 * HOUR_MS;
	rx->held_at = 0;
	strcpy(w->product.name, "Methadone");
	strcpy(w->product.form, "oral solution");
	strcpy(w->product.strength, "1mg/ml");
	strcpy(w->product.unit, "ml");
	w->med.rx = rx;
	w->med.product = &w->product;
	person(&w->med.prescriber, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0010",
	    "doc", "Dr Doc");
	w->med.has_last = 1;
	strcpy(w->med.last.id, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0004");
	w->med.last.amount = 30000;
	w->med.last.recorded_at = T0 + 5 * MIN_MS;
	person(&w->med.given_by, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0011",
	    "nina", "Nina Nurse");
	person(&w->med.witness, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0012",
	    "cody", "Cody Competent");
	strcpy(w->obs.id, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0005");
	w->obs.taken_at = T0 + HOUR_MS;
	w->obs.readings = (struct news2_readings){ .respiratory_rate = 22,
	    .spo2 = 95, .spo2_scale = 1, .systolic_bp = 120, .pulse = 95,
	    .consciousness = NEWS2_ALERT, .temperature_tenths = 371 };
	news2_score(&w->obs.readings, &w->obs.result);
	w->plan.starts_at = T0 - HOUR_MS;
	w->plan.ends_at = T0 + 71 * HOUR_MS;
	w->plan.base_interval_ms = 4 * HOUR_MS;
	strcpy(w->clocks[0].id, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0006");
	w->clocks[0].kind = CLOCK_TREATMENT_CONTINUED;
	w->clocks[0].started_at = T0 - HOUR_MS;
	w->clocks[0].due_at = T0 + 23 * HOUR_MS;
	w->clocks[0].met_at = T0 + 5 * MIN_MS;
	strcpy(w->clocks[1].id, "0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0007");
	w->clocks[1].kind = CLOCK_KEYWORKER_ALLOCATED;
	w->clocks[1].started_at = T0 - HOUR_MS;
	w->clocks[1].due_at = T0 + 23 * HOUR_MS;
	w->flag.drug = 1;
	strcpy(w->flag.text, "Prescription held for review: Methadone");
	w->flag.since = T0;
	for (i = 0; i < FHIR_FIXED_IDS + 1; i++)
		snprintf(w->ids[i], UUID_STR_LEN,
		    "5a7c1b2e-0000-4000-8000-%012zu", i);
	w->in = (struct fhir_input){ .kind = FHIR_TRANSFER,
	    .now = T0 + 2 * HOUR_MS, .code = "LEE", .name = "HMP Leeds",
	    .patient = &w->patient, .movement = &w->movement,
	    .meds = &w->med, .nmeds = 1, .news2 = &w->obs, .plan = &w->plan,
	    .clocks = w->clocks, .nclocks = 2, .flags = &w->flag,
	    .nflags = 1, .ids = (const char (*)[UUID_STR_LEN])w->ids,
	    .nids = FHIR_FIXED_IDS + 1 };
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

/* A string at a path of object members and array indexes ("0"). */
static const char *
at(const json_t *j, const char *path)
{
	char	*copy = strdup(path), *p, *save = NULL;

	for (p = strtok_r(copy, ".", &save); p && j;
	    p = strtok_r(NULL, ".", &save))
		j = json_is_array(j) ? json_array_get(j, strtoul(p, NULL, 10)) :
		    json_object_get(j, p);
	free(copy);
	if (json_is_integer(j)) {
		static char	buf[32];

		snprintf(buf, sizeof buf, "%lld",
		    (long long)json_integer_value(j));
		return buf;
	}
	return json_string_value(j);
}

/* Whether a string (or NULL) is want. */
static int
same(const char *s, const char *want)
{
	return s != NULL && strcmp(s, want) == 0;
}

/* The first resource of a type (with code, if given) in the Bundle. */
static json_t *
find(const json_t *bundle, const char *type, const char *code)
{
	json_t	*e, *r;
	size_t	 i;

	json_array_foreach(json_object_get(bundle, "entry"), i, e) {
		r = json_object_get(e, "resource");
		if (strcmp(json_string_value(json_object_get(r,
		    "resourceType")), type) != 0)
			continue;
		if (code == NULL || same(at(r, "code.coding.0.code"), code) ||
		    same(at(r, "type.coding.0.code"), code))
			return r;
	}
	return NULL;
}

static size_t
count(const json_t *bundle, const char *type)
{
	json_t	*e;
	size_t	 i, n = 0;

	json_array_foreach(json_object_get(bundle, "entry"), i, e)
		n += strcmp(json_string_value(json_object_get(json_object_get(e,
		    "resource"), "resourceType")), type) == 0;
	return n;
}

/* Every reference names an entry's fullUrl. */
static void
check_references(const json_t *j, const json_t *bundle)
{
	const char	*key, *ref;
	json_t		*v, *e;
	size_t		 i;
	int		 found;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			check_references(v, bundle);
		return;
	}
	json_object_foreach((json_t *)j, key, v) {
		if (strcmp(key, "reference") == 0) {
			ref = json_string_value(v);
			found = 0;
			json_array_foreach(json_object_get(bundle, "entry"), i, e)
				found |= strcmp(at(e, "fullUrl"), ref) == 0;
			if (!found)
				fail_msg("%s resolves to no entry", ref);
		} else if (json_is_object(v) || json_is_array(v))
			check_references(v, bundle);
	}
}

static void
test_transfer_document(void **state)
{
	struct world	*w = *state;
	json_t		*b = fhir_bundle(&w->in), *c;

	assert_non_null(b);
	assert_string_equal(at(b, "type"), "document");
	assert_string_equal(at(b, "identifier.value"),
	    "urn:uuid:5a7c1b2e-0000-4000-8000-000000000000");
	c = json_object_get(json_array_get(json_object_get(b, "entry"), 0),
	    "resource");
	assert_string_equal(at(c, "resourceType"), "Composition");
	assert_string_equal(at(c, "meta.profile.0"),
	    "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Composition");
	assert_string_equal(at(c, "type.coding.0.system"),
	    "http://snomed.info/sct");
	assert_string_equal(at(c, "type.coding.0.code"), "371535009");
	assert_string_equal(at(c, "section.0.code.coding.0.code"),
	    "medications-and-medical-devices");
	assert_string_equal(at(c, "section.1.code.coding.0.code"),
	    "observations");
	assert_string_equal(at(c, "section.2.code.coding.0.code"),
	    "plan-and-requested-actions");
	assert_string_equal(at(c, "section.3.code.coding.0.code"),
	    "safety-alerts");
	assert_string_equal(at(c, "section.0.code.coding.0.system"),
	    "https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings");
	/* MedicationRequest, MedicationAdministration. */
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(c, "section"), 0), "entry")), 2);
	assert_string_equal(at(c, "author.0.reference"),
	    "urn:uuid:5a7c1b2e-0000-4000-8000-000000000002");
	check_references(b, b);
	json_decref(b);
}

static void
test_release_type(void **state)
{
	struct world	*w = *state;
	json_t		*b;

	w->movement.kind = MOVEMENT_RELEASE;
	w->in.kind = FHIR_RELEASE;
	b = fhir_bundle(&w->in);
	assert_string_equal(at(find(b, "Composition", "373942005"),
	    "type.coding.0.display"), "Discharge summary");
	json_decref(b);
}

static void
test_patient_identifiers(void **state)
{
	struct world	*w = *state;
	json_t		*b = fhir_bundle(&w->in), *p;

	p = find(b, "Patient", NULL);
	assert_string_equal(at(p, "identifier.0.system"),
	    "urn:idtsd:prison-number");
	assert_string_equal(at(p, "identifier.0.value"), "A1000AA");
	assert_string_equal(at(p, "identifier.1.system"),
	    "https://fhir.nhs.uk/Id/nhs-number");
	assert_string_equal(at(p, "identifier.1.value"), "9434765919");
	assert_string_equal(at(p, "birthDate"), "1990-01-01");
	json_decref(b);
	/* No NHS number: the prison number alone. */
	w->patient.nhs_number[0] = '\0';
	b = fhir_bundle(&w->in);
	p = find(b, "Patient", NULL);
	assert_int_equal(json_array_size(json_object_get(p, "identifier")), 1);
	assert_string_equal(at(p, "identifier.0.system"),
	    "urn:idtsd:prison-number");
	json_decref(b);
}

/* The start and each step, each to the day before the next. */
static void
test_reducing_steps(void **state)
{
	struct world	*w = *state;
	json_t		*b = fhir_bundle(&w->in), *r, *d, *v;
	static const char *const want[][3] = {
		{ "2027-03-22", "2027-03-23", "30" },
		{ "2027-03-24", "2027-03-25", "20" },
		{ "2027-03-26", "2027-03-27", NULL },	/* 12.5, a decimal */
		{ "2027-03-28", NULL, "0" },
	};
	size_t		 i;

	r = find(b, "MedicationRequest", NULL);
	assert_string_equal(at(r, "status"), "active");
	assert_string_equal(at(r, "medicationCodeableConcept.text"),
	    "Methadone oral solution 1mg/ml");
	assert_int_equal(json_array_size(json_object_get(r,
	    "dosageInstruction")), 4);
	for (i = 0; i < 4; i++) {
		d = json_array_get(json_object_get(r, "dosageInstruction"), i);
		assert_string_equal(at(d, "timing.repeat.boundsPeriod.start"),
		    want[i][0]);
		if (want[i][1] != NULL)
			assert_string_equal(at(d,
			    "timing.repeat.boundsPeriod.end"), want[i][1]);
		else
			assert_null(at(d, "timing.repeat.boundsPeriod.end"));
		if (want[i][2] != NULL)
			assert_string_equal(at(d,
			    "doseAndRate.0.doseQuantity.value"), want[i][2]);
		assert_string_equal(at(d, "timing.repeat.timeOfDay.0"),
		    "09:00:00");
		assert_string_equal(at(d, "doseAndRate.0.doseQuantity.unit"),
		    "ml");
	}
	d = json_array_get(json_object_get(r, "dosageInstruction"), 2);
	v = json_object_get(json_object_get(json_array_get(json_object_get(d,
	    "doseAndRate"), 0), "doseQuantity"), "value");
	assert_true(json_is_real(v) && json_real_value(v) == 12.5);
	assert_string_equal(at(r, "requester.reference"),
	    "urn:uuid:0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0010");
	assert_string_equal(at(find(b, "Practitioner", NULL), "name.0.text"),
	    "Dr Doc");
	json_decref(b);
	/* Held for review: on hold. */
	w->rx.held_at = T0;
	b = fhir_bundle(&w->in);
	assert_string_equal(at(find(b, "MedicationRequest", NULL), "status"),
	    "on-hold");
	json_decref(b);
}

static void
test_performers(void **state)
{
	struct world	*w = *state;
	json_t		*b = fhir_bundle(&w->in), *a;
	const char	*sys = "http://terminology.hl7.org/CodeSystem/"
			    "med-admin-perform-function";

	a = find(b, "MedicationAdministration", NULL);
	assert_int_equal(json_array_size(json_object_get(a, "performer")), 2);
	assert_string_equal(at(a, "performer.0.function.coding.0.system"),
	    sys);
	assert_string_equal(at(a, "performer.0.function.coding.0.code"),
	    "performer");
	assert_string_equal(at(a, "performer.0.actor.reference"),
	    "urn:uuid:0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0011");
	assert_string_equal(at(a, "performer.1.function.coding.0.system"),
	    sys);
	assert_string_equal(at(a, "performer.1.function.coding.0.code"),
	    "witness");
	assert_string_equal(at(a, "performer.1.actor.reference"),
	    "urn:uuid:0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0012");
	assert_string_equal(at(a, "request.reference"),
	    "urn:uuid:0b1e6c5e-1b7a-4d4e-9c57-4a0f7a1e0003");
	assert_string_equal(at(a, "status"), "completed");
	/* Three Practitioners, each once. */
	assert_int_equal(count(b, "Practitioner"), 3);
	json_decref(b);
}

/* Each reading with its SNOMED CT and LOINC codes, the total with a
 * component for each of the seven sub-scores. */
static void
test_news2_codes(void **state)
{
	struct world	*w = *state;
	json_t		*b = fhir_bundle(&w->in), *o;
	static const char *const codes[][3] = {
		{ "86290005", "9279-1", "22" },
		{ "103228002", "2708-6", "95" },
		{ "364075005", "8867-4", "95" },
		{ "72313002", "8480-6", "120" },
	};
	size_t		 i;

	for (i = 0; i < 4; i++) {
		o = find(b, "Observation", codes[i][0]);
		assert_non_null(o);
		assert_string_equal(at(o, "code.coding.0.system"),
		    "http://snomed.info/sct");
		assert_string_equal(at(o, "code.coding.1.system"),
		    "http://loinc.org");
		assert_string_equal(at(o, "code.coding.1.code"), codes[i][1]);
		assert_string_equal(at(o, "valueQuantity.value"), codes[i][2]);
		assert_string_equal(at(o, "category.0.coding.0.code"),
		    "vital-signs");
	}
	o = find(b, "Observation", "276885007");
	assert_string_equal(at(o, "code.coding.1.code"), "8310-5");
	assert_true(json_real_value(json_object_get(json_object_get(o,
	    "valueQuantity"), "value")) == 37.1);
	assert_string_equal(at(o, "valueQuantity.code"), "Cel");
	o = find(b, "Observation", "1104441000000107");
	assert_non_null(o);
	o = find(b, "Observation", "1104051000000101");
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "valueInteger")), w->obs.result.total);
	assert_int_equal(json_array_size(json_object_get(o, "component")),
	    NEWS2_NPARAMETERS);
	assert_int_equal(json_array_size(json_object_get(o, "derivedFrom")),
	    6);
	assert_string_equal(at(o, "component.0.code.coding.0.code"),
	    "86290005");
	assert_string_equal(at(o, "component.0.valueInteger"), "2");
	assert_string_equal(at(o, "category.0.coding.0.code"), "survey");
	assert_int_equal(count(b, "Observation"), 7);
	json_decref(b);
}

static void
test_plan_clocks_flags(void **state)
{
	struct world	*w = *state;
	json_t		*b = fhir_bundle(&w->in);

	assert_string_equal(at(find(b, "CarePlan", NULL), "status"),
	    "active");
	assert_int_equal(count(b, "Task"), 2);
	assert_string_equal(at(find(b, "Task", NULL), "status"), "completed");
	assert_string_equal(at(find(b, "Task", NULL), "code.text"),
	    "Continuity clock: treatment_continued");
	assert_string_equal(at(find(b, "Flag", NULL),
	    "category.0.coding.0.code"), "drug");
	assert_string_equal(at(find(b, "Flag", NULL), "code.text"),
	    "Prescription held for review: Methadone");
	json_decref(b);
}

/* No dose yet, no NEWS2, no plan, no clock, no flag: the sections say
 * none known, and every reference still resolves. */
static void
test_no_doses_yet(void **state)
{
	struct world	*w = *state;
	json_t		*b, *c;

	w->med.has_last = 0;
	w->in.news2 = NULL;
	w->in.plan = NULL;
	w->in.nclocks = 0;
	w->in.nflags = 0;
	b = fhir_bundle(&w->in);
	assert_non_null(b);
	assert_int_equal(count(b, "MedicationAdministration"), 0);
	assert_int_equal(count(b, "Observation"), 0);
	assert_int_equal(count(b, "MedicationRequest"), 1);
	c = find(b, "Composition", NULL);
	assert_string_equal(at(c, "section.1.emptyReason.coding.0.code"),
	    "nilknown");
	assert_non_null(at(c, "section.1.text.div"));
	assert_null(json_object_get(json_array_get(json_object_get(c,
	    "section"), 1), "entry"));
	check_references(b, b);
	json_decref(b);
}

/* The export: a collection, no Composition, no signature. */
static void
test_collection(void **state)
{
	struct world	*w = *state;
	json_t		*b;

	w->in.kind = FHIR_COLLECTION;
	w->in.movement = NULL;
	b = fhir_bundle(&w->in);
	assert_string_equal(at(b, "type"), "collection");
	assert_null(find(b, "Composition", NULL));
	assert_non_null(find(b, "MedicationAdministration", NULL));
	check_references(b, b);
	json_decref(b);
}

/* Too few ids, or a document without its movement: no Bundle. */
static void
test_refused(void **state)
{
	struct world	*w = *state;

	w->in.nids = FHIR_FIXED_IDS;	/* none for the flag */
	assert_null(fhir_bundle(&w->in));
	w->in.nids = FHIR_FIXED_IDS + 1;
	w->in.movement = NULL;
	assert_null(fhir_bundle(&w->in));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transfer_document, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_release_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_patient_identifiers,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reducing_steps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_performers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_news2_codes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_plan_clocks_flags, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_doses_yet, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_collection, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
