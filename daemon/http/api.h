/* The API's handlers, one file per resource (api_*.c).  Each fills in the
 * request's answer and returns 0, or -1 after request_error(). */
#ifndef IDTSD_API_H
#define IDTSD_API_H

struct request;

int	api_health(struct request *);
int	api_metrics(struct request *);
int	api_session_create(struct request *);
int	api_session_delete(struct request *);
int	api_staff_create(struct request *);
int	api_staff_list(struct request *);
int	api_staff_get(struct request *);
int	api_staff_update(struct request *);
int	api_patient_create(struct request *);
int	api_patient_list(struct request *);
int	api_patient_get(struct request *);
int	api_patient_correct(struct request *);
int	api_patient_history(struct request *);
int	api_patient_end_in_error(struct request *);
int	api_observation_strike(struct request *);
int	api_dose_strike(struct request *);
int	api_audit_list(struct request *);
int	api_audit_verify(struct request *);
int	api_test_clock(struct request *);
int	api_clock_list(struct request *);
int	api_keyworker(struct request *);
int	api_treatment_decision(struct request *);
int	api_alert_list(struct request *);
int	api_alert_ack(struct request *);
int	api_alert_stream(struct request *);
int	api_product_create(struct request *);
int	api_product_list(struct request *);
int	api_product_get(struct request *);
int	api_product_update(struct request *);
int	api_register_list(struct request *);
int	api_register_receipt(struct request *);
int	api_register_return(struct request *);
int	api_register_destruction(struct request *);
int	api_register_check(struct request *);
int	api_register_correction(struct request *);
int	api_prescription_create(struct request *);
int	api_prescription_list(struct request *);
int	api_prescription_get(struct request *);
int	api_prescription_stop(struct request *);
int	api_prescription_review(struct request *);
int	api_dose_list(struct request *);
int	api_dose_get(struct request *);
int	api_dose_administer(struct request *);
int	api_dose_refuse(struct request *);
int	api_dose_withhold(struct request *);
int	api_observation_create(struct request *);
int	api_observation_due(struct request *);
int	api_observation_list(struct request *);
int	api_observation_plan_extend(struct request *);
int	api_patient_flags(struct request *);
int	api_report_observations(struct request *);
int	api_readiness_get(struct request *);
int	api_readiness_put(struct request *);
int	api_readiness_history(struct request *);
int	api_rota_put(struct request *);
int	api_rota_get(struct request *);
int	api_report_doses(struct request *);
int	api_report_clocks(struct request *);
int	api_report_register(struct request *);
int	api_report_alerts(struct request *);
int	api_report_continuity(struct request *);
int	api_export_episodes(struct request *);
int	api_report_governance(struct request *);
int	api_board(struct request *);
int	api_movement_create(struct request *);
int	api_movement_list(struct request *);
int	api_movement_get(struct request *);
int	api_movement_depart(struct request *);
int	api_movement_return(struct request *);
int	api_movement_cancel(struct request *);
int	api_follow_up_record(struct request *);
int	api_movement_summary(struct request *);
int	api_transfer_document(struct request *);
int	api_patient_fhir(struct request *);
int	api_establishment_get(struct request *);
int	api_backup_create(struct request *);
int	api_backup_list(struct request *);
int	api_terminal_enrol(struct request *);
int	api_terminal_list(struct request *);
int	api_terminal_revoke(struct request *);

/* How records look in answers (api_present.c). */
#include <stdint.h>

#include <jansson.h>

#include "continuity.h"

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

/* Products, prescriptions, doses and the register (api_present_rx.c). */
struct product;
struct prescription;
struct store_person;
struct store_patient_ref;
struct store_dose_row;
struct store_register_row;

void	 api_person_from_staff(const struct staff *, struct store_person *);
json_t	*api_person_json(const struct store_person *);
json_t	*api_patient_ref_json(const struct store_patient_ref *);
json_t	*api_product_json(const struct product *, int with_balance);
json_t	*api_active_json(const struct product *, int64_t measure);
json_t	*api_prescription_json(const struct prescription *,
	    const struct product *, const struct store_person *prescriber,
	    int64_t now);
json_t	*api_dose_json(const struct store_dose_row *, int64_t now);
json_t	*api_register_json(const struct store_register_row *);
struct register_entry;
int	api_register_correctable(struct request *, const char *product_id,
	    const char *corrects, int64_t delta, struct register_entry *);
int	api_register_correction_alert(struct request *,
	    const struct product *, const struct register_entry *);
int	 api_prescriptions_of(struct request *, const char *patient_id,
	    json_t **out);
int	 api_patient_load(struct request *, struct patient *);
int	 api_patient_named(struct request *, const char *id,
	    struct patient *);
int	 api_patient_community(struct request *, const json_t *,
	    struct patient *);
int	 api_observation_marks(struct request *, json_t *list);
/* The parts of a patient's record (api_record.c). */
int	api_patient_record(struct request *);
int	api_handover(struct request *);
int	api_observations_of(struct request *, const char *patient_id,
	    int limit, json_t **out);
int	api_patient_changes_of(struct request *, const char *patient_id,
	    json_t **out);
void	api_alert_audiences(unsigned roles, int ask, char *buf,
	    size_t size);
int	 api_dose_mark(struct request *, const char *dose_id, json_t *);

/* Movements as answered, and the one in the path (api_movements.c). */
struct store_movement_row;
int	 api_movement_json(struct request *,
	    const struct store_movement_row *, json_t **out);
int	 api_movement_load(struct request *, struct store_movement_row *);

/* Meet a patient's continuity clock, if still running (api_clocks.c). */
int	api_clock_meet(struct request *, const char *patient_id,
	    enum care_clock_kind, const char *how, int *met);

/* Check a person's username and PIN now, counting failures towards their
 * lockout (api_signin.c): for sign-in, and for a witness.  A wrong PIN
 * sets keep_changes so the lockout count is committed: so it must be
 * called before the request changes anything else, or a refused request
 * would commit half its work. */
int	api_signin_verify(struct request *, const char *username,
	    const char *pin, struct staff *out);
int	api_pin_check(struct request *, struct staff *who, const char *pin,
	    int *locked_now);
int	api_pin_gate(struct request *, const struct staff *who,
	    int64_t *until);
int	api_pin_unknown(struct request *, const char *username,
	    const char *pin);
int	api_signin_waste_time(struct request *, const char *pin);

/* Where a request comes from (api_terminals.c): the enrolled terminal
 * it presents as X-Terminal (identified for every request), whether a
 * PIN may be taken there, and the place its wrong PINs count at; and
 * whether a session is used where it was opened (api_sessions.c). */
#include "auth_lock.h"
const char *api_source(const struct request *);
void	api_place(const struct request *, char place[AUTH_PLACE_LEN]);
int	api_terminal_identify(struct request *);
int	api_terminal_required(struct request *);
int	api_session_bound(struct request *);

/* The witness named in a request body's "witness": {username, pin},
 * checked as docs/design.md rule 1 asks, PIN last (api_witness.c).  The same
 * ordering rule as api_signin_verify applies. */
int	api_witness_verify(struct request *, const json_t *body,
	    struct staff *out);

/* Changes of access that wait for a second person, and one's own PIN
 * (api_staff_changes.c). */
#include "staff_change.h"

int	api_staff_change_list(struct request *);
int	api_staff_change_approve(struct request *);
int	api_staff_change_decline(struct request *);
int	api_staff_my_pin(struct request *);
int	api_staff_change_ask(struct request *, const struct staff *subject,
	    enum staff_change_kind, unsigned roles, const char *pin_hash,
	    json_t **out);
int	api_staff_change_supersede(struct request *, const char *staff_id,
	    enum staff_change_kind);

/* Import at reception (api_import.c): a signed transfer document in, and
 * its prescriptions confirmed one by one, through the path every arrival
 * (api_patients.c) and every new prescription (api_prescriptions.c)
 * takes. */
int	api_arrival_import(struct request *);
int	api_prescription_confirm(struct request *);
int	api_rx_to_confirm_of(struct request *, const char *patient_id,
	    json_t *list);
int	api_rx_to_confirm_load(struct request *, const char *id,
	    json_t **out);
int	api_patient_register(struct request *, struct patient *);
int	api_prescription_override(struct request *, const char **reason);
int	api_prescription_admit(struct request *, struct prescription *,
	    const char *patient_id, const char *product_id,
	    const char *override_reason, json_t **detail);
int	api_prescription_store(struct request *, struct prescription *,
	    const char *action, json_t *detail, json_t *extra, json_t **answer);

#endif
