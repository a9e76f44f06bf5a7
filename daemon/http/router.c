/* Every route of the API in one table, and the steps every request takes:
 * match, sign-in, role, transaction, idempotency, handler, commit.  The
 * answer is only set free after COMMIT, so nothing acknowledged is lost. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "idempotency.h"
#include "json_out.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "request_pin.h"
#include "roles.h"
#include "router.h"
#include "server.h"
#include "short_id.h"
#include "store.h"
#include "validate.h"

#define ROUTE_PUBLIC		0x1	/* no sign-in needed */
#define ROUTE_TEST_CLOCK	0x2	/* only with --test-clock */
#define ROUTE_NO_IDEMPOTENCY	0x4	/* the answer holds a secret */
#define ROUTE_NO_TRANSACTION	0x8	/* a GET that reads nothing another
					 * request writes: no BEGIN/COMMIT */

struct route {
	enum request_method	 method;
	const char		*pattern;	/* "{}" matches one segment */
	int			(*handler)(struct request *);
	unsigned		 roles;		/* any of these; 0: anyone */
	int			 flags;
};

static const struct route routes[] = {
	/* Reads only the schema version (and an X-Terminal's enrolment),
	 * so a BEGIN and a COMMIT around them were a quarter of its
	 * dispatch (callgrind). */
	{ METHOD_GET, "/v1/health", api_health, 0,
	    ROUTE_PUBLIC | ROUTE_NO_TRANSACTION },
	/* Who signs its transfer documents, and the key to check them. */
	{ METHOD_GET, "/v1/establishment", api_establishment_get, 0,
	    ROUTE_PUBLIC },
	/* Who may read it, api_metrics decides (metrics.token, loopback). */
	{ METHOD_GET, "/metrics", api_metrics, 0,
	    ROUTE_PUBLIC | ROUTE_NO_IDEMPOTENCY },
	{ METHOD_POST, "/v1/sessions", api_session_create, 0,
	    ROUTE_PUBLIC | ROUTE_NO_IDEMPOTENCY },
	{ METHOD_DELETE, "/v1/sessions/current", api_session_delete, 0, 0 },
	{ METHOD_POST, "/v1/staff", api_staff_create, ROLE_ADMIN, 0 },
	{ METHOD_GET, "/v1/staff", api_staff_list, ROLE_ADMIN, 0 },
	/* Before /v1/staff/{}, which would take "changes" and "me" as ids. */
	{ METHOD_GET, "/v1/staff/changes", api_staff_change_list,
	    ROLE_ADMIN | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/staff/changes/{}/approve", api_staff_change_approve,
	    ROLE_ADMIN | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/staff/changes/{}/decline", api_staff_change_decline,
	    ROLE_ADMIN | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/staff/me/pin", api_staff_my_pin, 0,
	    ROUTE_NO_IDEMPOTENCY },
	{ METHOD_GET, "/v1/staff/{}", api_staff_get, ROLE_ADMIN, 0 },
	{ METHOD_PATCH, "/v1/staff/{}", api_staff_update, ROLE_ADMIN, 0 },
	{ METHOD_POST, "/v1/patients", api_patient_create, ROLE_RECEPTION, 0 },
	{ METHOD_POST, "/v1/arrivals/import", api_arrival_import,
	    ROLE_RECEPTION, 0 },
	{ METHOD_GET, "/v1/patients", api_patient_list, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_PHARMACIST |
	    ROLE_RECEPTION | ROLE_CARAT | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/patients/{}", api_patient_get, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_PHARMACIST |
	    ROLE_RECEPTION | ROLE_CARAT | ROLE_MANAGER, 0 },
	{ METHOD_PATCH, "/v1/patients/{}", api_patient_correct,
	    ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_GET, "/v1/patients/{}/history", api_patient_history,
	    ROLE_NURSE | ROLE_PRESCRIBER | ROLE_RECEPTION | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/patients/{}/record", api_patient_record,
	    ROLE_NURSE | ROLE_PRESCRIBER | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/handover", api_handover,
	    ROLE_NURSE | ROLE_PRESCRIBER | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/patients/{}/fhir", api_patient_fhir,
	    ROLE_NURSE | ROLE_PRESCRIBER, 0 },
	{ METHOD_POST, "/v1/patients/{}/entered-in-error",
	    api_patient_end_in_error, ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_GET, "/v1/audit", api_audit_list,
	    ROLE_MANAGER | ROLE_ADMIN, 0 },
	{ METHOD_GET, "/v1/audit/verify", api_audit_verify,
	    ROLE_MANAGER | ROLE_ADMIN, 0 },
	{ METHOD_POST, "/v1/patients/{}/keyworker", api_keyworker,
	    ROLE_CARAT | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/patients/{}/treatment-decision",
	    api_treatment_decision, ROLE_PRESCRIBER, 0 },
	{ METHOD_GET, "/v1/clocks", api_clock_list, ROLE_NURSE |
	    ROLE_PRESCRIBER | ROLE_RECEPTION | ROLE_CARAT | ROLE_MANAGER, 0 },
	/* Admins: the operational alerts alone (alert_may_read()). */
	{ METHOD_GET, "/v1/alerts", api_alert_list, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_PHARMACIST |
	    ROLE_RECEPTION | ROLE_MANAGER | ROLE_ADMIN, 0 },
	{ METHOD_GET, "/v1/alerts/stream", api_alert_stream, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_PHARMACIST |
	    ROLE_RECEPTION | ROLE_MANAGER | ROLE_ADMIN, 0 },
	{ METHOD_POST, "/v1/alerts/{}/ack", api_alert_ack, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_PHARMACIST |
	    ROLE_RECEPTION | ROLE_MANAGER | ROLE_ADMIN, 0 },
	{ METHOD_POST, "/v1/products", api_product_create,
	    ROLE_PHARMACIST | ROLE_ADMIN, 0 },
	{ METHOD_GET, "/v1/products", api_product_list, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_MANAGER |
	    ROLE_ADMIN, 0 },
	{ METHOD_GET, "/v1/products/{}", api_product_get, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_MANAGER |
	    ROLE_ADMIN, 0 },
	{ METHOD_PATCH, "/v1/products/{}", api_product_update,
	    ROLE_PHARMACIST, 0 },
	{ METHOD_POST, "/v1/prescriptions", api_prescription_create,
	    ROLE_PRESCRIBER, 0 },
	{ METHOD_GET, "/v1/prescriptions", api_prescription_list, ROLE_NURSE |
	    ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/prescriptions/{}", api_prescription_get, ROLE_NURSE |
	    ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/prescriptions/{}/stop", api_prescription_stop,
	    ROLE_PRESCRIBER, 0 },
	{ METHOD_POST, "/v1/prescriptions/{}/review", api_prescription_review,
	    ROLE_PRESCRIBER, 0 },
	{ METHOD_POST, "/v1/prescriptions/{}/confirm",
	    api_prescription_confirm, ROLE_PRESCRIBER, 0 },
	{ METHOD_GET, "/v1/doses", api_dose_list, ROLE_NURSE | ROLE_PRESCRIBER |
	    ROLE_PHARMACIST | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/doses/{}", api_dose_get, ROLE_NURSE |
	    ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/doses/{}/administer", api_dose_administer,
	    ROLE_NURSE, 0 },
	{ METHOD_POST, "/v1/doses/{}/refuse", api_dose_refuse, ROLE_NURSE, 0 },
	{ METHOD_POST, "/v1/doses/{}/withhold", api_dose_withhold,
	    ROLE_NURSE, 0 },
	{ METHOD_POST, "/v1/doses/{}/entered-in-error", api_dose_strike,
	    ROLE_NURSE, 0 },
	{ METHOD_GET, "/v1/register/{}", api_register_list,
	    ROLE_NURSE | ROLE_PHARMACIST | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/register/{}/receipts", api_register_receipt,
	    ROLE_PHARMACIST, 0 },
	{ METHOD_POST, "/v1/register/{}/returns", api_register_return,
	    ROLE_PHARMACIST, 0 },
	{ METHOD_POST, "/v1/register/{}/destructions",
	    api_register_destruction, ROLE_PHARMACIST, 0 },
	{ METHOD_POST, "/v1/register/{}/checks", api_register_check,
	    ROLE_NURSE | ROLE_PHARMACIST, 0 },
	{ METHOD_POST, "/v1/register/{}/corrections", api_register_correction,
	    ROLE_PHARMACIST, 0 },
	{ METHOD_POST, "/v1/observations", api_observation_create,
	    ROLE_NURSE | ROLE_COMPETENT, 0 },
	{ METHOD_GET, "/v1/observations", api_observation_list, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/observations/due", api_observation_due, ROLE_NURSE |
	    ROLE_COMPETENT | ROLE_PRESCRIBER | ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/observations/{}/entered-in-error",
	    api_observation_strike, ROLE_NURSE, 0 },
	{ METHOD_POST, "/v1/patients/{}/observation-plan",
	    api_observation_plan_extend, ROLE_NURSE | ROLE_PRESCRIBER, 0 },
	{ METHOD_POST, "/v1/patients/{}/flags", api_patient_flags,
	    ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_GET, "/v1/reports/observations", api_report_observations,
	    ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/reports/doses", api_report_doses, ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/reports/clocks", api_report_clocks, ROLE_MANAGER,
	    0 },
	{ METHOD_GET, "/v1/reports/register", api_report_register,
	    ROLE_MANAGER | ROLE_PHARMACIST, 0 },
	{ METHOD_GET, "/v1/reports/alerts", api_report_alerts, ROLE_MANAGER,
	    0 },
	{ METHOD_GET, "/v1/reports/continuity", api_report_continuity,
	    ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/exports/treatment-episodes", api_export_episodes,
	    ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/reports/governance", api_report_governance,
	    ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/board", api_board, ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/movements", api_movement_create,
	    ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_GET, "/v1/movements", api_movement_list, ROLE_NURSE |
	    ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_RECEPTION | ROLE_CARAT |
	    ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/movements/{}", api_movement_get, ROLE_NURSE |
	    ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_RECEPTION | ROLE_CARAT |
	    ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/movements/{}/depart", api_movement_depart,
	    ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_POST, "/v1/movements/{}/return", api_movement_return,
	    ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_POST, "/v1/movements/{}/cancel", api_movement_cancel,
	    ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_POST, "/v1/movements/{}/follow-up", api_follow_up_record,
	    ROLE_RECEPTION | ROLE_NURSE, 0 },
	{ METHOD_GET, "/v1/movements/{}/summary", api_movement_summary,
	    ROLE_NURSE | ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_MANAGER, 0 },
	{ METHOD_GET, "/v1/movements/{}/transfer-document",
	    api_transfer_document, ROLE_NURSE | ROLE_RECEPTION, 0 },
	{ METHOD_GET, "/v1/readiness", api_readiness_get,
	    ROLE_MANAGER | ROLE_IDTS_LEAD, 0 },
	{ METHOD_GET, "/v1/readiness/history", api_readiness_history,
	    ROLE_MANAGER | ROLE_IDTS_LEAD, 0 },
	{ METHOD_PUT, "/v1/readiness/{}", api_readiness_put,
	    ROLE_MANAGER | ROLE_IDTS_LEAD, 0 },
	{ METHOD_GET, "/v1/rota", api_rota_get, 0, 0 },
	{ METHOD_PUT, "/v1/rota/{}", api_rota_put, ROLE_MANAGER, 0 },
	{ METHOD_POST, "/v1/backups", api_backup_create, ROLE_ADMIN, 0 },
	{ METHOD_GET, "/v1/backups", api_backup_list, ROLE_ADMIN, 0 },
	{ METHOD_POST, "/v1/test/clock", api_test_clock, ROLE_ADMIN,
	    ROUTE_TEST_CLOCK },
	{ METHOD_POST, "/v1/terminals", api_terminal_enrol, ROLE_ADMIN,
	    ROUTE_NO_IDEMPOTENCY },
	{ METHOD_GET, "/v1/terminals", api_terminal_list, ROLE_ADMIN, 0 },
	{ METHOD_POST, "/v1/terminals/{}/revoke", api_terminal_revoke,
	    ROLE_ADMIN, 0 },
};

/* Whether path matches pattern, collecting the {} segments into params. */
static int
router_match(const char *pattern, const char *path,
    const char *params[REQUEST_MAX_PARAMS], char store[][64])
{
	int	n = 0;

	while (*pattern != '\0' && *path != '\0') {
		if (strncmp(pattern, "{}", 2) == 0) {
			size_t	len = strcspn(path, "/");

			if (len == 0 || len >= 64 || n == REQUEST_MAX_PARAMS)
				return 0;
			memcpy(store[n], path, len);
			store[n][len] = '\0';
			params[n] = store[n];
			n++;
			pattern += 2;
			path += len;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == '\0' && *path == '\0';
}

/* The method and pattern of route number i, for the metrics; -1 past the
 * end of the table. */
int
router_route_name(int i, struct metrics_route_name *n)
{
	static const char *const methods[] = {
		"GET", "POST", "PATCH", "DELETE", "PUT", "OTHER"
	};

	if (i < 0 || (size_t)i >= sizeof routes / sizeof routes[0])
		return -1;
	n->method = methods[routes[i].method];
	n->pattern = routes[i].pattern;
	return 0;
}

/* Find the route; -1 with the answer set (404 or 405) if there is none. */
static const struct route *
router_find(struct request *r, char params[][64])
{
	const struct route	*rt;
	int			 path_known = 0;
	size_t			 i;

	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		rt = &routes[i];
		if ((rt->flags & ROUTE_TEST_CLOCK) && !r->srv->clock.test)
			continue;
		if (!router_match(rt->pattern, r->path, r->params, params))
			continue;
		if (rt->method == r->method) {
			r->route = (int)i + 1;	/* counted by metrics.c */
			return rt;
		}
		path_known = 1;
	}
	if (path_known)
		request_error(r, 405, "method_not_allowed",
		    "%s does not take this method", r->path);
	else
		request_error(r, 404, "not_found", "there is no %s in this API",
		    r->path);
	return NULL;
}

/* Establish who is calling from the bearer token; -1 with a 401 if the
 * token is missing, unknown, expired, used away from the terminal it was
 * opened on, or its owner inactive. */
static int
router_authenticate(struct request *r)
{
	const struct config	*cfg = r->srv->cfg;
	const char		*h = r->authorization, *token;
	char			 staff_id[UUID_STR_LEN];
	int64_t			 expires_at, idle;
	enum store_result	 sr;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return request_error(r, 401, "unauthenticated",
		    "sign in first: POST /v1/sessions, then send "
		    "Authorization: Bearer TOKEN");
	token = h + 7;
	if (strlen(token) != AUTH_TOKEN_LEN - 1 ||
	    auth_token_hash(token, r->token_hash) == -1)
		return request_error(r, 401, "unauthenticated",
		    "that token is not one this daemon issued");
	sr = store_session_lookup(r->srv->store, r->token_hash, staff_id,
	    &expires_at);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr == STORE_NOT_FOUND)
		return request_error(r, 401, "unauthenticated",
		    "that token is not one this daemon issued, or it was "
		    "signed out");
	if (expires_at <= r->now)
		return request_error(r, 401, "session_expired",
		    "the session expired after %d idle minutes; sign in again",
		    cfg->session_idle_minutes);
	if (api_session_bound(r) == -1)
		return -1;
	sr = store_staff_by_id(r->srv->store, staff_id, &r->staff);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK || !r->staff.active)
		return request_error(r, 401, "unauthenticated",
		    "this account is no longer active");
	r->signed_in = 1;

	/* Slide the idle expiry, at most once a minute, so reads seldom
	 * write. */
	idle = (int64_t)cfg->session_idle_minutes * 60000;
	if (r->now + idle - expires_at >= 60000 &&
	    store_session_extend(r->srv->store, r->token_hash, r->now + idle)
	    != STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* Replay the stored answer to an Idempotency-Key, or refuse a mismatch.
 * Returns 1 if the answer is set, 0 to go on, -1 on error. */
static int
router_idempotency(struct request *r, const char *fingerprint)
{
	char			 stored[DIGEST_HEX_LEN], *body = NULL;
	int			 status;
	json_t			*reply;
	enum store_result	 sr;

	sr = store_idempotency_get(r->srv->store, r->idempotency_key, stored,
	    &status, &body);
	if (sr == STORE_NOT_FOUND)
		return 0;
	if (sr != STORE_OK)
		return request_store_failed(r);
	if (strcmp(stored, fingerprint) != 0) {
		free(body);
		return request_error(r, 409, "idempotency_mismatch",
		    "this Idempotency-Key was used for a different request");
	}
	reply = body[0] != '\0' ? json_loads(body, 0, NULL) : NULL;
	free(body);
	request_reply(r, status, reply);
	return 1;
}

/* Record the answer under the request's Idempotency-Key. */
static int
router_remember(struct request *r, const char *fingerprint)
{
	char			*text = NULL;
	enum store_result	 sr;

	if (r->reply != NULL &&
	    (text = json_out_text(r->reply, JSON_ANSWER_FLAGS)) == NULL)
		return -1;
	sr = store_idempotency_put(r->srv->store, r->idempotency_key,
	    fingerprint, r->status, text ? text : "", r->now);
	free(text);
	return sr == STORE_OK ? 0 : -1;
}

/* Copy the request's Idempotency-Key, a UUID in either case, into key in
 * lower case; -1 with a 400 answer if it is not one. */
static int
router_idempotency_key(struct request *r, char key[UUID_STR_LEN])
{
	size_t	i;

	for (i = 0; i < UUID_STR_LEN - 1 && r->idempotency_key[i]; i++)
		key[i] = (char)tolower((unsigned char)r->idempotency_key[i]);
	key[i] = '\0';
	if (r->idempotency_key[i] != '\0' || validate_uuid(key) == -1)
		return request_error(r, 400, "invalid_idempotency_key",
		    "Idempotency-Key must be a UUID");
	return 0;
}

/* Who may ask: from the enrolled terminal it names, if any; signed in
 * unless the route is public, with a role the route allows.  0, or -1
 * with the answer set. */
static int
router_admit(struct request *r, const struct route *rt)
{
	if (api_terminal_identify(r) == -1)
		return -1;
	if (!(rt->flags & ROUTE_PUBLIC) && router_authenticate(r) == -1)
		return -1;
	if (rt->roles != 0 && (r->staff.roles & rt->roles) == 0)
		return request_error(r, 403, "forbidden",
		    "your roles do not allow this");
	return 0;
}

/* A write sent before under its Idempotency-Key: 1 if its first answer
 * was replayed, 0 to go on (fingerprint filled), -1 refused. */
static int
router_replay(struct request *r, char fingerprint[DIGEST_HEX_LEN])
{
	if (idempotency_fingerprint(r->signed_in ? r->staff.id : "",
	    r->method, r->path, r->body, fingerprint) == -1)
		return request_error(r, 500, "internal",
		    "cannot fingerprint the request");
	return router_idempotency(r, fingerprint);
}

/* After the handler: whether what it did may commit.  A success whose
 * answer could not be built (json_pack ran out of memory) commits
 * nothing: the caller could not learn what was done, and under its
 * Idempotency-Key the missing answer would be replayed for ever; sent
 * again, the request is done anew (found by tests/faults/alloc_faults.sh).
 * A refusal commits only what it asked to keep (a wrong PIN's count). */
static int
router_may_commit(struct request *r, int rc, int idem,
    const char *fingerprint)
{
	if (rc != 0 || r->status >= 300)
		return r->keep_changes;
	if (r->reply == NULL && r->text == NULL && !r->stream &&
	    r->status != 204) {
		request_error(r, 503, "out_of_memory", "the daemon ran out of "
		    "memory building the answer; nothing was changed, try "
		    "again");
		return 0;
	}
	if (idem && router_remember(r, fingerprint) == -1) {
		request_store_failed(r);
		return 0;
	}
	return 1;
}

/* Run one request to its answer.  Everything it changes, its audit entry
 * and its idempotency record commit together, or not at all. */
void
router_dispatch(struct request *r)
{
	const struct route	*rt;
	char			 params[REQUEST_MAX_PARAMS][64];
	char			 fingerprint[DIGEST_HEX_LEN];
	char			 key[UUID_STR_LEN];
	int			 write, rc, idem, txn;

	/* A request run again after PIN work keeps the instant of its first
	 * run: it is decided as of when it came (http.c). */
	if (r->now == 0)
		r->now = clock_now(&r->srv->clock);
	if ((rt = router_find(r, params)) == NULL)
		return;
	write = r->method != METHOD_GET;
	idem = write && r->idempotency_key != NULL &&
	    !(rt->flags & ROUTE_NO_IDEMPOTENCY);
	if (r->idempotency_key != NULL) {
		if (router_idempotency_key(r, key) == -1)
			return;
		r->idempotency_key = key;	/* lives until the answer */
	}
	txn = write || !(rt->flags & ROUTE_NO_TRANSACTION);
	r->batched = 0;
	if (txn && store_request_begin(r->srv->store, write, &r->batched) !=
	    STORE_OK) {
		r->batched = 0;
		request_store_failed(r);
		return;
	}
	rc = router_admit(r, rt);
	if (rc == 0)	/* a short id, once for every route (short_id.c) */
		rc = short_id_expand(r, rt->pattern, params);
	if (rc == 0 && write)	/* no write reads a query: refused first */
		rc = request_query_check(r, rc);
	if (rc == 0 && idem && (rc = router_replay(r, fingerprint)) == 1) {
		store_request_undo(r->srv->store);	/* replayed */
		return;
	}
	if (rc == 0)
		rc = rt->handler(r);
	if (request_pins_wanted(r)) {
		/* PIN work for the pool (request_pin.c): nothing stands, and
		 * the request runs again from the start when it is done (the
		 * handler stopped short, so its query is not checked yet). */
		if (txn)
			store_request_undo(r->srv->store);
		return;
	}
	rc = request_query_check(r, rc);
	if (!txn)
		return;
	if (!router_may_commit(r, rc, idem, fingerprint)) {
		store_request_undo(r->srv->store);
		return;
	}
	if (store_request_end(r->srv->store) != STORE_OK) {
		request_store_failed(r);
		return;
	}
	/* In a batch, the streams hear of it when the batch has committed
	 * (http_batch.c). */
	if (write && !r->batched)
		server_changed(r->srv);
}
