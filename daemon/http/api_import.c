/* Import at reception: a transfer document signed by another
 * establishment becomes an arrival here, through the path every arrival
 * takes, with the sending prison's prescriptions waiting for a
 * prescriber; a prescriber confirms each in one action, through the path
 * every new prescription takes.  Until then one is listed, never on a
 * round ("Import at reception" in docs/design.md). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "batch.h"
#include "calendar.h"
#include "digest.h"
#include "establishment.h"
#include "jws.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "store_imports.h"
#include "transfer_import.h"

/* Where an imported arrival is, until reception corrects it. */
#define IMPORT_LOCATION	"Reception"

/* Add a product to a batch. */
static void
api_import_product(const struct product *p, void *arg)
{
	batch_add(arg, p);
}

/* The product here each of the document's prescriptions names, as
 * transfer_product_match() decides, into ids; 422 unknown_product for
 * the first that names none. */
static int
api_import_products(struct request *r, const struct transfer_document *doc,
    char ids[][UUID_STR_LEN])
{
	struct batch		 b = BATCH_OF(struct product);
	const struct product	*m;
	int			 i, rc = 0;

	if (store_product_list(r->srv->store, api_import_product, &b) !=
	    STORE_OK || b.failed) {
		batch_free(&b);
		return request_store_failed(r);
	}
	for (i = 0; i < doc->nrx && rc == 0; i++) {
		m = transfer_product_match(&doc->rxs[i].drug, b.items, b.n);
		if (m == NULL)
			rc = request_error(r, 422, "unknown_product", "the "
			    "document's prescription of %s matches no product "
			    "here: add it (name, form and strength as the "
			    "sender wrote them), then import the document "
			    "again", doc->rxs[i].drug.text);
		else
			strcpy(ids[i], m->id);
	}
	batch_free(&b);
	return rc;
}

/* The SHA-256 of the document's canonical JSON (what its signature
 * covers), which a second import of it would share. */
static int
api_import_hash(struct request *r, char hash[DIGEST_HEX_LEN])
{
	const void	*parts[1];
	size_t		 lens[1];
	char		*canon;
	int		 rc;

	if ((canon = jws_canonical(r->body)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	parts[0] = canon;
	lens[0] = strlen(canon);
	rc = digest_sha256_hex(parts, lens, 1, hash);
	free(canon);
	return rc == -1 ? request_store_failed(r) : 0;
}

/* The document in the body: signed by an establishment this one trusts
 * (checked before anything in it is believed), whole, and never imported
 * here before. */
static int
api_import_read(struct request *r, struct transfer_document *doc,
    char hash[DIGEST_HEX_LEN])
{
	struct refusal	 why;
	int		 seen;

	if (jws_verify_document(r->body, &r->srv->establishment->trust,
	    &why) == -1 ||
	    transfer_read(r->body, calendar_local_date(r->now), doc,
	    &why) == -1)
		return request_refused(r, &why);
	if (api_import_hash(r, hash) == -1)
		return -1;
	if (store_import_seen(r->srv->store, hash, &seen) != STORE_OK)
		return request_store_failed(r);
	if (seen)
		return request_error(r, 409, "document_already_imported",
		    "transfer document %s from %s was imported here before; "
		    "a document makes one arrival", doc->document_id,
		    doc->sender);
	return 0;
}

/* Store the document's prescriptions as waiting for a prescriber, each
 * as its MedicationRequest came, and their ids into list. */
static int
api_import_rxs(struct request *r, const struct transfer_document *doc,
    const struct store_import *imp, char ids[][UUID_STR_LEN], json_t *list)
{
	struct store_rx_to_confirm	c;
	enum store_result		sr;
	int				i;

	for (i = 0; i < doc->nrx; i++) {
		memset(&c, 0, sizeof c);
		validate_new_uuid(c.id);
		strcpy(c.import_id, imp->id);
		strcpy(c.patient_id, imp->patient_id);
		strcpy(c.product_id, ids[i]);
		if ((c.request = json_dumps(doc->rxs[i].request, JSON_COMPACT |
		    JSON_SORT_KEYS)) == NULL)
			return request_error(r, 503, "out_of_memory",
			    "try again");
		sr = store_rx_to_confirm_insert(r->srv->store, &c);
		free(c.request);
		if (sr != STORE_OK)
			return request_store_failed(r);
		json_array_append_new(list, json_string(c.id));
	}
	return 0;
}

/* Record the import (who sent it, its id and hash, when and who) with
 * its prescriptions to confirm, and audit it. */
static int
api_import_record(struct request *r, const struct transfer_document *doc,
    struct store_import *imp, char ids[][UUID_STR_LEN])
{
	json_t	*rxs = json_array();

	validate_new_uuid(imp->id);
	strcpy(imp->patient_id, doc->patient.id);
	strcpy(imp->sender, doc->sender);
	strcpy(imp->document_id, doc->document_id);
	imp->imported_at = r->now;
	strcpy(imp->imported_by, r->staff.id);
	if (store_import_insert(r->srv->store, imp) != STORE_OK) {
		json_decref(rxs);
		return request_store_failed(r);
	}
	if (api_import_rxs(r, doc, imp, ids, rxs) == -1) {
		json_decref(rxs);
		return -1;
	}
	if (store_audit_append(r->srv->store, r->now, r->staff.id,
	    "arrival.import", "patient", doc->patient.id,
	    json_pack("{s:s,s:s,s:s,s:s,s:o}", "import_id", imp->id, "sender",
	    imp->sender, "document_id", imp->document_id, "document_hash",
	    imp->document_hash, "prescriptions_to_confirm", rxs)) !=
	    STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/arrivals/import, the document on the heap (it carries its
 * prescriptions). */
static int
api_import_do(struct request *r, struct transfer_document *doc)
{
	char			ids[TRANSFER_MAX_RX][UUID_STR_LEN];
	struct store_import	imp;
	json_t			*answer;

	memset(&imp, 0, sizeof imp);
	if (api_import_read(r, doc, imp.document_hash) == -1 ||
	    api_import_products(r, doc, ids) == -1)
		return -1;
	doc->patient.arrived_at = r->now;
	strcpy(doc->patient.location, IMPORT_LOCATION);
	if (api_patient_register(r, &doc->patient) == -1 ||
	    api_import_record(r, doc, &imp, ids) == -1 ||
	    api_patient_answer(r, &doc->patient, &answer) == -1)
		return -1;
	json_object_set_new(answer, "import", json_pack("{s:s,s:s,s:s,s:s,"
	    "s:o,s:i}", "id", imp.id, "sender", imp.sender, "document_id",
	    imp.document_id, "document_hash", imp.document_hash,
	    "imported_at", json_instant(imp.imported_at),
	    "prescriptions_to_confirm", doc->nrx));
	request_reply(r, 201, answer);
	return 0;
}

/* POST /v1/arrivals/import */
int
api_arrival_import(struct request *r)
{
	struct transfer_document	*doc;
	int				 rc;

	if ((doc = calloc(1, sizeof *doc)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	rc = api_import_do(r, doc);
	transfer_free(doc);
	free(doc);
	return rc;
}

/* The prescription a stored MedicationRequest describes, as its sender
 * wrote it. */
static int
api_rx_to_confirm_sent(struct request *r, const struct store_rx_to_confirm *c,
    struct transfer_drug *drug, struct prescription *rx)
{
	struct refusal	 why;
	json_t		*request;
	int		 rc;

	if ((request = json_loads(c->request, 0, NULL)) == NULL)
		return request_store_failed(r);
	rc = transfer_rx_read(request, drug, rx, &why);
	json_decref(request);
	if (rc == -1)
		return request_refused(r, &why);
	strcpy(rx->id, c->id);
	strcpy(rx->patient_id, c->patient_id);
	strcpy(rx->product_id, c->product_id);
	rx->created_at = c->imported_at;
	return 0;
}

/* A prescription to be confirmed as answered: as the sender wrote it,
 * with the product here it was matched to, the state to_be_confirmed and
 * where it came from. */
static int
api_rx_to_confirm_json(struct request *r, const struct store_rx_to_confirm *c,
    json_t **out)
{
	struct transfer_drug	 drug;
	struct prescription	*rx;
	struct product		 product;
	struct store_person	 nobody;
	int			 rc = -1;

	memset(&nobody, 0, sizeof nobody);
	if (store_product_get(r->srv->store, c->product_id, &product) !=
	    STORE_OK)
		return request_store_failed(r);
	if ((rx = calloc(1, sizeof *rx)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_rx_to_confirm_sent(r, c, &drug, rx) == 0) {
		*out = api_prescription_json(rx, &product, &nobody, r->now);
		json_object_set_new(*out, "state",
		    json_string("to_be_confirmed"));
		json_object_set_new(*out, "transfer", json_pack("{s:s,s:s,"
		    "s:s,s:s,s:o}", "import_id", c->import_id, "from",
		    c->sender, "prescriber", drug.prescriber, "drug",
		    drug.text, "imported_at", json_instant(c->imported_at)));
		rc = 0;
	}
	free(rx);
	return rc;
}

struct api_rx_to_confirm_ctx {
	struct request	*r;
	json_t		*list;
	int		 failed;
};

/* Add a prescription to be confirmed to a list. */
static void
api_rx_to_confirm_one(const struct store_rx_to_confirm *c, void *arg)
{
	struct api_rx_to_confirm_ctx	*ctx = arg;
	json_t				*o;

	if (ctx->failed || api_rx_to_confirm_json(ctx->r, c, &o) == -1)
		ctx->failed = 1;
	else
		json_array_append_new(ctx->list, o);
}

/* Append a patient's prescriptions still to be confirmed to list. */
int
api_rx_to_confirm_of(struct request *r, const char *patient_id, json_t *list)
{
	struct api_rx_to_confirm_ctx	ctx = { r, list, 0 };

	if (store_rx_to_confirm_list(r->srv->store, patient_id,
	    api_rx_to_confirm_one, &ctx) != STORE_OK)
		return ctx.failed ? -1 : request_store_failed(r);
	return ctx.failed ? -1 : 0;
}

/* The prescription to be confirmed named id, into c; 1 (and nothing
 * answered) if there is none. */
static int
api_rx_to_confirm_get(struct request *r, const char *id,
    struct store_rx_to_confirm *c)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(id) == 0)
		sr = store_rx_to_confirm_get(r->srv->store, id, c);
	if (sr == STORE_NOT_FOUND)
		return 1;
	return sr == STORE_OK ? 0 : request_store_failed(r);
}

/* GET /v1/prescriptions/{id} of one still to be confirmed: 0 with *out,
 * or 1 if id is not one. */
int
api_rx_to_confirm_load(struct request *r, const char *id, json_t **out)
{
	struct store_rx_to_confirm	c;
	int				rc;

	if ((rc = api_rx_to_confirm_get(r, id, &c)) != 0)
		return rc;
	rc = c.confirmed_at != 0 ? 1 : api_rx_to_confirm_json(r, &c, out);
	free(c.request);
	return rc;
}

/* Confirm c: the prescription as it stands today, through every check a
 * new one passes, written as the confirming prescriber's; c marked
 * confirmed as it. */
static int
api_rx_confirm(struct request *r, const struct store_rx_to_confirm *c,
    const char *override_reason, struct prescription *sent,
    struct prescription *rx)
{
	struct transfer_drug	 drug;
	struct refusal		 why;
	json_t			*detail = NULL, *answer;

	if (api_rx_to_confirm_sent(r, c, &drug, sent) == -1)
		return -1;
	if (transfer_rx_from(sent, calendar_local_date(r->now), rx, &why) ==
	    -1)
		return request_refused(r, &why);
	if (api_prescription_admit(r, rx, c->patient_id, c->product_id,
	    override_reason, &detail) == -1 ||
	    api_prescription_store(r, rx, "prescription.confirm", detail,
	    json_pack("{s:s,s:s,s:s}", "confirms", c->id, "import_id",
	    c->import_id, "from", c->sender), &answer) == -1)
		return -1;
	if (store_rx_to_confirm_done(r->srv->store, c->id, r->now,
	    r->staff.id, rx->id) != STORE_OK) {
		json_decref(answer);
		return request_store_failed(r);
	}
	request_reply(r, 201, answer);
	return 0;
}

/* POST /v1/prescriptions/{id}/confirm {override} */
int
api_prescription_confirm(struct request *r)
{
	static const char *const fields[] = { "override", NULL };
	struct store_rx_to_confirm	 c;
	struct prescription		*two;
	const char			*reason;
	int				 rc;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    api_prescription_override(r, &reason) == -1)
		return -1;
	if ((rc = api_rx_to_confirm_get(r, r->params[0], &c)) != 0)
		return rc == 1 ? request_error(r, 404, "not_found", "there is "
		    "no imported prescription %s to confirm", r->params[0]) :
		    -1;
	if (c.confirmed_at != 0)
		rc = request_error(r, 409, "already_confirmed", "this "
		    "prescription was confirmed already, as prescription %s",
		    c.prescription_id);
	else if ((two = calloc(2, sizeof *two)) == NULL)
		rc = request_error(r, 503, "out_of_memory", "try again");
	else {
		rc = api_rx_confirm(r, &c, reason, &two[0], &two[1]);
		free(two);
	}
	free(c.request);
	return rc;
}
