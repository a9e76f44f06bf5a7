/* The rules for registering an arrival: times that cannot be true are
 * refused, not corrected. */
#include <stddef.h>
#include <string.h>

#include "patient.h"

static const char *const patient_status_names[] = {
	[PATIENT_IN_CUSTODY] = "in_custody",
	[PATIENT_RELEASED] = "released",
	[PATIENT_TRANSFERRED] = "transferred",
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

/* Check a registration's times at now.  Returns 0 if it may be stored,
 * -1 with *why filled otherwise. */
int
patient_check_registration(const struct patient *p, int64_t now,
    int64_t max_future_ms, int64_t max_past_ms, struct refusal *why)
{
	struct civil_date	 today = patient_utc_date(now);
	struct civil_date	 arrival = patient_utc_date(p->arrived_at);
	int			 age;

	if (p->arrived_at > now + max_future_ms)
		return refuse(why, 0, "arrival_in_future",
		    "arrived_at is in the future; register a "
		    "prisoner when they arrive");
	/* A typo in the year would start clocks that breached long ago. */
	if (p->arrived_at < now - max_past_ms)
		return refuse(why, 0, "arrival_too_old",
		    "arrived_at is further in the past than "
		    "arrivals.max_past_days allows; check the date");
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
