/* The transfer document and the export as a FHIR R4 Bundle: the Bundle,
 * the Composition and its sections, the Organization, the Patient, the
 * Practitioners, and the plan, clocks and flags.  The medicines are in
 * fhir_meds.c, NEWS2 in fhir_obs.c.  Every resource is built with
 * json_pack(); nothing here writes JSON text.  Pure. */
#include <stdio.h>
#include <string.h>

#include "fhir_internal.h"
#include "timefmt.h"

#define FHIR_HEADINGS \
	"https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings"
#define FHIR_ESTABLISHMENT	"urn:idtsd:establishment"
#define FHIR_PRISON_NUMBER	"urn:idtsd:prison-number"
#define FHIR_NHS_NUMBER		"https://fhir.nhs.uk/Id/nhs-number"
#define FHIR_STAFF		"urn:idtsd:staff"
#define FHIR_XHTML_EMPTY \
	"<div xmlns=\"http://www.w3.org/1999/xhtml\">None known.</div>"

/* The sections' headings (UK Core record standard headings, the PRSB's),
 * in the Composition's order. */
static const struct {
	const char	*code, *title;
} fhir_headings[FHIR_NSECTIONS] = {
	{ "medications-and-medical-devices",
	    "Medications and medical devices" },
	{ "observations", "Observations" },
	{ "plan-and-requested-actions", "Plan and requested actions" },
	{ "safety-alerts", "Safety alerts" },
};

/* The next of the ids the caller made, or a fixed one (the build then
 * fails) if it gave too few. */
const char *
fhir_new_id(struct fhir_build *b)
{
	if (b->next_id >= b->in->nids) {
		b->failed = 1;
		return "00000000-0000-0000-0000-000000000000";
	}
	return b->in->ids[b->next_id++];
}

/* A reference to the resource of id inside the Bundle. */
json_t *
fhir_ref(const char *id)
{
	char	url[sizeof "urn:uuid:" + UUID_STR_LEN];

	snprintf(url, sizeof url, "urn:uuid:%s", id);
	return json_pack("{s:s}", "reference", url);
}

json_t *
fhir_patient_ref(const struct fhir_build *b)
{
	return fhir_ref(b->in->patient->id);
}

/* An instant as FHIR writes one (UTC, milliseconds). */
json_t *
fhir_instant(int64_t ms)
{
	char	buf[TIMEFMT_INSTANT_LEN];

	timefmt_format_instant(ms, buf);
	return json_string(buf);
}

json_t *
fhir_date(struct civil_date d)
{
	char	buf[TIMEFMT_DATE_LEN];

	timefmt_format_date(d, buf);
	return json_string(buf);
}

/* Thousandths as a FHIR decimal: a whole number as an integer. */
json_t *
fhir_decimal(int64_t thousandths)
{
	if (thousandths % 1000 == 0)
		return json_integer(thousandths / 1000);
	return json_real((double)thousandths / 1000.0);
}

/* A CodeableConcept of one coding. */
json_t *
fhir_concept(const char *system, const char *code, const char *display)
{
	return json_pack("{s:[{s:s, s:s, s:s}]}", "coding", "system", system,
	    "code", code, "display", display);
}

/* meta.profile naming a UK Core profile. */
json_t *
fhir_profile(const char *name)
{
	char	url[128];

	snprintf(url, sizeof url, "%s%s", FHIR_UKCORE, name);
	return json_pack("{s:[s]}", "profile", url);
}

/* Add a resource as an entry, fullUrl urn:uuid:id. */
static void
fhir_entry(struct fhir_build *b, const char *id, json_t *resource)
{
	char	url[sizeof "urn:uuid:" + UUID_STR_LEN];

	snprintf(url, sizeof url, "urn:uuid:%s", id);
	if (resource == NULL || json_array_append_new(b->entries,
	    json_pack("{s:s, s:o}", "fullUrl", url, "resource", resource)) ==
	    -1)
		b->failed = 1;
}

/* Add a resource as an entry and a reference to it in its section. */
void
fhir_add(struct fhir_build *b, enum fhir_section section, const char *id,
    json_t *resource)
{
	fhir_entry(b, id, resource);
	if (json_array_append_new(b->sections[section], fhir_ref(id)) == -1)
		b->failed = 1;
}

/* A reference to a member of staff's Practitioner, added to the Bundle
 * the first time (in no section: it is who, not what); NULL for someone
 * not known. */
json_t *
fhir_person_ref(struct fhir_build *b, const struct fhir_person *p)
{
	if (p->id[0] == '\0')
		return NULL;
	if (json_object_get(b->people, p->id) == NULL) {
		fhir_entry(b, p->id, json_pack("{s:s, s:s, s:o, s:[{s:s, s:s}],"
		    " s:[{s:s}]}", "resourceType", "Practitioner", "id", p->id,
		    "meta", fhir_profile("Practitioner"),
		    "identifier", "system", FHIR_STAFF, "value", p->username,
		    "name", "text", p->name));
		if (json_object_set_new(b->people, p->id, json_true()) == -1)
			b->failed = 1;
	}
	return fhir_ref(p->id);
}

/* The establishment, author and custodian of the document. */
static void
fhir_organization(struct fhir_build *b, const char *id)
{
	fhir_entry(b, id, json_pack("{s:s, s:s, s:o, s:[{s:s, s:s}], s:s}",
	    "resourceType", "Organization", "id", id,
	    "meta", fhir_profile("Organization"),
	    "identifier", "system", FHIR_ESTABLISHMENT, "value", b->in->code,
	    "name", b->in->name));
}

/* The Patient: the prison number and, when known, the NHS number. */
static void
fhir_patient(struct fhir_build *b)
{
	const struct patient	*p = b->in->patient;
	json_t			*ids, *res;

	ids = json_pack("[{s:s, s:s}]", "system", FHIR_PRISON_NUMBER,
	    "value", p->prison_number);
	if (ids != NULL && p->nhs_number[0] != '\0')
		json_array_append_new(ids, json_pack("{s:s, s:s}", "system",
		    FHIR_NHS_NUMBER, "value", p->nhs_number));
	res = json_pack("{s:s, s:s, s:o, s:o, s:[{s:s, s:s, s:[s]}], s:o}",
	    "resourceType", "Patient", "id", p->id,
	    "meta", fhir_profile("Patient"), "identifier", ids,
	    "name", "use", "official", "family", p->family_name,
	    "given", p->given_name, "birthDate", fhir_date(p->date_of_birth));
	fhir_entry(b, p->id, res);
}

/* The observation plan as a CarePlan: NEWS2 at least every so often
 * from arrival to its end. */
static void
fhir_plan(struct fhir_build *b, const char *id)
{
	const struct observation_plan	*plan = b->in->plan;
	char				 what[160];
	int				 done;

	done = plan->ended_at != 0 || b->in->now >= plan->ends_at;
	snprintf(what, sizeof what, "NEWS2 observations at least every %lld "
	    "minutes (sooner as the score rises), for a stimulant user's "
	    "first hours in custody", (long long)(plan->base_interval_ms /
	    60000));
	fhir_add(b, FHIR_SECTION_PLAN, id, json_pack("{s:s, s:s, s:s, s:s,"
	    " s:s, s:o, s:{s:o, s:o}, s:[{s:{s:s, s:s}}]}",
	    "resourceType", "CarePlan", "id", id,
	    "status", done ? "completed" : "active", "intent", "plan",
	    "title", "Observation plan", "subject", fhir_patient_ref(b),
	    "period", "start", fhir_instant(plan->starts_at),
	    "end", fhir_instant(plan->ended_at ? plan->ended_at :
	    plan->ends_at),
	    "activity", "detail", "status", done ? "completed" : "in-progress",
	    "description", what));
}

/* A continuity clock as a Task: work owed by a deadline. */
static void
fhir_clock(struct fhir_build *b, const struct care_clock *c)
{
	const char	*status;
	char		 what[96];
	json_t		*res;

	status = c->met_at ? "completed" : c->ended_at ? "cancelled" :
	    "requested";
	snprintf(what, sizeof what, "Continuity clock: %s",
	    continuity_kind_name(c->kind));
	res = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:o, s:o,"
	    " s:{s:{s:o}}}",
	    "resourceType", "Task", "id", c->id, "status", status,
	    "intent", "order", "code", "text", what,
	    "businessStatus", "text", continuity_state(c, b->in->now),
	    "for", fhir_patient_ref(b), "authoredOn",
	    fhir_instant(c->started_at),
	    "restriction", "period", "end", fhir_instant(c->due_at));
	if (res != NULL && c->met_at)
		json_object_set_new(res, "executionPeriod", json_pack("{s:o}",
		    "end", fhir_instant(c->met_at)));
	fhir_add(b, FHIR_SECTION_PLAN, c->id, res);
}

/* A hold for review or a caution in force as a Flag. */
static void
fhir_flag(struct fhir_build *b, const struct fhir_flag *f, const char *id)
{
	fhir_add(b, FHIR_SECTION_ALERTS, id, json_pack("{s:s, s:s, s:s,"
	    " s:[o], s:{s:s}, s:o, s:{s:o}}",
	    "resourceType", "Flag", "id", id, "status", "active",
	    "category", fhir_concept(
	    "http://terminology.hl7.org/CodeSystem/flag-category",
	    f->drug ? "drug" : "clinical", f->drug ? "Drug" : "Clinical"),
	    "code", "text", f->text, "subject", fhir_patient_ref(b),
	    "period", "start", fhir_instant(f->since)));
}

/* One section: its heading, and its entries or why there are none. */
static json_t *
fhir_section(const struct fhir_build *b, enum fhir_section i)
{
	json_t	*s;

	s = json_pack("{s:s, s:o}", "title", fhir_headings[i].title, "code",
	    fhir_concept(FHIR_HEADINGS, fhir_headings[i].code,
	    fhir_headings[i].title));
	if (s == NULL)
		return NULL;
	if (json_array_size(b->sections[i]) > 0) {
		json_object_set(s, "entry", b->sections[i]);
		return s;
	}
	/* A section must have entries or text (cmp-1). */
	json_object_set_new(s, "text", json_pack("{s:s, s:s}", "status",
	    "generated", "div", FHIR_XHTML_EMPTY));
	json_object_set_new(s, "emptyReason", fhir_concept(
	    "http://terminology.hl7.org/CodeSystem/list-empty-reason",
	    "nilknown", "Nil Known"));
	return s;
}

/* The Composition: a discharge summary for a release, a transfer summary
 * report for a transfer (SNOMED CT record artifacts). */
static json_t *
fhir_composition(struct fhir_build *b, const char *id, const char *org)
{
	const struct movement	*m = b->in->movement;
	int			 release = b->in->kind == FHIR_RELEASE;
	json_t			*sections;
	int			 i;

	if ((sections = json_array()) == NULL)
		return NULL;
	for (i = 0; i < FHIR_NSECTIONS; i++)
		json_array_append_new(sections, fhir_section(b, i));
	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:[o], s:s,"
	    " s:o, s:[{s:{s:o}}], s:o}",
	    "resourceType", "Composition", "id", id,
	    "meta", fhir_profile("Composition"), "status", "final",
	    "type", release ? fhir_concept(FHIR_SNOMED, "373942005",
	    "Discharge summary") : fhir_concept(FHIR_SNOMED, "371535009",
	    "Transfer summary report"),
	    "subject", fhir_patient_ref(b), "date", fhir_instant(b->in->now),
	    "author", fhir_ref(org),
	    "title", release ? "Discharge summary: substance misuse "
	    "treatment" : "Transfer summary: substance misuse treatment",
	    "custodian", fhir_ref(org),
	    "event", "period", "start", fhir_instant(m->departed_at ?
	    m->departed_at : m->departs_at),
	    "section", sections);
}

/* Every resource but the Composition, in the order a reader wants. */
static void
fhir_contents(struct fhir_build *b, const char *org)
{
	size_t	i;

	fhir_patient(b);
	fhir_organization(b, org);
	fhir_medications(b);
	fhir_news2(b);
	if (b->in->plan != NULL)
		fhir_plan(b, fhir_new_id(b));
	for (i = 0; i < b->in->nclocks; i++)
		fhir_clock(b, &b->in->clocks[i]);
	for (i = 0; i < b->in->nflags; i++)
		fhir_flag(b, &b->in->flags[i], fhir_new_id(b));
}

static void
fhir_build_free(struct fhir_build *b)
{
	int	i;

	json_decref(b->entries);
	json_decref(b->people);
	for (i = 0; i < FHIR_NSECTIONS; i++)
		json_decref(b->sections[i]);
}

/* The Bundle, or NULL if memory ran out, the caller gave too few ids, or
 * a document has no movement. */
json_t *
fhir_bundle(const struct fhir_input *in)
{
	struct fhir_build	 b = { .in = in };
	const char		*id, *comp, *org;
	json_t			*bundle = NULL, *c = NULL;
	char			 urn[sizeof "urn:uuid:" + UUID_STR_LEN];
	int			 i;

	b.entries = json_array();
	b.people = json_object();
	for (i = 0; i < FHIR_NSECTIONS; i++)
		b.sections[i] = json_array();
	id = fhir_new_id(&b);
	comp = fhir_new_id(&b);
	org = fhir_new_id(&b);
	fhir_contents(&b, org);
	if (in->kind != FHIR_COLLECTION && (in->movement == NULL ||
	    (c = fhir_composition(&b, comp, org)) == NULL ||
	    json_array_insert_new(b.entries, 0, json_pack("{s:s+, s:o}",
	    "fullUrl", "urn:uuid:", comp, "resource", c)) == -1))
		b.failed = 1;
	snprintf(urn, sizeof urn, "urn:uuid:%s", id);
	if (!b.failed)
		bundle = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:O}",
		    "resourceType", "Bundle", "id", id,
		    "identifier", "system", "urn:ietf:rfc:3986", "value", urn,
		    "type", in->kind == FHIR_COLLECTION ? "collection" :
		    "document", "timestamp", fhir_instant(in->now),
		    "entry", b.entries);
	fhir_build_free(&b);
	return bundle;
}
