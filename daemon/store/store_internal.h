/* What the store_*.c files share: the connection and the statement cache.
 * Nothing outside the store includes this. */
#ifndef IDTSD_STORE_INTERNAL_H
#define IDTSD_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

struct store_cached {
	const char	*sql;		/* compared by address */
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	int			 in_transaction;
	int			 rollback_only;	/* an item could not be undone */
	/* json_alloc_failures() at begin (plus those undone with an item)
	 * and at the item's savepoint; sealed: checked already */
	unsigned long		 json_failures, item_json_failures;
	int			 json_sealed;
	/* Group commit (store_batch.c): the batch transaction is open, a
	 * request's savepoint is open in it, and the request's own count
	 * of jansson's failures and its seal; flush commits the batch and
	 * answers it, for anything else that would begin a transaction. */
	int			 batch_open, in_request, request_sealed;
	unsigned long		 request_json_failures;
	void			(*flush)(void *);
	void			*flush_arg;
	struct store_cached	*stmts;
	int			 nstmts, cap;
	int64_t			 clean_stop_found;	/* at open; 0: none */
	int			 created;	/* the schema made at open */
};

sqlite3_stmt	*store_stmt(struct store *, const char *sql);
enum store_result store_request_seal(struct store *);
void		 store_done(sqlite3_stmt *);
enum store_result store_step_done(struct store *, sqlite3_stmt *);
enum store_result store_failed(struct store *, int rc, const char *what);
enum store_result store_one_int64(struct store *, const char *sql,
		    const int64_t *bind, int64_t *out);
enum store_result store_get_one(struct store *, const char *sql,
		    const char *key, void (*row)(sqlite3_stmt *, void *),
		    void *out, const char *what);
void		 store_bind_optional(sqlite3_stmt *, int, const char *);
enum store_result store_earliest(struct store *, const char *sql_a,
		    const char *sql_b, int64_t *at);
const char	*store_text(sqlite3_stmt *, int col);
void		 store_person_columns(sqlite3_stmt *, int first,
		    struct store_person *);
void		 store_patient_ref_columns(sqlite3_stmt *, int first,
		    struct store_patient_ref *);
void		 store_copy_text(sqlite3_stmt *, int col, char *out,
		    size_t size);

/* Doses (store_doses.c), for the statements of other files that select
 * them. */
#define DOSE_COLUMNS \
	"d.id, d.prescription_id, d.patient_id, d.due_at, d.window_start, " \
	"d.window_end, d.amount, d.state, d.recorded_at, d.recorded_by, " \
	"d.witnessed_by, d.reason, d.note, d.register_entry_id"
#define DOSE_NCOLUMNS	14
/* A dose with the patient, product and people it names, and the trip out
 * the patient was on when it fell due (the last to depart by then; whether
 * that made them away for it is dose_patient_away()'s to say):
 * DOSE_ROW_SELECT, or DOSE_ROW_COLUMNS, more
 * columns (from DOSE_ROW_NCOLUMNS on), then DOSE_ROW_FROM. */
#define DOSE_ROW_COLUMNS DOSE_COLUMNS ", " \
	"rx.held_at IS NOT NULL, rx.stopped_at IS NOT NULL, " \
	"p.id, p.prison_number, p.given_name, p.family_name, p.location, " \
	"pr.id, pr.name, pr.form, pr.strength, pr.unit, " \
	"g.id, g.username, g.display_name, w.id, w.username, w.display_name, " \
	"trip.departed_at, trip.returned_at, " \
	"pr.active_quantity, pr.active_unit, " DOSE_ROW_OVERRIDE ", " \
	"pr.max_single_dose, pr.max_daily_dose, pr.opioid_substitute, " \
	DOSE_ROW_GIVEN_BEFORE
#define DOSE_ROW_NCOLUMNS	42
/* The override its prescription was written over, and whether a dose of
 * that prescription was given before this one (the UNIQUE
 * (prescription_id, due_at) index finds them; looked for only when there
 * is an override).  prescribing_override_shown() decides what the nurse
 * sees. */
#define DOSE_ROW_OVERRIDE "rx.override_reason, rx.override_codes"
#define DOSE_ROW_GIVEN_BEFORE \
	"rx.override_reason IS NOT NULL AND EXISTS (SELECT 1 FROM doses f " \
	"WHERE f.prescription_id = d.prescription_id AND f.state = 'given' " \
	"AND f.due_at < d.due_at)"
#define DOSE_ROW_SELECT "SELECT " DOSE_ROW_COLUMNS " " DOSE_ROW_FROM
#define DOSE_ROW_FROM \
	"FROM doses d JOIN prescriptions rx ON rx.id = d.prescription_id " \
	"JOIN patients p ON p.id = d.patient_id " \
	"JOIN products pr ON pr.id = rx.product_id " \
	"LEFT JOIN staff g ON g.id = d.recorded_by " \
	"LEFT JOIN staff w ON w.id = d.witnessed_by " \
	"LEFT JOIN movements trip ON trip.id = (SELECT m.id FROM movements m " \
	"WHERE m.patient_id = d.patient_id AND m.departed_at <= d.due_at " \
	"ORDER BY m.departed_at DESC LIMIT 1) "
void		 store_bind_instant(sqlite3_stmt *, int, int64_t);
/* Observations (store_observations.c), for other files that select
 * them. */
#define OBSERVATION_COLUMNS \
	"id, patient_id, taken_at, respiratory_rate, spo2, spo2_scale, " \
	"on_oxygen, systolic_bp, pulse, consciousness, temperature_tenths, " \
	"next_due_at, recorded_by, recorded_at"
void		 store_observation_columns(sqlite3_stmt *, struct observation *);
enum store_result store_observations_each(struct store *, sqlite3_stmt *,
		    void (*each)(const struct observation *, void *), void *arg);
void		 store_dose_columns(sqlite3_stmt *, struct dose *);
void		 store_dose_row(sqlite3_stmt *, void *out);

#endif
