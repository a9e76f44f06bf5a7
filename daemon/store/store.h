/* The store: the SQLite connection, its migrations and transactions, and
 * every statement the daemon runs (in store_*.c). */
#ifndef IDTSD_STORE_H
#define IDTSD_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "audit.h"
#include "caution.h"
#include "continuity.h"
#include "dose.h"
#include "movement.h"
#include "observation.h"
#include "patient.h"
#include "prescription.h"
#include "register.h"
#include "report.h"
#include "staff.h"
#include "staff_change.h"

struct store;
struct care_clock;
struct alert;

/* What a store call tells its caller. */
enum store_result {
	STORE_OK = 0,
	STORE_NOT_FOUND,
	STORE_CONFLICT,		/* a uniqueness rule was broken */
	STORE_ERROR,		/* the database failed: answer 503 */
};

int	store_open(const char *path, struct store **out, char **cause);
void	store_close(struct store *);
enum store_result store_record_clean_stop(struct store *, int64_t now);
int64_t	store_clean_stop_found(struct store *);
int	store_created(struct store *);
int	store_schema_version(struct store *);

/* For GET /v1/health and GET /metrics (store_metrics.c). */
int	store_user_version(struct store *);
enum store_result store_sessions_open(struct store *, int64_t now,
	    int64_t *n);
enum store_result store_deadlines_pending(struct store *, size_t i,
	    const char **kind, int64_t *n);
enum store_result store_backup_latest(struct store *, int64_t *attempt_at,
	    int *verified, int64_t *verified_at);

enum store_result store_begin(struct store *, int write);
enum store_result store_commit(struct store *);
void	store_rollback(struct store *);
enum store_result store_seal_json(struct store *);
enum store_result store_savepoint(struct store *);
enum store_result store_release(struct store *);
void	store_rollback_savepoint(struct store *);

/* Group commit (store_batch.c). */
int	store_batching(struct store *, void (*flush)(void *), void *arg);
enum store_result store_request_begin(struct store *, int write,
	    int *batched);
enum store_result store_request_end(struct store *);
void	store_request_undo(struct store *);
int	store_batch_pending(const struct store *);
enum store_result store_batch_commit(struct store *);

/* Staff (store_staff.c). */
enum store_result store_staff_insert(struct store *, const struct staff *);
enum store_result store_staff_update(struct store *, const struct staff *);
enum store_result store_staff_by_id(struct store *, const char *id,
	    struct staff *);
enum store_result store_staff_by_username(struct store *, const char *name,
	    struct staff *);
enum store_result store_staff_list(struct store *,
	    void (*each)(const struct staff *, void *), void *arg);
enum store_result store_staff_count_active_role(struct store *, unsigned role,
	    const char *except_id, int *n);
enum store_result store_staff_count(struct store *, int *n);

/* Sessions (store_sessions.c), each bound to the terminal it was opened
 * on, or where there was none to its source address. */
#define STORE_SOURCE_LEN	64	/* a source address and NUL */
enum store_result store_session_insert(struct store *, const char *hash,
	    const char *staff_id, int64_t now, int64_t expires_at,
	    const char *terminal_id, const char *source);
enum store_result store_session_place(struct store *, const char *hash,
	    char terminal_id[37], char source[STORE_SOURCE_LEN]);
enum store_result store_session_lookup(struct store *, const char *hash,
	    char staff_id[37], int64_t *expires_at);
enum store_result store_session_extend(struct store *, const char *hash,
	    int64_t expires_at);
enum store_result store_session_delete(struct store *, const char *hash);
enum store_result store_sessions_end_for_staff(struct store *,
	    const char *staff_id);
enum store_result store_sessions_prune(struct store *, int64_t now);

/* Enrolled terminals, and wrong PINs by place (store_terminals.c). */
#define TERMINAL_NAME_MAX	100	/* characters */
struct store_terminal {
	char	id[37];
	char	name[TERMINAL_NAME_MAX * 4 + 1];
	char	location[TERMINAL_NAME_MAX * 4 + 1];
	char	credential_hash[65];
	char	enrolled_by[37];
	int64_t	enrolled_at;
	int64_t	revoked_at;		/* 0: not revoked */
	char	revoked_by[37];
};
enum store_result store_terminal_insert(struct store *,
	    const struct store_terminal *);
enum store_result store_terminal_get(struct store *, const char *id,
	    struct store_terminal *);
enum store_result store_terminal_list(struct store *,
	    void (*each)(const struct store_terminal *, void *), void *arg);
enum store_result store_terminal_revoke(struct store *, const char *id,
	    int64_t now, const char *by);
enum store_result store_pin_place(struct store *, const char *place,
	    struct auth_place *);
enum store_result store_pin_place_save(struct store *, const char *place,
	    const struct auth_place *);
enum store_result store_pin_here(struct store *, const char *staff_id,
	    const char *place, int64_t now, struct auth_lock *here,
	    int *elsewhere);
enum store_result store_pin_here_save(struct store *, const char *staff_id,
	    const char *place, const struct auth_lock *here);
enum store_result store_pin_clear(struct store *, const char *staff_id);

/* Patients (store_patients.c). */
enum store_result store_patient_insert(struct store *,
	    const struct patient *);
enum store_result store_patient_get(struct store *, const char *id,
	    struct patient *);
enum store_result store_patient_flag_stimulant(struct store *,
	    const char *id);
enum store_result store_patient_list(struct store *, const char *status,
	    void (*each)(const struct patient *, void *), void *arg);

/* Continuity clocks, keyworkers, decisions (store_clocks.c). */
enum store_result store_clock_insert(struct store *, const struct care_clock *);
enum store_result store_clock_update(struct store *, const struct care_clock *,
	    const char *met_by);
enum store_result store_clock_get(struct store *, const char *patient_id,
	    enum care_clock_kind, struct care_clock *);
enum store_result store_clock_list(struct store *, const char *patient_id,
	    void (*each)(const struct care_clock *, void *), void *arg);
enum store_result store_clocks_pending(struct store *, int64_t now,
	    void (*each)(const struct care_clock *, void *), void *arg);
enum store_result store_clock_next_deadline(struct store *, int64_t *at);
enum store_result store_keyworker_insert(struct store *,
	    const char *patient_id, const char *staff_id, int64_t now,
	    const char *by);
enum store_result store_decision_insert(struct store *, const char *id,
	    const char *patient_id, int continue_treatment, const char *reason,
	    int64_t now, const char *by);

/* Alerts and their stream events (store_alerts.c). */
enum store_result store_alert_insert(struct store *, struct alert *);
enum store_result store_alert_raise(struct store *, struct alert *,
	    int64_t now, const char *actor_id);
enum store_result store_alert_raise_pair(struct store *, struct alert *pair,
	    int64_t now, const char *actor_id);
enum store_result store_alert_get(struct store *, const char *id,
	    struct alert *);
enum store_result store_alert_ack(struct store *, const struct alert *);
enum store_result store_alert_list(struct store *, int open_only,
	    const char *audience, void (*each)(const struct alert *, void *),
	    void *arg);
enum store_result store_alerts_ack_subject(struct store *,
	    const char *subject_id, const char *staff_id, int64_t now,
	    const char *note);
enum store_result store_alerts_ack_about(struct store *,
	    const char *subject_id, const char *staff_id, int64_t now,
	    const char *note);
enum store_result store_alerts_ack_patient(struct store *,
	    const char *patient_id, const char *staff_id, int64_t now,
	    const char *note);
enum store_result store_alert_exists(struct store *, const char *kind,
	    const char *subject_id, int *exists);
enum store_result store_alert_events_after(struct store *, int64_t after,
	    int limit, void (*each)(int64_t seq, const char *event,
	    const struct alert *, void *), void *arg);
enum store_result store_alert_last_seq(struct store *, int64_t *seq);
enum store_result store_alerts_to_escalate(struct store *, int64_t now,
	    void (*each)(const struct alert *, void *), void *arg);
enum store_result store_alert_mark_escalated(struct store *, const char *id);
enum store_result store_alert_next_escalation(struct store *, int64_t *at);

/* Who signed something, as a record shows them. */
struct store_person {
	char	id[UUID_STR_LEN];
	char	username[USERNAME_MAX + 1];
	char	display_name[STAFF_NAME_MAX * 4 + 1];
};

/* Grants and PIN resets waiting for a second person
 * (store_staff_changes.c). */
struct store_staff_change_row {
	struct staff_change	change;
	struct store_person	staff, requested_by, decided_by; /* id "" */
};
enum store_result store_staff_change_insert(struct store *,
	    const struct staff_change *);
enum store_result store_staff_change_get(struct store *, const char *id,
	    struct staff_change *);
enum store_result store_staff_change_decide(struct store *, const char *id,
	    enum staff_change_state, const char *by, int64_t now);
enum store_result store_staff_change_pending(struct store *,
	    const char *staff_id, enum staff_change_kind, struct staff_change *);
enum store_result store_staff_change_list(struct store *, int64_t now,
	    void (*each)(const struct store_staff_change_row *, void *),
	    void *arg);

/* A patient as a dose or register entry names them. */
struct store_patient_ref {
	char	id[UUID_STR_LEN];
	char	prison_number[PRISON_NUMBER_LEN];
	char	given_name[PATIENT_NAME_MAX * 4 + 1];
	char	family_name[PATIENT_NAME_MAX * 4 + 1];
	char	location[PATIENT_LOCATION_MAX * 4 + 1];
};

/* Products, the register's pages (store_register.c). */
enum store_result store_product_insert(struct store *, const struct product *);
enum store_result store_product_get(struct store *, const char *id,
	    struct product *);
enum store_result store_product_list(struct store *,
	    void (*each)(const struct product *, void *), void *arg);
enum store_result store_product_update(struct store *,
	    const struct product *);
enum store_result store_register_balance(struct store *,
	    const char *product_id, int64_t *balance);

/* The register (store_register.c). */
struct store_register_row {
	struct register_entry	 entry;
	struct store_person	 by, witness;
	struct store_patient_ref patient;	/* id "" when none */
};
enum store_result store_register_insert(struct store *,
	    struct register_entry *);
enum store_result store_register_get(struct store *, const char *id,
	    struct register_entry *);
enum store_result store_register_corrected(struct store *, const char *id,
	    int64_t *sum);
enum store_result store_register_list(struct store *, const char *product_id,
	    int64_t after, int limit,
	    void (*each)(const struct store_register_row *, void *), void *arg);

/* Prescriptions (store_prescriptions.c). */
enum store_result store_prescription_insert(struct store *,
	    const struct prescription *);
enum store_result store_prescription_get(struct store *, const char *id,
	    struct prescription *);
enum store_result store_prescription_list(struct store *,
	    const char *patient_id,
	    void (*each)(const struct prescription *, void *), void *arg);
enum store_result store_prescription_update(struct store *,
	    const struct prescription *);
enum store_result store_prescription_overlapping(struct store *,
	    const struct prescription *, int *found);
enum store_result store_prescription_last_stopped(struct store *,
	    const struct prescription *, struct dose_hold *,
	    int64_t *stopped_at);
enum store_result store_prescription_substitutes(struct store *,
	    const char *patient_id, int *n);
enum store_result store_prescriptions_to_extend(struct store *,
	    int64_t before, int limit,
	    void (*each)(const struct prescription *, void *), void *arg);
enum store_result store_prescription_next_extension(struct store *,
	    int64_t *at);
enum store_result store_review_insert(struct store *, const char *id,
	    const char *prescription_id, const char *note, int64_t now,
	    const char *by);

/* Doses (store_doses.c). */
struct store_dose_row {
	struct dose		 dose;
	int			 held;		/* its prescription is held */
	int			 stopped;	/* its prescription stopped */
	struct dose_trip	 trip;		/* the last out by due_at */
	struct store_patient_ref patient;
	struct product		 product;
	struct store_person	 given_by, witness;
	/* A prescription written over the first-dose checks: the
	 * prescriber's reason and what it overrode ("" when none), and
	 * whether a dose of it was given before this one. */
	char			 override_reason[PRESCRIPTION_REASON_MAX * 4 + 1];
	char			 override_codes[PRESCRIPTION_CODES_MAX];
	int			 given_before;
};
/* What stands in a row's way, as the dose rules take it. */
static inline int
store_dose_standing(const struct store_dose_row *row)
{
	return (row->held ? DOSE_RX_HELD : 0) |
	    (row->stopped ? DOSE_RX_STOPPED : 0) |
	    (dose_patient_away(&row->trip, row->dose.due_at,
	    row->dose.window_end) ? DOSE_PATIENT_AWAY : 0);
}
enum store_result store_dose_insert(struct store *, const struct dose *);
enum store_result store_dose_get(struct store *, const char *id,
	    struct store_dose_row *);
enum store_result store_dose_update(struct store *, const struct dose *);
enum store_result store_dose_list(struct store *, int64_t from, int64_t to,
	    const char *patient_id,
	    void (*each)(const struct store_dose_row *, void *), void *arg);
enum store_result store_doses_to_open(struct store *, int64_t now, int limit,
	    void (*each)(const struct dose *, void *), void *arg);
enum store_result store_doses_to_close(struct store *, int64_t now, int limit,
	    void (*each)(const struct dose *, void *), void *arg);
enum store_result store_dose_next_deadline(struct store *, int64_t *at);
enum store_result store_doses_delete_open(struct store *,
	    const char *prescription_id, int64_t now, int64_t *n);
enum store_result store_dose_given_nearby(struct store *, const struct dose *,
	    int64_t *given_at);
enum store_result store_patient_trip(struct store *, const char *patient_id,
	    int64_t at, struct dose_trip *);

/* Movements and the morning doses they prepare (store_movements.c). */
struct store_movement_row {
	struct movement		 movement;
	struct store_patient_ref patient;
	struct store_person	 created_by, departed_by;
};
struct store_movement_dose {
	struct store_dose_row	 row;
	int64_t			 original_due_at;
	int64_t			 moved_to;	/* where the movement put it */
	int			 created;	/* laid out for the movement */
};
enum store_result store_movement_insert(struct store *,
	    const struct movement *);
enum store_result store_movement_update(struct store *,
	    const struct movement *);
enum store_result store_movement_get(struct store *, const char *id,
	    struct store_movement_row *);
enum store_result store_movements_open(struct store *, const char *patient_id,
	    void (*each)(const struct store_movement_row *, void *), void *arg);
enum store_result store_movement_list(struct store *, int64_t from,
	    int64_t to, const char *kind,
	    void (*each)(const struct store_movement_row *, void *), void *arg);
enum store_result store_movements_to_warn(struct store *, int64_t now,
	    int limit,
	    void (*each)(const struct store_movement_row *, void *), void *arg);
enum store_result store_movement_next_warning(struct store *, int64_t *at);
enum store_result store_movement_dose_insert(struct store *,
	    const char *movement_id, const char *dose_id,
	    int64_t original_due_at, int64_t moved_to, int created);
enum store_result store_movement_doses(struct store *,
	    const char *movement_id,
	    void (*each)(const struct store_movement_dose *, void *), void *arg);
enum store_result store_dose_preparations(struct store *,
	    const char *dose_id,
	    void (*each)(const struct movement_preparation *, void *),
	    void *arg);
enum store_result store_movement_has_prescription(struct store *,
	    const char *movement_id, const char *prescription_id, int *has);
enum store_result store_dose_move(struct store *, const struct dose *);
enum store_result store_dose_first_between(struct store *,
	    const char *prescription_id, int64_t from, int64_t to,
	    struct dose *);
enum store_result store_doses_open_by(struct store *, const char *patient_id,
	    int64_t at, void (*each)(const struct store_dose_row *, void *),
	    void *arg);
enum store_result store_dose_last_given(struct store *,
	    const char *prescription_id, struct store_dose_row *);
enum store_result store_patient_away(struct store *, const char *patient_id,
	    int64_t at, int *away);
enum store_result store_patient_set_status(struct store *, const char *id,
	    const char *status);
enum store_result store_clocks_end(struct store *, const char *patient_id,
	    int64_t at);

/* What the cautions at the point of administration look at, and those
 * confirmed (store_cautions.c). */
enum store_result store_caution_observations(struct store *,
	    const char *patient_id, int64_t since, int64_t until,
	    void (*each)(const struct observation *, void *), void *arg);
enum store_result store_caution_last_given(struct store *,
	    const char *patient_id, const char *product_id, struct dose *,
	    int *found);
enum store_result store_dose_caution_insert(struct store *,
	    const char *dose_id, const struct caution *,
	    const char *staff_id, int64_t at);
enum store_result store_dose_cautions(struct store *, const char *dose_id,
	    struct caution_list *);

/* Observation plans, observations and their dues
 * (store_observations.c). */
struct store_due_row {
	struct observation_due	 due;
	struct store_patient_ref patient;
	struct observation_plan	 plan;
	int64_t			 last_taken_at;	/* 0: none yet */
	int			 last_total;
	char			 last_band[16];
};
struct store_report_row {
	struct store_patient_ref patient;
	char			 day[TIMEFMT_DATE_LEN];	/* local */
	struct report_counts	 counts;
};
enum store_result store_plan_insert(struct store *,
	    const struct observation_plan *, const char *by, int64_t now);
enum store_result store_plan_get(struct store *, const char *patient_id,
	    struct observation_plan *);
enum store_result store_plan_update(struct store *,
	    const struct observation_plan *);
enum store_result store_observation_insert(struct store *,
	    const struct observation *);
enum store_result store_observation_last(struct store *,
	    const char *patient_id, int64_t *taken_at);
enum store_result store_observation_list(struct store *,
	    const char *patient_id, int limit,
	    void (*each)(const struct observation *, void *), void *arg);
enum store_result store_due_insert(struct store *,
	    const struct observation_due *);
enum store_result store_due_open(struct store *, const char *patient_id,
	    struct observation_due *);
enum store_result store_due_last_opened(struct store *,
	    const char *patient_id, int64_t at, struct observation_due *);
enum store_result store_due_update(struct store *,
	    const struct observation_due *);
enum store_result store_dues_to_warn(struct store *, int64_t now, int limit,
	    void (*each)(const struct observation_due *, void *), void *arg);
enum store_result store_dues_to_miss(struct store *, int64_t now, int limit,
	    void (*each)(const struct observation_due *, void *), void *arg);
enum store_result store_due_next_deadline(struct store *, int64_t *at);
enum store_result store_dues_open_list(struct store *, int64_t now,
	    void (*each)(const struct store_due_row *, void *), void *arg);
enum store_result store_observation_report(struct store *, int64_t from,
	    int64_t to, int64_t now,
	    void (*each)(const struct store_report_row *, void *), void *arg);

/* The audit chain (store_audit.c). */
enum store_result store_audit_append(struct store *, int64_t now,
	    const char *actor_id, const char *action, const char *record_type,
	    const char *record_id, json_t *detail);
enum store_result store_audit_list(struct store *, int64_t after, int limit,
	    void (*each)(const struct audit_entry *, const char *hash, void *),
	    void *arg);
enum store_result store_audit_verify(struct store *,
	    const struct audit_anchor *, struct audit_check *);
int64_t		 store_audit_changes(struct store *);
enum store_result store_audit_head(struct store *, int64_t *seq,
	    char hash[DIGEST_HEX_LEN]);
enum store_result store_anchor_insert(struct store *,
	    const struct audit_anchor *);
enum store_result store_anchor_latest(struct store *, struct audit_anchor *,
	    int *found);
enum store_result store_anchor_holds(struct store *,
	    const struct audit_anchor *, enum audit_problem *);
enum store_result store_anchor_entry_latest(struct store *,
	    int64_t *entry_seq, int64_t *signed_seq);

/* Idempotency records (store_idempotency.c). */
enum store_result store_idempotency_get(struct store *, const char *key,
	    char fingerprint[65], int *status, char **body);
enum store_result store_idempotency_put(struct store *, const char *key,
	    const char *fingerprint, int status, const char *body, int64_t now);
enum store_result store_idempotency_prune(struct store *, int64_t before);

/* Small persistent settings (store_meta.c). */
enum store_result store_meta_get(struct store *, const char *name,
	    int64_t *value);
enum store_result store_meta_set(struct store *, const char *name,
	    int64_t value);

#endif
