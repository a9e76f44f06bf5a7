/* A patient (one custody episode) and the rules for registering one.
 * Pure: now is passed in. */
#ifndef IDTSD_PATIENT_H
#define IDTSD_PATIENT_H

#include <stdint.h>

#include "refusal.h"
#include "timefmt.h"
#include "validate.h"

#define PATIENT_NAME_MAX	100
#define PATIENT_LOCATION_MAX	64
#define PATIENT_UNIT_MAX	16	/* "ml", "mg", "tablet", "micrograms" */
#define PATIENT_MAX_AGE_YEARS	120
#define PATIENT_MIN_AGE_YEARS	15	/* the youngest held in a YOI */

/* Treatment the prisoner was on in the community, as reception heard. */
struct community_treatment {
	char		drug[PATIENT_NAME_MAX * 4 + 1];
	int64_t		dose;		/* thousandths of unit */
	char		unit[PATIENT_UNIT_MAX * 4 + 1];
	char		prescriber[PATIENT_NAME_MAX * 4 + 1];
	int64_t		last_dose_at;	/* 0 when not known */
	int		has_last_dose;
};

/* Where a custody episode stands. */
enum patient_status {
	PATIENT_IN_CUSTODY,
	PATIENT_RELEASED,
	PATIENT_TRANSFERRED,
	PATIENT_ENTERED_IN_ERROR,	/* a test arrival, ended */
};

/* The fields of a record a correction may change (bits). */
#define PATIENT_FIELD_LOCATION		0x01
#define PATIENT_FIELD_GIVEN_NAME	0x02
#define PATIENT_FIELD_FAMILY_NAME	0x04
#define PATIENT_FIELD_DATE_OF_BIRTH	0x08
#define PATIENT_FIELD_NHS_NUMBER	0x10
#define PATIENT_FIELD_COMMUNITY		0x20
#define PATIENT_FIELDS			6
#define PATIENT_REASON_MAX		500	/* characters */

struct patient {
	char		id[UUID_STR_LEN];
	char		prison_number[PRISON_NUMBER_LEN];
	char		given_name[PATIENT_NAME_MAX * 4 + 1];
	char		family_name[PATIENT_NAME_MAX * 4 + 1];
	struct civil_date date_of_birth;
	char		nhs_number[NHS_NUMBER_LEN];	/* "" if not known */
	int64_t		arrived_at;
	char		location[PATIENT_LOCATION_MAX * 4 + 1];
	int		stimulant_user;
	enum patient_status status;
	int		in_treatment;	/* community is meaningful */
	struct community_treatment community;
	char		created_by[UUID_STR_LEN];
	int64_t		created_at;
};

const char *patient_status_name(enum patient_status);
int	patient_status_parse(const char *, enum patient_status *);
int	patient_in_custody(const struct patient *);

int	patient_check_registration(const struct patient *p, int64_t now,
	    int64_t max_future_ms, int64_t max_past_ms,
	    struct refusal *why);
int	patient_check_details(const struct patient *p, int64_t now,
	    int64_t max_future_ms, struct refusal *why);
unsigned patient_changed(const struct patient *before,
	    const struct patient *after);
const char *patient_field_name(unsigned field);
int	patient_check_edit(const struct patient *before,
	    const struct patient *after, int64_t now, int64_t max_future_ms,
	    struct refusal *why);
int	patient_check_end_in_error(const struct patient *p, int doses_given,
	    struct refusal *why);

#endif
