/* The latest NEWS2 of the FHIR Bundle: each reading as an Observation
 * coded in SNOMED CT and LOINC, ACVPU, and the total score with a
 * component for each sub-score.  Pure. */
#include <stdio.h>
#include <string.h>

#include "fhir_internal.h"
#include "news2.h"

#define FHIR_CATEGORY \
	"http://terminology.hl7.org/CodeSystem/observation-category"
#define FHIR_NEWS2_TOTAL	"1104051000000101"
#define FHIR_ACVPU		"1104441000000107"

/* A reading NEWS2 scores, its codes and its UCUM unit. */
struct fhir_vital {
	enum news2_parameter	 param;
	const char		*sct, *sct_display;
	const char		*loinc, *loinc_display;
	const char		*ucum;
};

static const struct fhir_vital fhir_vitals[] = {
	{ NEWS2_RESPIRATION, "86290005", "Respiratory rate", "9279-1",
	    "Respiratory rate", "/min" },
	{ NEWS2_SPO2, "103228002", "Hemoglobin saturation with oxygen",
	    "2708-6", "Oxygen saturation in Arterial blood", "%" },
	{ NEWS2_PULSE, "364075005", "Heart rate", "8867-4", "Heart rate",
	    "/min" },
	{ NEWS2_TEMPERATURE, "276885007", "Core body temperature", "8310-5",
	    "Body temperature", "Cel" },
	{ NEWS2_SYSTOLIC_BP, "72313002", "Systolic arterial pressure",
	    "8480-6", "Systolic blood pressure", "mm[Hg]" },
};
#define FHIR_NVITALS	(sizeof fhir_vitals / sizeof fhir_vitals[0])

/* A reading in thousandths of its unit. */
static int64_t
fhir_vital_value(const struct news2_readings *r, enum news2_parameter p)
{
	switch (p) {
	case NEWS2_RESPIRATION:
		return r->respiratory_rate * 1000;
	case NEWS2_SPO2:
		return r->spo2 * 1000;
	case NEWS2_PULSE:
		return r->pulse * 1000;
	case NEWS2_TEMPERATURE:
		return r->temperature_tenths * 100;
	default:
		return r->systolic_bp * 1000;
	}
}

/* A reading's code: SNOMED CT and LOINC. */
static json_t *
fhir_vital_code(const struct fhir_vital *v)
{
	return json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}], s:s}",
	    "coding", "system", FHIR_SNOMED, "code", v->sct,
	    "display", v->sct_display,
	    "system", FHIR_LOINC, "code", v->loinc,
	    "display", v->loinc_display, "text", v->sct_display);
}

/* What every Observation of one NEWS2 shares. */
static json_t *
fhir_observation(struct fhir_build *b, const char *id, const char *category,
    json_t *code)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:[o], s:o, s:o, s:o}",
	    "resourceType", "Observation", "id", id,
	    "meta", fhir_profile("Observation"), "status", "final",
	    "category", fhir_concept(FHIR_CATEGORY, category, category[0] ==
	    'v' ? "Vital Signs" : "Survey"),
	    "code", code, "subject", fhir_patient_ref(b),
	    "effectiveDateTime", fhir_instant(b->in->news2->taken_at));
}

/* One reading, with its value in UCUM; its id added to derived. */
static void
fhir_vital(struct fhir_build *b, const struct fhir_vital *v, json_t *derived)
{
	const struct observation	*o = b->in->news2;
	const char			*id = fhir_new_id(b);
	json_t				*res;

	res = fhir_observation(b, id, "vital-signs", fhir_vital_code(v));
	if (res != NULL)
		json_object_set_new(res, "valueQuantity", json_pack("{s:o,"
		    " s:s, s:s, s:s}", "value", fhir_decimal(fhir_vital_value(
		    &o->readings, v->param)), "unit", v->ucum,
		    "system", FHIR_UCUM, "code", v->ucum));
	fhir_add(b, FHIR_SECTION_OBSERVATIONS, id, res);
	json_array_append_new(derived, fhir_ref(id));
}

/* ACVPU: the level of consciousness as its letter's word. */
static void
fhir_acvpu(struct fhir_build *b, json_t *derived)
{
	const char	*id = fhir_new_id(b);
	json_t		*res;

	res = fhir_observation(b, id, "vital-signs", fhir_concept(FHIR_SNOMED,
	    FHIR_ACVPU, "ACVPU (Alert Confusion Voice Pain Unresponsive) "
	    "scale score"));
	if (res != NULL)
		json_object_set_new(res, "valueCodeableConcept", json_pack(
		    "{s:s}", "text", news2_consciousness_name(
		    b->in->news2->readings.consciousness)));
	fhir_add(b, FHIR_SECTION_OBSERVATIONS, id, res);
	json_array_append_new(derived, fhir_ref(id));
}

/* A sub-score as a component of the total: the parameter's code (text
 * alone for air or oxygen, which has no reading of its own). */
static json_t *
fhir_subscore(const struct observation *o, enum news2_parameter p)
{
	char	text[64];
	json_t	*code = NULL;
	size_t	i;

	snprintf(text, sizeof text, "NEWS2 sub-score: %s",
	    news2_parameter_name(p));
	for (i = 0; i < FHIR_NVITALS; i++)
		if (fhir_vitals[i].param == p)
			code = fhir_vital_code(&fhir_vitals[i]);
	if (p == NEWS2_CONSCIOUSNESS)
		code = fhir_concept(FHIR_SNOMED, FHIR_ACVPU, "ACVPU (Alert "
		    "Confusion Voice Pain Unresponsive) scale score");
	if (code == NULL)
		code = json_object();
	json_object_set_new(code, "text", json_string(text));
	return json_pack("{s:o, s:i}", "code", code,
	    "valueInteger", o->result.scores[p]);
}

/* The latest NEWS2, if there is one: the readings, then the total. */
void
fhir_news2(struct fhir_build *b)
{
	const struct observation	*o = b->in->news2;
	json_t				*derived, *components, *res;
	size_t				 i;
	int				 p;

	if (o == NULL)
		return;
	derived = json_array();
	components = json_array();
	for (i = 0; i < FHIR_NVITALS; i++)
		fhir_vital(b, &fhir_vitals[i], derived);
	fhir_acvpu(b, derived);
	for (p = 0; p < NEWS2_NPARAMETERS; p++)
		json_array_append_new(components, fhir_subscore(o, p));
	res = fhir_observation(b, o->id, "survey", fhir_concept(FHIR_SNOMED,
	    FHIR_NEWS2_TOTAL, "Royal College of Physicians National Early "
	    "Warning Score 2 (NEWS2) total score"));
	if (res != NULL) {
		json_object_set_new(res, "valueInteger",
		    json_integer(o->result.total));
		json_object_set_new(res, "derivedFrom", derived);
		json_object_set_new(res, "component", components);
	} else {
		json_decref(derived);
		json_decref(components);
	}
	fhir_add(b, FHIR_SECTION_OBSERVATIONS, o->id, res);
}
