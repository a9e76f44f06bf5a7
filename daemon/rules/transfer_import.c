/* Import at reception, decided: a transfer document read into the arrival
 * and the prescriptions it carries, each refusal naming what is wrong;
 * the product here a prescription names; and a prescription confirmed
 * today, carried on from today's dose.  Pure. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "transfer_import.h"

#define NHS_NUMBER_SYSTEM	"https://fhir.nhs.uk/Id/nhs-number"
#define PRISON_NUMBER_SYSTEM	"urn:idtsd:prison-number"
#define URN_UUID		"urn:uuid:"

/* The string at a path of object members (NULL-terminated), or NULL. */
static const char *
transfer_text(const json_t *o, const char *const path[])
{
	for (; *path != NULL && o != NULL; path++)
		o = json_object_get(o, *path);
	return json_string_value(o);
}

/* Copy text into out (size bytes) if it fits and is not blank. */
static int
transfer_copy(char *out, size_t size, const char *text)
{
	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0' ||
	    strlen(text) >= size)
		return -1;
	memcpy(out, text, strlen(text) + 1);
	return 0;
}

/* A FHIR decimal in thousandths of its unit; -1 if not a number or not
 * a whole number of thousandths. */
static int64_t
transfer_thousandths(const json_t *v)
{
	double	x;

	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= INT64_MAX / 1000)
		return json_integer_value(v) * 1000;
	if (!json_is_real(v) || (x = json_real_value(v)) < 0 || x > 1e12 ||
	    fabs(x * 1000 - round(x * 1000)) > 1e-6)
		return -1;
	return (int64_t)llround(x * 1000);
}

/* The resource of each entry of type, in order: the nth (from 0). */
static const json_t *
transfer_resource(const json_t *bundle, const char *type, size_t nth)
{
	const json_t	*e, *res;
	size_t		 i;

	json_array_foreach(json_object_get(bundle, "entry"), i, e) {
		res = json_object_get(e, "resource");
		if (json_is_object(res) && json_is_string(json_object_get(res,
		    "resourceType")) && strcmp(json_string_value(
		    json_object_get(res, "resourceType")), type) == 0 &&
		    nth-- == 0)
			return res;
	}
	return NULL;
}

/* The resource of type a reference ("urn:uuid:" and its id) names, or
 * NULL. */
static const json_t *
transfer_referenced(const json_t *bundle, const char *type, const json_t *ref)
{
	const char	*r, *id;
	const json_t	*res;
	size_t		 i;

	r = json_string_value(json_object_get(ref, "reference"));
	if (r == NULL || strncmp(r, URN_UUID, strlen(URN_UUID)) != 0)
		return NULL;
	for (i = 0; (res = transfer_resource(bundle, type, i)) != NULL; i++)
		if ((id = json_string_value(json_object_get(res, "id"))) !=
		    NULL && strcmp(id, r + strlen(URN_UUID)) == 0)
			return res;
	return NULL;
}

/* The value of a resource's identifier of system, or NULL. */
static const char *
transfer_identifier(const json_t *res, const char *system)
{
	const json_t	*id;
	const char	*s;
	size_t		 i;

	json_array_foreach(json_object_get(res, "identifier"), i, id) {
		s = json_string_value(json_object_get(id, "system"));
		if (s != NULL && strcmp(s, system) == 0)
			return json_string_value(json_object_get(id, "value"));
	}
	return NULL;
}

/* The Patient: prison number (required), NHS number (if given, valid),
 * names and date of birth. */
static int
transfer_patient(const json_t *bundle, struct patient *p, struct refusal *why)
{
	static const char *const family[] = { "family", NULL };
	const json_t	*res = transfer_resource(bundle, "Patient", 0);
	const json_t	*name;
	const char	*number, *nhs, *dob;

	if (res == NULL || transfer_resource(bundle, "Patient", 1) != NULL)
		return refuse(why, 0, "invalid_document", "the document must "
		    "hold exactly one Patient");
	number = transfer_identifier(res, PRISON_NUMBER_SYSTEM);
	if (number == NULL || validate_prison_number(number,
	    p->prison_number) == -1)
		return refuse(why, 0, "invalid_document", "the Patient has no "
		    "prison number (identifier system %s), or not one such as "
		    "A1234BC", PRISON_NUMBER_SYSTEM);
	nhs = transfer_identifier(res, NHS_NUMBER_SYSTEM);
	if (nhs != NULL && validate_nhs_number(nhs, p->nhs_number) == -1)
		return refuse(why, 0, "invalid_document", "the Patient's NHS "
		    "number %.16s fails its check digit", nhs);
	name = json_array_get(json_object_get(res, "name"), 0);
	if (transfer_copy(p->family_name, sizeof p->family_name,
	    transfer_text(name, family)) == -1 ||
	    transfer_copy(p->given_name, sizeof p->given_name,
	    json_string_value(json_array_get(json_object_get(name, "given"),
	    0))) == -1)
		return refuse(why, 0, "invalid_document", "the Patient has no "
		    "name: name[0].family and name[0].given[0]");
	dob = json_string_value(json_object_get(res, "birthDate"));
	if (dob == NULL || timefmt_parse_date(dob, &p->date_of_birth) == -1)
		return refuse(why, 0, "invalid_document", "the Patient has no "
		    "birthDate written YYYY-MM-DD");
	return 0;
}

/* What the medication of a MedicationRequest (or MedicationAdministration)
 * is called. */
static int
transfer_medication(const json_t *res, struct transfer_drug *d)
{
	static const char *const text[] = {
		"medicationCodeableConcept", "text", NULL
	};
	const char	*t = transfer_text(res, text);

	memset(d, 0, sizeof *d);
	if (transfer_copy(d->text, sizeof d->text, t) == -1)
		return -1;
	return 0;
}

/* One dosageInstruction: its round times, every how many days, when it
 * starts (and ends) and its dose. */
struct transfer_dosage {
	int			times[PRESCRIPTION_MAX_TIMES];
	int			ntimes;
	int			every_days;
	struct civil_date	from, to;
	int			has_to;
	int64_t			dose;
};

/* Read a dosageInstruction: timing.repeat.{timeOfDay, period, periodUnit
 * "d", boundsPeriod} and doseAndRate[0].doseQuantity.value. */
static int
transfer_dosage(const json_t *di, struct transfer_dosage *d)
{
	const json_t	*rep, *bounds, *t;
	const char	*s;
	char		 hhmm[6];
	size_t		 i;

	memset(d, 0, sizeof *d);
	rep = json_object_get(json_object_get(di, "timing"), "repeat");
	bounds = json_object_get(rep, "boundsPeriod");
	if (json_array_size(json_object_get(rep, "timeOfDay")) < 1 ||
	    json_array_size(json_object_get(rep, "timeOfDay")) >
	    PRESCRIPTION_MAX_TIMES)
		return -1;
	json_array_foreach(json_object_get(rep, "timeOfDay"), i, t) {
		if ((s = json_string_value(t)) == NULL || strlen(s) < 5)
			return -1;
		memcpy(hhmm, s, 5);
		hhmm[5] = '\0';
		if (prescription_time_parse(hhmm, &d->times[i]) == -1)
			return -1;
	}
	d->ntimes = (int)i;
	d->every_days = 1;
	if ((t = json_object_get(rep, "period")) != NULL) {
		s = json_string_value(json_object_get(rep, "periodUnit"));
		if (!json_is_integer(t) || s == NULL || strcmp(s, "d") != 0)
			return -1;
		d->every_days = (int)json_integer_value(t);
	}
	if ((s = json_string_value(json_object_get(bounds, "start"))) == NULL ||
	    timefmt_parse_date(s, &d->from) == -1)
		return -1;
	if ((s = json_string_value(json_object_get(bounds, "end"))) != NULL &&
	    timefmt_parse_date(s, &d->to) == -1)
		return -1;
	d->has_to = s != NULL;
	d->dose = transfer_thousandths(json_object_get(json_object_get(
	    json_array_get(json_object_get(di, "doseAndRate"), 0),
	    "doseQuantity"), "value"));
	return d->dose < 0 ? -1 : 0;
}

/* The dosageInstructions into rx: the first is the start and its dose,
 * each after it a reducing step; every one at the same round times. */
static int
transfer_dosages(const json_t *list, struct prescription *rx)
{
	struct transfer_dosage	d;
	const json_t		*di;
	size_t			i;

	if (json_array_size(list) < 1 ||
	    json_array_size(list) > PRESCRIPTION_MAX_STEPS + 1)
		return -1;
	json_array_foreach(list, i, di) {
		if (transfer_dosage(di, &d) == -1)
			return -1;
		if (i == 0) {
			memcpy(rx->times, d.times, sizeof rx->times);
			rx->ntimes = d.ntimes;
			rx->every_days = d.every_days;
			rx->start = d.from;
			rx->dose = d.dose;
		} else if (d.ntimes != rx->ntimes || memcmp(d.times,
		    rx->times, sizeof d.times) != 0 ||
		    d.every_days != rx->every_days)
			return -1;
		else {
			rx->steps[rx->nsteps].from = d.from;
			rx->steps[rx->nsteps++].dose = d.dose;
		}
		rx->end = d.to;
		rx->has_end = d.has_to;
	}
	rx->regimen = rx->nsteps > 0 ? REGIMEN_REDUCING : REGIMEN_MAINTENANCE;
	return 0;
}

/* A MedicationRequest as the sender wrote it: the drug, who prescribed
 * it, and the prescription (round times, dose, reducing steps). */
int
transfer_rx_read(const json_t *request, struct transfer_drug *drug,
    struct prescription *rx, struct refusal *why)
{
	static const char *const requester[] = {
		"requester", "display", NULL
	};
	const json_t	*dose;

	memset(rx, 0, sizeof *rx);
	if (transfer_medication(request, drug) == -1)
		return refuse(why, 0, "invalid_document", "a MedicationRequest "
		    "names no medication (medicationCodeableConcept.text)");
	if (transfer_copy(drug->prescriber, sizeof drug->prescriber,
	    transfer_text(request, requester)) == -1)
		return refuse(why, 0, "invalid_document", "the "
		    "MedicationRequest of %s names no prescriber "
		    "(requester.display)", drug->text);
	if (transfer_dosages(json_object_get(request, "dosageInstruction"),
	    rx) == -1)
		return refuse(why, 0, "invalid_document", "the "
		    "MedicationRequest of %s has no dosage this unit can give: "
		    "each dosageInstruction needs timing.repeat.timeOfDay, "
		    "boundsPeriod.start, the same times, and a "
		    "doseAndRate[0].doseQuantity.value", drug->text);
	dose = json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(request, "dosageInstruction"), 0),
	    "doseAndRate"), 0), "doseQuantity");
	if (transfer_copy(drug->unit, sizeof drug->unit, json_string_value(
	    json_object_get(dose, "unit"))) == -1)
		return refuse(why, 0, "invalid_document", "the "
		    "MedicationRequest of %s gives no unit of its dose "
		    "(doseQuantity.unit)", drug->text);
	return 0;
}

/* Whether a product is the one a document names: its name, form and
 * strength, compared without regard to case. */
const struct product *
transfer_product_match(const struct transfer_drug *drug,
    const struct product *products, size_t n)
{
	char	text[sizeof drug->text];
	size_t	i;

	for (i = 0; i < n; i++) {
		snprintf(text, sizeof text, "%s %s %s", products[i].name,
		    products[i].form, products[i].strength);
		if (strcasecmp(text, drug->text) == 0)
			return &products[i];
	}
	return NULL;
}

/* The MedicationRequest as stored to be confirmed: a copy, its
 * requester's display filled from the Practitioner it names, so that it
 * reads alone (transfer_rx_read). */
static json_t *
transfer_rx_copy(const json_t *bundle, const json_t *res)
{
	static const char *const text[] = { "text", NULL };
	const json_t	*who;
	json_t		*copy, *requester;
	const char	*name;

	if ((copy = json_deep_copy(res)) == NULL)
		return NULL;
	requester = json_object_get(copy, "requester");
	if (!json_is_object(requester) ||
	    json_object_get(requester, "display") != NULL)
		return copy;
	who = transfer_referenced(bundle, "Practitioner", requester);
	name = transfer_text(json_array_get(json_object_get(who, "name"), 0),
	    text);
	if (name != NULL)
		json_object_set_new(requester, "display", json_string(name));
	return copy;
}

/* Whether a MedicationRequest is in force: active, or held for review
 * (the receiving prescriber decides). */
static int
transfer_in_force(const json_t *res)
{
	const char	*status = json_string_value(json_object_get(res,
	    "status"));

	return status != NULL && (strcmp(status, "active") == 0 ||
	    strcmp(status, "on-hold") == 0);
}

/* Read every MedicationRequest in force. */
static int
transfer_rxs(const json_t *bundle, struct transfer_document *doc,
    struct refusal *why)
{
	const json_t		*res;
	struct transfer_rx	*t;
	size_t			 i;

	for (i = 0; (res = transfer_resource(bundle, "MedicationRequest",
	    i)) != NULL; i++) {
		if (!transfer_in_force(res))
			continue;
		if (doc->nrx == TRANSFER_MAX_RX)
			return refuse(why, 0, "invalid_document", "the "
			    "document holds more than %d prescriptions in "
			    "force", TRANSFER_MAX_RX);
		t = &doc->rxs[doc->nrx++];
		if ((t->request = transfer_rx_copy(bundle, res)) == NULL)
			return refuse(why, 0, "out_of_memory", "try again");
		if (transfer_rx_read(t->request, &t->drug, &t->rx, why) == -1)
			return -1;
	}
	return 0;
}

/* When the last dose of a MedicationRequest was given: the latest
 * completed MedicationAdministration whose request names it. */
static void
transfer_last_dose(const json_t *bundle, const json_t *request,
    struct community_treatment *ct)
{
	static const char *const when[] = { "effectiveDateTime", NULL };
	const json_t	*res;
	const char	*status, *at_text;
	int64_t		 at;
	size_t		 i;

	for (i = 0; (res = transfer_resource(bundle,
	    "MedicationAdministration", i)) != NULL; i++) {
		status = json_string_value(json_object_get(res, "status"));
		at_text = transfer_text(res, when);
		if (status == NULL || strcmp(status, "completed") != 0 ||
		    at_text == NULL || timefmt_parse_instant(at_text, &at) ==
		    -1 || transfer_referenced(bundle, "MedicationRequest",
		    json_object_get(res, "request")) != request)
			continue;
		if (!ct->has_last_dose || at > ct->last_dose_at) {
			ct->last_dose_at = at;
			ct->has_last_dose = 1;
		}
	}
}

/* The treatment the patient arrives on (the first prescription in force,
 * at today's dose) and its last dose given: what reception would
 * otherwise have asked. */
static void
transfer_community(const json_t *bundle, struct civil_date today,
    struct transfer_document *doc)
{
	struct community_treatment	*ct = &doc->patient.community;
	const struct transfer_rx	*t = &doc->rxs[0];
	const json_t			*res;
	size_t				 i;

	if (doc->nrx == 0)
		return;
	doc->patient.in_treatment = 1;
	snprintf(ct->drug, sizeof ct->drug, "%.*s", PATIENT_NAME_MAX,
	    t->drug.text);
	ct->dose = prescription_dose_on(&t->rx, today);
	snprintf(ct->unit, sizeof ct->unit, "%s", t->drug.unit);
	snprintf(ct->prescriber, sizeof ct->prescriber, "%.*s (%s)",
	    PATIENT_NAME_MAX - TRANSFER_CODE_MAX - 3, t->drug.prescriber,
	    doc->sender);
	/* The first in force, in the Bundle (t->request is a copy). */
	for (i = 0; (res = transfer_resource(bundle, "MedicationRequest",
	    i)) != NULL && !transfer_in_force(res); i++)
		;
	transfer_last_dose(bundle, res, ct);
}

/* Read a verified document: a FHIR document Bundle signed by its sender,
 * with one Patient, and its prescriptions in force (transfer_free() lets
 * them go).  Returns 0, or -1 with
 * why (422 invalid_document naming what is wrong or missing). */
int
transfer_read(const json_t *bundle, struct civil_date today,
    struct transfer_document *doc, struct refusal *why)
{
	static const char *const type[] = { "type", NULL };
	static const char *const sender[] = {
		"signature", "who", "identifier", "value", NULL
	};
	static const char *const ident[] = { "identifier", "value", NULL };
	const char	*s;

	memset(doc, 0, sizeof *doc);
	if ((s = transfer_text(bundle, type)) == NULL ||
	    strcmp(s, "document") != 0 ||
	    (s = json_string_value(json_object_get(bundle,
	    "resourceType"))) == NULL || strcmp(s, "Bundle") != 0)
		return refuse(why, 0, "invalid_document", "a transfer document "
		    "is a FHIR Bundle of type document");
	if (transfer_copy(doc->sender, sizeof doc->sender,
	    transfer_text(bundle, sender)) == -1 ||
	    transfer_copy(doc->document_id, sizeof doc->document_id,
	    transfer_text(bundle, ident)) == -1)
		return refuse(why, 0, "invalid_document", "the document has no "
		    "identifier.value, or no signer");
	if (transfer_resource(bundle, "Composition", 0) == NULL)
		return refuse(why, 0, "invalid_document", "a document Bundle "
		    "starts with its Composition");
	if (transfer_patient(bundle, &doc->patient, why) == -1 ||
	    transfer_rxs(bundle, doc, why) == -1) {
		transfer_free(doc);
		return -1;
	}
	transfer_community(bundle, today, doc);
	/* The observation plan a stimulant user starts with. */
	doc->patient.stimulant_user = transfer_resource(bundle, "CarePlan", 0)
	    != NULL;
	return 0;
}

/* Let go of what transfer_read() kept (the copies of the requests). */
void
transfer_free(struct transfer_document *doc)
{
	int	i;

	for (i = 0; i < doc->nrx; i++) {
		json_decref(doc->rxs[i].request);
		doc->rxs[i].request = NULL;
	}
	doc->nrx = 0;
}

/* What confirming the sender's prescription today writes: from today
 * (or its own start, if later), at the dose it gives today, with the
 * reducing steps still to come; a reduction with no step left goes on as
 * maintenance to its end.  -1 with why if nothing of it is left. */
int
transfer_rx_from(const struct prescription *sent, struct civil_date today,
    struct prescription *out, struct refusal *why)
{
	int	i;

	*out = *sent;
	if (sent->has_end && timefmt_date_cmp(sent->end, today) < 0)
		return refuse(why, 0, "transfer_prescription_ended", "the "
		    "sending prison's prescription ended before today; write "
		    "a new one if it is still needed");
	if (timefmt_date_cmp(sent->start, today) < 0)
		out->start = today;
	if ((out->dose = prescription_dose_on(sent, out->start)) == 0)
		return refuse(why, 0, "transfer_prescription_ended", "the "
		    "sending prison's reduction has reached nothing; write a "
		    "new prescription if one is still needed");
	out->nsteps = 0;
	for (i = 0; i < sent->nsteps; i++)
		if (timefmt_date_cmp(sent->steps[i].from, out->start) > 0)
			out->steps[out->nsteps++] = sent->steps[i];
	if (out->nsteps == 0)
		out->regimen = REGIMEN_MAINTENANCE;
	return 0;
}
