/* What the parts of the FHIR builder share (fhir.c, fhir_meds.c,
 * fhir_obs.c): the Bundle being built, its sections, and helpers for the
 * data types every resource uses. */
#ifndef IDTSD_FHIR_INTERNAL_H
#define IDTSD_FHIR_INTERNAL_H

#include "fhir.h"

#define FHIR_SNOMED	"http://snomed.info/sct"
#define FHIR_LOINC	"http://loinc.org"
#define FHIR_UCUM	"http://unitsofmeasure.org"
#define FHIR_UKCORE	"https://fhir.hl7.org.uk/StructureDefinition/UKCore-"

enum fhir_section {
	FHIR_SECTION_MEDICATIONS,
	FHIR_SECTION_OBSERVATIONS,
	FHIR_SECTION_PLAN,
	FHIR_SECTION_ALERTS,
	FHIR_NSECTIONS,
};

struct fhir_build {
	const struct fhir_input	*in;
	json_t			*entries;	/* Bundle.entry */
	json_t			*sections[FHIR_NSECTIONS]; /* references */
	json_t			*people;	/* Practitioner ids added */
	size_t			 next_id;	/* in in->ids */
	int			 failed;	/* out of memory or ids */
};

const char *fhir_new_id(struct fhir_build *);
void	fhir_add(struct fhir_build *, enum fhir_section, const char *id,
	    json_t *resource);
json_t	*fhir_ref(const char *id);
json_t	*fhir_patient_ref(const struct fhir_build *);
json_t	*fhir_person_ref(struct fhir_build *, const struct fhir_person *);
json_t	*fhir_instant(int64_t ms);
json_t	*fhir_date(struct civil_date);
json_t	*fhir_decimal(int64_t thousandths);
json_t	*fhir_concept(const char *system, const char *code,
	    const char *display);
json_t	*fhir_profile(const char *name);

void	fhir_medications(struct fhir_build *);
void	fhir_news2(struct fhir_build *);

#endif
