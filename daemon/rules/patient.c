/* The rules for registering an arrival: times that cannot be true are
 * refused, not corrected. */
#include <stddef.h>
#include <string.h>

#include "patient.h"

static const char *const patient_status_names[] = {
	[PATIENT_IN_CUSTODY] = "in_custody",
	[PATIENT_RELEASED] = "released",
	[PATIENT_TRANSFERRED] = "transferred",
	[PATIENT_ENTERED_IN_ERROR] = "entered_in_error",
};

/* A status as the API and the store write it. */
const char *
patient_status_name(enum patient_status status)
{
	return patient_status_names[status];
}

/* A status from its name; -1 if it names none. */
int
patient_status_parse(const char *name, enum patient_status *out)
{
	size_t	i;

	for (i = 0; i < sizeof patient_status_names /
	    sizeof patient_status_names[0]; i++)
		if (strcmp(name, patient_status_names[i]) == 0) {
			*out = (enum patient_status)i;
			return 0;
		}
	return -1;
}

/* Whether the patient is here to be treated: anything clinical (a dose, an
 * observation, a prescription, a movement, a keyworker) needs it. */
int
patient_in_custody(const struct patient *p)
{
	return p->status == PATIENT_IN_CUSTODY;
}

/* The date of an instant, in UTC; close enough to compare ages in years. */
static struct civil_date
patient_utc_date(int64_t ms)
{
	int64_t	days = ms / MS_PER_DAY - (ms % MS_PER_DAY < 0);

	return timefmt_civil_from_days(days);
}

/* Whole years between a birth date and a date. */
static int
patient_age_years(struct civil_date dob, struct civil_date on)
{
	int	years = on.year - dob.year;

	if (on.month < dob.month || (on.month == dob.month && on.day < dob.day))
		years--;
	return years;
}

/* Check a record's details at now: a date of birth that cannot be true
 * (in the future, or an age at arrival outside 15 to 120), a community
 * last dose in the future.  Registrations and corrections alike.
 * Returns 0, or -1 with *why filled. */
int
patient_check_details(const struct patient *p, int64_t now,
    int64_t max_future_ms, struct refusal *why)
{
	struct civil_date	 today = patient_utc_date(now);
	struct civil_date	 arrival = patient_utc_date(p->arrived_at);
	int			 age;

	if (timefmt_date_cmp(p->date_of_birth, today) > 0)
		return refuse(why, 0, "date_of_birth_in_future",
		    "date_of_birth is in the future");
	age = patient_age_years(p->date_of_birth, arrival);
	if (age < PATIENT_MIN_AGE_YEARS || age > PATIENT_MAX_AGE_YEARS)
		return refuse(why, 0, "implausible_age",
		    "date_of_birth gives an age at arrival outside "
		    "15 to 120 years");
	if (p->in_treatment && p->community.has_last_dose &&
	    p->community.last_dose_at > now + max_future_ms)
		return refuse(why, 0, "last_dose_in_future",
		    "community_treatment.last_dose_at is in the "
		    "future");
	return 0;
}

/* Check a registration's times at now.  Returns 0 if it may be stored,
 * -1 with *why filled otherwise. */
int
patient_check_registration(const struct patient *p, int64_t now,
    int64_t max_future_ms, int64_t max_past_ms, struct refusal *why)
{
	if (p->arrived_at > now + max_future_ms)
		return refuse(why, 0, "arrival_in_future",
		    "arrived_at is in the future; register a "
		    "prisoner when they arrive");
	/* A typo in the year would start clocks that breached long ago. */
	if (p->arrived_at < now - max_past_ms)
		return refuse(why, 0, "arrival_too_old",
		    "arrived_at is further in the past than "
		    "arrivals.max_past_days allows; check the date");
	return patient_check_details(p, now, max_future_ms, why);
}

/* Whether two records of community treatment say the same. */
static int
patient_same_community(const struct patient *a, const struct patient *b)
{
	const struct community_treatment *x = &a->community, *y = &b->community;

	if (a->in_treatment != b->in_treatment)
		return 0;
	return !a->in_treatment || (strcmp(x->drug, y->drug) == 0 &&
	    x->dose == y->dose && strcmp(x->unit, y->unit) == 0 &&
	    strcmp(x->prescriber, y->prescriber) == 0 &&
	    x->has_last_dose == y->has_last_dose &&
	    x->last_dose_at == y->last_dose_at);
}

/* The fields (PATIENT_FIELD_* bits) whose values differ between two
 * records of one patient. */
unsigned
patient_changed(const struct patient *before, const struct patient *after)
{
	unsigned	f = 0;

	if (strcmp(before->location, after->location) != 0)
		f |= PATIENT_FIELD_LOCATION;
	if (strcmp(before->given_name, after->given_name) != 0)
		f |= PATIENT_FIELD_GIVEN_NAME;
	if (strcmp(before->family_name, after->family_name) != 0)
		f |= PATIENT_FIELD_FAMILY_NAME;
	if (timefmt_date_cmp(before->date_of_birth, after->date_of_birth) != 0)
		f |= PATIENT_FIELD_DATE_OF_BIRTH;
	if (strcmp(before->nhs_number, after->nhs_number) != 0)
		f |= PATIENT_FIELD_NHS_NUMBER;
	if (!patient_same_community(before, after))
		f |= PATIENT_FIELD_COMMUNITY;
	return f;
}

/* A field's name as the API and the history write it. */
const char *
patient_field_name(unsigned field)
{
	static const char *const names[PATIENT_FIELDS] = {
		"location", "given_name", "family_name", "date_of_birth",
		"nhs_number", "community_treatment",
	};
	int	i;

	for (i = 0; i < PATIENT_FIELDS; i++)
		if (field == 1u << i)
			return names[i];
	return NULL;
}

/* Whether a patient's record may be corrected from before to after at
 * now: only while they are in custody here (the record of a patient who
 * has left is what went with them), only if something changes, and the
 * details must still be true (patient_check_details()).  Returns 0, or -1
 * with *why filled. */
int
patient_check_edit(const struct patient *before, const struct patient *after,
    int64_t now, int64_t max_future_ms, struct refusal *why)
{
	if (!patient_in_custody(before))
		return refuse(why, 1, "patient_not_editable", "%s is %s: the "
		    "record of a patient no longer in custody here is not "
		    "corrected", before->prison_number,
		    patient_status_name(before->status));
	if (patient_changed(before, after) == 0)
		return refuse(why, 0, "nothing_changed", "the correction "
		    "changes nothing: every field given already holds that "
		    "value");
	return patient_check_details(after, now, max_future_ms, why);
}

/* Whether an arrival may be ended as entered in error (a test arrival, a
 * duplicate): only one in custody, and only if no dose was given under it
 * (that is a patient treated, whose doses are corrected one by one
 * first).  Returns 0, or -1 with *why filled. */
int
patient_check_end_in_error(const struct patient *p, int doses_given,
    struct refusal *why)
{
	if (p->status == PATIENT_ENTERED_IN_ERROR)
		return refuse(why, 1, "already_entered_in_error", "%s was "
		    "already ended as entered in error", p->prison_number);
	if (!patient_in_custody(p))
		return refuse(why, 1, "patient_not_editable", "%s is %s: "
		    "only an arrival still in custody is ended as entered in "
		    "error", p->prison_number, patient_status_name(p->status));
	if (doses_given > 0)
		return refuse(why, 0, "patient_treated", "%d dose%s given "
		    "to %s: enter each in error first, or this is no test "
		    "arrival", doses_given, doses_given == 1 ? " was" :
		    "s were", p->prison_number);
	return 0;
}
