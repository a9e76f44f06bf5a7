/* The medicines of the FHIR Bundle: each prescription in force as a
 * MedicationRequest (drug, strength, dose, timing, its reducing steps,
 * the prescriber) and its last dose given as a MedicationAdministration
 * with both signatories.  Pure. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "fhir_internal.h"

#define FHIR_PERFORM_FUNCTION \
	"http://terminology.hl7.org/CodeSystem/med-admin-perform-function"

/* What the drug is: the product's name, form and strength. */
static json_t *
fhir_medication_concept(const struct product *p)
{
	char	text[PRODUCT_TEXT_MAX * 12 + 8];

	snprintf(text, sizeof text, "%s %s %s", p->name, p->form,
	    p->strength);
	return json_pack("{s:s}", "text", text);
}

/* A dose in the product's unit. */
static json_t *
fhir_dose_quantity(int64_t thousandths, const struct product *p)
{
	return json_pack("{s:o, s:s}", "value", fhir_decimal(thousandths),
	    "unit", p->unit);
}

/* The round times as FHIR times of day. */
static json_t *
fhir_times(const struct prescription *rx)
{
	json_t	*times = json_array();
	char	 t[32];
	int	 i;

	for (i = 0; times != NULL && i < rx->ntimes; i++) {
		snprintf(t, sizeof t, "%02d:%02d:00", rx->times[i] / 60,
		    rx->times[i] % 60);
		json_array_append_new(times, json_string(t));
	}
	return times;
}

/* One Dosage: dose from from until the day before until (or the
 * prescription's end, or open), at the round times, every so many days. */
static json_t *
fhir_dosage(const struct fhir_medication *m, int seq, int64_t dose,
    struct civil_date from, const struct civil_date *until)
{
	const struct prescription	*rx = m->rx;
	json_t				*period;
	char				 text[64];

	period = json_pack("{s:o}", "start", fhir_date(from));
	if (period != NULL && (until != NULL || rx->has_end))
		json_object_set_new(period, "end", fhir_date(until != NULL ?
		    calendar_add_days(*until, -1) : rx->end));
	if (seq == 1)
		snprintf(text, sizeof text, "%s, from the start",
		    prescription_regimen_name(rx->regimen));
	else
		snprintf(text, sizeof text, "%s, step %d",
		    prescription_regimen_name(rx->regimen), seq - 1);
	return json_pack("{s:i, s:s, s:{s:{s:o, s:i, s:i, s:s, s:o}},"
	    " s:[{s:o}]}", "sequence", seq, "text", text,
	    "timing", "repeat", "boundsPeriod", period,
	    "frequency", rx->ntimes, "period", rx->every_days,
	    "periodUnit", "d", "timeOfDay", fhir_times(rx),
	    "doseAndRate", "doseQuantity", fhir_dose_quantity(dose,
	    m->product));
}

/* The dose from the start, then each reducing step from its date. */
static json_t *
fhir_dosages(const struct fhir_medication *m)
{
	const struct prescription	*rx = m->rx;
	json_t				*list = json_array();
	int				 i;

	json_array_append_new(list, fhir_dosage(m, 1, rx->dose, rx->start,
	    rx->nsteps > 0 ? &rx->steps[0].from : NULL));
	for (i = 0; i < rx->nsteps; i++)
		json_array_append_new(list, fhir_dosage(m, i + 2,
		    rx->steps[i].dose, rx->steps[i].from, i + 1 < rx->nsteps ?
		    &rx->steps[i + 1].from : NULL));
	return list;
}

/* A prescription in force: on hold while held for review. */
static void
fhir_request(struct fhir_build *b, const struct fhir_medication *m)
{
	json_t	*res, *who;

	res = json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o}",
	    "resourceType", "MedicationRequest", "id", m->rx->id,
	    "meta", fhir_profile("MedicationRequest"),
	    "status", m->rx->held_at ? "on-hold" : "active",
	    "intent", "order",
	    "medicationCodeableConcept", fhir_medication_concept(m->product),
	    "subject", fhir_patient_ref(b),
	    "authoredOn", fhir_instant(m->rx->created_at),
	    "dosageInstruction", fhir_dosages(m));
	if (res != NULL && (who = fhir_person_ref(b, &m->prescriber)) != NULL)
		json_object_set_new(res, "requester", who);
	fhir_add(b, FHIR_SECTION_MEDICATIONS, m->rx->id, res);
}

/* One signatory of a dose, with what they did. */
static json_t *
fhir_performer(struct fhir_build *b, const struct fhir_person *p,
    const char *function, const char *display)
{
	json_t	*who = fhir_person_ref(b, p);

	if (who == NULL)
		return NULL;
	return json_pack("{s:o, s:o}", "function", fhir_concept(
	    FHIR_PERFORM_FUNCTION, function, display), "actor", who);
}

/* The last dose given: who gave it (performer) and who witnessed it
 * (witness), both required by the unit's rule 1. */
static void
fhir_administration(struct fhir_build *b, const struct fhir_medication *m)
{
	json_t	*performers, *p;

	performers = json_array();
	if ((p = fhir_performer(b, &m->given_by, "performer", "Performer")) !=
	    NULL)
		json_array_append_new(performers, p);
	if ((p = fhir_performer(b, &m->witness, "witness", "Witness")) !=
	    NULL)
		json_array_append_new(performers, p);
	fhir_add(b, FHIR_SECTION_MEDICATIONS, m->last.id, json_pack("{s:s,"
	    " s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:{s:o}}",
	    "resourceType", "MedicationAdministration", "id", m->last.id,
	    "meta", fhir_profile("MedicationAdministration"),
	    "status", "completed",
	    "medicationCodeableConcept", fhir_medication_concept(m->product),
	    "subject", fhir_patient_ref(b),
	    "effectiveDateTime", fhir_instant(m->last.recorded_at),
	    "performer", performers, "request", fhir_ref(m->rx->id),
	    "dosage", "dose", fhir_dose_quantity(m->last.amount,
	    m->product)));
}

/* Every prescription in force, then every last dose. */
void
fhir_medications(struct fhir_build *b)
{
	size_t	i;

	for (i = 0; i < b->in->nmeds; i++)
		fhir_request(b, &b->in->meds[i]);
	for (i = 0; i < b->in->nmeds; i++)
		if (b->in->meds[i].has_last)
			fhir_administration(b, &b->in->meds[i]);
}
