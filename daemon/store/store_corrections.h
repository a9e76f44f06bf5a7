/* The store's statements for corrections (issue 15): a patient's record
 * corrected field by field with its history, observations and doses
 * entered in error.  Nothing is deleted: each correction is a new row. */
#ifndef IDTSD_STORE_CORRECTIONS_H
#define IDTSD_STORE_CORRECTIONS_H

#include "dose.h"
#include "observation.h"
#include "patient.h"
#include "store.h"

/* One change of one field of a patient's record; values NULL for none. */
struct store_patient_change {
	const char		*field, *old_value, *new_value, *reason;
	int64_t			 at;
	struct store_person	 by;
};

/* An observation or dose entered in error: why, by whom, when. */
struct store_error_mark {
	int		marked;		/* 0: not entered in error */
	char		reason[DOSE_REASON_MAX * 4 + 1];
	char		by[UUID_STR_LEN], witness[UUID_STR_LEN];
	int64_t		at;
	char		correction_id[UUID_STR_LEN];	/* doses */
};

enum store_result store_patient_correct(struct store *,
	    const struct patient *);
enum store_result store_patient_change_add(struct store *,
	    const char *patient_id, const struct store_patient_change *,
	    const char *by_id);
enum store_result store_patient_history(struct store *, const char *id,
	    void (*each)(const struct store_patient_change *, void *),
	    void *arg);
enum store_result store_patient_doses_given(struct store *, const char *id,
	    int64_t *n);
enum store_result store_observation_get(struct store *, const char *id,
	    struct observation *);
enum store_result store_observation_latest(struct store *,
	    const char *patient_id, struct observation *);
enum store_result store_observation_mark(struct store *, const char *id,
	    struct store_error_mark *);
enum store_result store_observation_strike(struct store *, const char *id,
	    const struct store_error_mark *);
enum store_result store_due_of_observation(struct store *,
	    const char *observation_id, struct observation_due *);
enum store_result store_dose_mark(struct store *, const char *id,
	    struct store_error_mark *);
enum store_result store_dose_strike(struct store *, const char *id,
	    const struct store_error_mark *);
enum store_result store_dose_closed_states(struct store *,
	    const char *prescription_id, enum dose_state *newest_first,
	    size_t max, size_t *n);

#endif
