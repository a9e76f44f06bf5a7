/* The API's handlers, one file per resource (api_*.c).  Each fills in the
 * request's answer and returns 0, or -1 after request_error(). */
#ifndef IDTSD_API_H
#define IDTSD_API_H

struct request;

int	api_health(struct request *);
int	api_session_create(struct request *);
int	api_session_delete(struct request *);
int	api_staff_create(struct request *);
int	api_staff_list(struct request *);
int	api_staff_get(struct request *);
int	api_staff_update(struct request *);
int	api_patient_create(struct request *);
int	api_patient_list(struct request *);
int	api_patient_get(struct request *);
int	api_audit_list(struct request *);
int	api_audit_verify(struct request *);
int	api_test_clock(struct request *);
int	api_clock_list(struct request *);
int	api_keyworker(struct request *);
int	api_treatment_decision(struct request *);
int	api_alert_list(struct request *);
int	api_alert_ack(struct request *);
int	api_alert_stream(struct request *);

/* How records look in answers (api_present.c). */
#include <stdint.h>

#include <jansson.h>

struct staff;
struct patient;
struct care_clock;
struct alert;

json_t	*api_staff_json(const struct staff *, int64_t now);
json_t	*api_patient_json(const struct patient *);
json_t	*api_clock_json(const struct care_clock *, int64_t now);
json_t	*api_alert_json(const struct alert *);
int	 api_patient_answer(struct request *, const struct patient *,
	    json_t **out);
int	 api_patient_load(struct request *, struct patient *);

/* Check a person's username and PIN now, counting failures towards their
 * lockout (api_signin.c).  Used for sign-in and, later, for a witness.
 * A wrong PIN sets keep_changes so the lockout count is committed: so it
 * must be called before the request changes anything else, or a refused
 * request would commit half its work. */
int	api_signin_verify(struct request *, const char *username,
	    const char *pin, struct staff *out);

#endif
