/* Import at reception, decided: a transfer document read into the
 * arrival (names, prison and NHS numbers, the treatment it arrives on and
 * its last dose) and its prescriptions in force (maintenance, and a
 * reducing regimen with its steps), each malformed or incomplete document
 * refused naming what is wrong, the product here a prescription names, and
 * a prescription confirmed today carried on from today's step, across the
 * spring change of the clocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "transfer_import.h"

/* A document as a sending idtsd writes it, abridged: a methadone
 * reduction (30 ml, 25.5 ml from the 28th of March, 0 from the 4th of
 * April; its prescriber a Practitioner referred to), a maintenance
 * prescription held for review, the last doses of each, one request
 * stopped, and the observation plan of a stimulant user. */
static const char DOCUMENT[] = "{"
    "\"resourceType\":\"Bundle\",\"type\":\"document\","
    "\"identifier\":{\"system\":\"urn:ietf:rfc:3986\","
    "\"value\":\"urn:uuid:7d0c2a8e-3f3e-4f51-9a53-0c3d7c1e2b11\"},"
    "\"signature\":{\"who\":{\"identifier\":{\"system\":"
    "\"urn:idtsd:establishment\",\"value\":\"HMPAAA\"}}},"
    "\"entry\":["
    "{\"resource\":{\"resourceType\":\"Composition\"}},"
    "{\"resource\":{\"resourceType\":\"Patient\",\"identifier\":["
    "{\"system\":\"urn:idtsd:prison-number\",\"value\":\"A1234BC\"},"
    "{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\","
    "\"value\":\"9434765919\"}],"
    "\"name\":[{\"family\":\"Smith\",\"given\":[\"Jo\"]}],"
    "\"birthDate\":\"1990-05-01\"}},"
    "{\"resource\":{\"resourceType\":\"Practitioner\","
    "\"id\":\"5b1e0d0c-0000-4000-8000-000000000001\","
    "\"name\":[{\"text\":\"Dr Ash\"}]}},"
    "{\"resource\":{\"resourceType\":\"MedicationRequest\","
    "\"id\":\"5b1e0d0c-0000-4000-8000-0000000000a1\","
    "\"status\":\"active\","
    "\"medicationCodeableConcept\":{\"text\":"
    "\"Methadone oral solution 1mg/ml\"},"
    "\"requester\":{\"reference\":"
    "\"urn:uuid:5b1e0d0c-0000-4000-8000-000000000001\"},"
    "\"dosageInstruction\":["
    "{\"timing\":{\"repeat\":{\"timeOfDay\":[\"08:00:00\"],"
    "\"boundsPeriod\":{\"start\":\"2027-03-20\"}}},"
    "\"doseAndRate\":[{\"doseQuantity\":{\"value\":30,\"unit\":\"ml\"}}]},"
    "{\"timing\":{\"repeat\":{\"timeOfDay\":[\"08:00:00\"],"
    "\"boundsPeriod\":{\"start\":\"2027-03-28\"}}},"
    "\"doseAndRate\":[{\"doseQuantity\":{\"value\":25.5,\"unit\":\"ml\"}}]},"
    "{\"timing\":{\"repeat\":{\"timeOfDay\":[\"08:00:00\"],"
    "\"boundsPeriod\":{\"start\":\"2027-04-04\"}}},"
    "\"doseAndRate\":[{\"doseQuantity\":{\"value\":0,\"unit\":\"ml\"}}]}"
    "]}},"
    "{\"resource\":{\"resourceType\":\"MedicationRequest\","
    "\"status\":\"stopped\","
    "\"medicationCodeableConcept\":{\"text\":\"Diazepam tablet 5mg\"}}},"
    "{\"resource\":{\"resourceType\":\"MedicationRequest\","
    "\"id\":\"5b1e0d0c-0000-4000-8000-0000000000a2\","
    "\"status\":\"on-hold\","
    "\"medicationCodeableConcept\":{\"text\":\"Lofexidine tablet 200mcg\"},"
    "\"requester\":{\"display\":\"Dr Ash\"},"
    "\"dosageInstruction\":["
    "{\"timing\":{\"repeat\":{\"timeOfDay\":[\"08:00:00\",\"20:00:00\"],"
    "\"period\":1,\"periodUnit\":\"d\","
    "\"boundsPeriod\":{\"start\":\"2027-03-21\",\"end\":\"2027-04-30\"}}},"
    "\"doseAndRate\":[{\"doseQuantity\":{\"value\":1,\"unit\":\"tablet\"}}]}"
    "]}},"
    "{\"resource\":{\"resourceType\":\"MedicationAdministration\","
    "\"status\":\"completed\",\"request\":{\"reference\":"
    "\"urn:uuid:5b1e0d0c-0000-4000-8000-0000000000a1\"},"
    "\"effectiveDateTime\":\"2027-03-27T08:05:00Z\"}},"
    "{\"resource\":{\"resourceType\":\"MedicationAdministration\","
    "\"status\":\"completed\",\"request\":{\"reference\":"
    "\"urn:uuid:5b1e0d0c-0000-4000-8000-0000000000a1\"},"
    "\"effectiveDateTime\":\"2027-03-26T08:03:00Z\"}},"
    "{\"resource\":{\"resourceType\":\"MedicationAdministration\","
    "\"status\":\"completed\",\"request\":{\"reference\":"
    "\"urn:uuid:5b1e0d0c-0000-4000-8000-0000000000a2\"},"
    "\"effectiveDateTime\":\"2027-03-27T20:00:00Z\"}},"
    "{\"resource\":{\"resourceType\":\"CarePlan\","
    "\"status\":\"active\"}}"
    "]}";

static struct civil_date
date(const char *s)
{
	struct civil_date	d;

	assert_int_equal(timefmt_parse_date(s, &d), 0);
	return d;
}

static json_t *
document(void)
{
	json_t	*b = json_loads(DOCUMENT, 0, NULL);

	assert_non_null(b);
	return b;
}

/* The first resource of a type in b. */
static json_t *
resource(json_t *b, const char *type)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(json_object_get(b, "entry"), i, e)
		if (strcmp(json_string_value(json_object_get(json_object_get(e,
		    "resource"), "resourceType")), type) == 0)
			return json_object_get(e, "resource");
	fail_msg("no %s", type);
	return NULL;
}

/* The nth dosageInstruction of the first MedicationRequest in b, its
 * timing.repeat and its doseQuantity. */
static json_t *
dosage(json_t *b, size_t n)
{
	return json_array_get(json_object_get(resource(b, "MedicationRequest"),
	    "dosageInstruction"), n);
}

static json_t *
repeat(json_t *b, size_t n)
{
	return json_object_get(json_object_get(dosage(b, n), "timing"),
	    "repeat");
}

static json_t *
quantity(json_t *b, size_t n)
{
	return json_object_get(json_array_get(json_object_get(dosage(b, n),
	    "doseAndRate"), 0), "doseQuantity");
}

/* Read b on date today, expecting a refusal whose message has words. */
static void
refused(json_t *b, const char *words)
{
	struct transfer_document	*doc = calloc(1, sizeof *doc);
	struct refusal			 why;

	assert_int_equal(transfer_read(b, date("2027-03-28"), doc, &why), -1);
	assert_string_equal(why.code, "invalid_document");
	assert_int_equal(why.conflict, 0);
	if (strstr(why.message, words) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", why.message, words);
	free(doc);
	json_decref(b);
}

/* The arrival and its prescriptions in force, as the document says. */
static void
test_read(void **state)
{
	struct transfer_document	*doc = calloc(1, sizeof *doc);
	const struct prescription	*rx;
	struct refusal			 why;
	json_t				*b = document();
	int64_t				 last;

	(void)state;
	assert_int_equal(transfer_read(b, date("2027-03-28"), doc, &why), 0);
	assert_string_equal(doc->sender, "HMPAAA");
	assert_string_equal(doc->document_id,
	    "urn:uuid:7d0c2a8e-3f3e-4f51-9a53-0c3d7c1e2b11");
	assert_string_equal(doc->patient.prison_number, "A1234BC");
	assert_string_equal(doc->patient.nhs_number, "9434765919");
	assert_string_equal(doc->patient.given_name, "Jo");
	assert_string_equal(doc->patient.family_name, "Smith");
	assert_int_equal(timefmt_date_cmp(doc->patient.date_of_birth,
	    date("1990-05-01")), 0);
	/* The stopped request is not in force. */
	assert_int_equal(doc->nrx, 2);
	rx = &doc->rxs[0].rx;
	assert_string_equal(doc->rxs[0].drug.text,
	    "Methadone oral solution 1mg/ml");
	assert_string_equal(doc->rxs[0].drug.unit, "ml");
	assert_string_equal(doc->rxs[0].drug.prescriber, "Dr Ash");
	assert_int_equal(rx->regimen, REGIMEN_REDUCING);
	assert_int_equal(rx->dose, 30000);
	assert_int_equal(rx->ntimes, 1);
	assert_int_equal(rx->times[0], 8 * 60);
	assert_int_equal(rx->every_days, 1);
	assert_int_equal(rx->nsteps, 2);
	assert_int_equal(rx->steps[0].dose, 25500);
	assert_int_equal(timefmt_date_cmp(rx->steps[1].from,
	    date("2027-04-04")), 0);
	assert_int_equal(rx->steps[1].dose, 0);
	assert_int_equal(rx->has_end, 0);
	rx = &doc->rxs[1].rx;
	assert_int_equal(rx->regimen, REGIMEN_MAINTENANCE);
	assert_int_equal(rx->ntimes, 2);
	assert_int_equal(rx->times[1], 20 * 60);
	assert_int_equal(rx->has_end, 1);
	assert_int_equal(timefmt_date_cmp(rx->end, date("2027-04-30")), 0);
	/* The treatment it arrives on: the first in force, at today's step,
	 * its last dose the latest given. */
	assert_true(doc->patient.in_treatment);
	assert_string_equal(doc->patient.community.drug,
	    "Methadone oral solution 1mg/ml");
	assert_int_equal(doc->patient.community.dose, 25500);
	assert_string_equal(doc->patient.community.unit, "ml");
	assert_string_equal(doc->patient.community.prescriber,
	    "Dr Ash (HMPAAA)");
	assert_int_equal(timefmt_parse_instant("2027-03-27T08:05:00Z", &last),
	    0);
	/* (Not the later dose of the other request.) */
	assert_true(doc->patient.community.has_last_dose);
	assert_int_equal(doc->patient.community.last_dose_at, last);
	/* Kept to be confirmed: the request, its prescriber's name with it. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    doc->rxs[0].request, "requester"), "display")), "Dr Ash");
	/* An observation plan: a stimulant user's starts here. */
	assert_true(doc->patient.stimulant_user);
	transfer_free(doc);
	/* The day before the step, the dose before it. */
	json_array_remove(json_object_get(b, "entry"),
	    json_array_size(json_object_get(b, "entry")) - 1);
	assert_int_equal(transfer_read(b, date("2027-03-27"), doc, &why), 0);
	assert_int_equal(doc->patient.community.dose, 30000);
	assert_false(doc->patient.stimulant_user);
	transfer_free(doc);
	json_decref(b);
	free(doc);
}

/* No prescription in force: not in treatment (no clocks start). */
static void
test_read_not_in_treatment(void **state)
{
	struct transfer_document	*doc = calloc(1, sizeof *doc);
	struct refusal			 why;
	json_t				*b = document();
	json_t				*e;
	size_t				 i;

	(void)state;
	json_array_foreach(json_object_get(b, "entry"), i, e)
		if (strcmp(json_string_value(json_object_get(json_object_get(e,
		    "resource"), "resourceType")), "MedicationRequest") == 0)
			json_object_set_new(json_object_get(e, "resource"),
			    "status", json_string("completed"));
	assert_int_equal(transfer_read(b, date("2027-03-28"), doc, &why), 0);
	assert_int_equal(doc->nrx, 0);
	assert_false(doc->patient.in_treatment);
	transfer_free(doc);
	json_decref(b);
	free(doc);
}

/* Every malformed or incomplete document is refused saying what. */
static void
test_refusals(void **state)
{
	json_t	*b;

	(void)state;
	b = document();
	json_object_set_new(b, "type", json_string("collection"));
	refused(b, "Bundle of type document");
	b = document();
	json_object_del(b, "identifier");
	refused(b, "identifier.value");
	b = document();
	json_object_del(b, "signature");
	refused(b, "signer");
	b = document();
	json_array_remove(json_object_get(b, "entry"), 0);
	refused(b, "Composition");
	b = document();
	json_array_remove(json_object_get(b, "entry"), 1);
	refused(b, "exactly one Patient");
	b = document();
	json_array_append(json_object_get(b, "entry"), json_array_get(
	    json_object_get(b, "entry"), 1));
	refused(b, "exactly one Patient");
	b = document();
	json_object_set_new(json_array_get(json_object_get(resource(b,
	    "Patient"), "identifier"), 0), "value", json_string("1234ABC"));
	refused(b, "prison number");
	b = document();
	json_object_set_new(json_array_get(json_object_get(resource(b,
	    "Patient"), "identifier"), 1), "value", json_string("9434765918"));
	refused(b, "check digit");
	b = document();
	json_object_del(resource(b, "Patient"), "name");
	refused(b, "no name");
	b = document();
	json_object_set_new(resource(b, "Patient"), "birthDate",
	    json_string("1990-02-30"));
	refused(b, "birthDate");
	b = document();
	json_object_del(resource(b, "MedicationRequest"), "requester");
	refused(b, "Methadone oral solution 1mg/ml names no prescriber");
	b = document();
	json_object_del(resource(b, "MedicationRequest"),
	    "medicationCodeableConcept");
	refused(b, "names no medication");
	b = document();
	json_object_set_new(repeat(b, 1), "timeOfDay", json_pack("[s]",
	    "09:00:00"));
	refused(b, "the same times");
	b = document();
	json_object_set_new(quantity(b, 0), "value", json_real(30.0001));
	refused(b, "doseQuantity.value");
	b = document();
	json_object_del(quantity(b, 0), "unit");
	refused(b, "doseQuantity.unit");
	b = document();
	json_object_set_new(repeat(b, 0), "periodUnit", json_string("h"));
	json_object_set_new(repeat(b, 0), "period", json_integer(1));
	refused(b, "dosage this unit can give");
}

/* The product here a document names: name, form and strength, in any
 * case; none when no product is that one. */
static void
test_product_match(void **state)
{
	struct product		ps[2];
	struct transfer_drug	d;

	(void)state;
	memset(ps, 0, sizeof ps);
	strcpy(ps[0].name, "Buprenorphine");
	strcpy(ps[0].form, "tablet");
	strcpy(ps[0].strength, "8mg");
	strcpy(ps[1].name, "Methadone");
	strcpy(ps[1].form, "oral solution");
	strcpy(ps[1].strength, "1mg/ml");
	memset(&d, 0, sizeof d);
	strcpy(d.text, "methadone Oral Solution 1MG/ML");
	assert_ptr_equal(transfer_product_match(&d, ps, 2), &ps[1]);
	strcpy(d.text, "Methadone oral solution 10mg/ml");
	assert_null(transfer_product_match(&d, ps, 2));
	assert_null(transfer_product_match(&d, ps, 0));
}

/* A prescription confirmed today goes on from today's dose with the
 * steps still to come. */
static void
test_rx_from(void **state)
{
	struct transfer_document	*doc = calloc(1, sizeof *doc);
	struct prescription		*out = calloc(1, sizeof *out);
	const struct prescription	*sent;
	struct refusal			 why;
	json_t				*b = document();

	(void)state;
	assert_int_equal(transfer_read(b, date("2027-03-28"), doc, &why), 0);
	sent = &doc->rxs[0].rx;
	/* Before the first step: 30 ml from today, both steps to come. */
	assert_int_equal(transfer_rx_from(sent, date("2027-03-27"), out,
	    &why), 0);
	assert_int_equal(timefmt_date_cmp(out->start, date("2027-03-27")), 0);
	assert_int_equal(out->dose, 30000);
	assert_int_equal(out->nsteps, 2);
	assert_int_equal(out->regimen, REGIMEN_REDUCING);
	/* On the step's day (the clocks go forward): its dose from today,
	 * the last step to come. */
	assert_int_equal(transfer_rx_from(sent, date("2027-03-28"), out,
	    &why), 0);
	assert_int_equal(timefmt_date_cmp(out->start, date("2027-03-28")), 0);
	assert_int_equal(out->dose, 25500);
	assert_int_equal(out->nsteps, 1);
	assert_int_equal(out->steps[0].dose, 0);
	assert_int_equal(prescription_check(out, date("2027-03-28"), &why), 0);
	/* The reduction over: nothing left to confirm. */
	assert_int_equal(transfer_rx_from(sent, date("2027-04-04"), out,
	    &why), -1);
	assert_string_equal(why.code, "transfer_prescription_ended");
	/* Maintenance: from today, to its end; after its end, nothing. */
	sent = &doc->rxs[1].rx;
	assert_int_equal(transfer_rx_from(sent, date("2027-04-30"), out,
	    &why), 0);
	assert_int_equal(out->regimen, REGIMEN_MAINTENANCE);
	assert_int_equal(timefmt_date_cmp(out->start, date("2027-04-30")), 0);
	assert_int_equal(prescription_check(out, date("2027-04-30"), &why), 0);
	assert_int_equal(transfer_rx_from(sent, date("2027-05-01"), out,
	    &why), -1);
	assert_string_equal(why.code, "transfer_prescription_ended");
	/* Not started yet: its own start kept. */
	assert_int_equal(transfer_rx_from(sent, date("2027-03-20"), out,
	    &why), 0);
	assert_int_equal(timefmt_date_cmp(out->start, date("2027-03-21")), 0);
	transfer_free(doc);
	json_decref(b);
	free(out);
	free(doc);
}

/* A reduction whose last step is behind, ending on a date: it goes on as
 * maintenance at the last step's dose to that end. */
static void
test_rx_from_last_step(void **state)
{
	struct prescription	*sent = calloc(1, sizeof *sent);
	struct prescription	*out = calloc(1, sizeof *out);
	struct refusal		 why;

	(void)state;
	sent->regimen = REGIMEN_REDUCING;
	sent->dose = 20000;
	sent->ntimes = 1;
	sent->times[0] = 8 * 60;
	sent->every_days = 1;
	sent->start = date("2026-12-01");
	sent->steps[0].from = date("2026-12-05");
	sent->steps[0].dose = 10000;
	sent->nsteps = 1;
	sent->end = date("2026-12-20");
	sent->has_end = 1;
	assert_int_equal(transfer_rx_from(sent, date("2026-12-08"), out,
	    &why), 0);
	assert_int_equal(out->regimen, REGIMEN_MAINTENANCE);
	assert_int_equal(out->dose, 10000);
	assert_int_equal(out->nsteps, 0);
	assert_int_equal(prescription_check(out, date("2026-12-08"), &why), 0);
	free(sent);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_not_in_treatment),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_product_match),
		cmocka_unit_test(test_rx_from),
		cmocka_unit_test(test_rx_from_last_step),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
