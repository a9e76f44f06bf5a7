/* The patient's record in FHIR R4 (issue 19): GET
 * /v1/movements/{id}/transfer-document, the signed document that goes with
 * a transfer or release; GET /v1/patients/{id}/fhir, the same resources
 * as a collection; and GET /v1/establishment, who signs them and with what
 * public key.  This file loads; rules/fhir.c builds; jws.c signs. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "batch.h"
#include "cautions.h"
#include "establishment.h"
#include "fhir.h"
#include "json_out.h"
#include "jws.h"
#include "request.h"
#include "server.h"
#include "signing.h"
#include "store.h"
#include "store_corrections.h"
#include "summary.h"
#include "timefmt.h"
#include "validate.h"

/* How far ahead the next dose is looked for, for its cautions. */
#define API_FHIR_NEXT_DOSE_MS	(48 * 60 * 60 * INT64_C(1000))

/* What the builder is given, as loaded. */
struct api_fhir_load {
	struct request		*r;
	const struct movement	*m;		/* NULL: the export */
	struct patient		 patient;
	struct batch		 rxs;		/* struct prescription */
	struct batch		 products;	/* one for each of rxs */
	struct batch		 meds;		/* struct fhir_medication */
	struct batch		 clocks;	/* struct care_clock */
	struct batch		 flags;		/* struct fhir_flag */
	struct observation	 news2;
	int			 has_news2;
	struct observation_plan	 plan;
	int			 has_plan;
	int			 failed;
};

static void
api_fhir_person(const struct store_person *from, struct fhir_person *to)
{
	strcpy(to->id, from->id);
	strcpy(to->username, from->username);
	strcpy(to->name, from->display_name);
}

/* A prescription in force: for a document, as the escort's summary
 * counts it (summary.c); for the export, one not stopped or ended. */
static void
api_fhir_rx(const struct prescription *rx, void *arg)
{
	struct api_fhir_load	*l = arg;

	if ((l->m != NULL || rx->stopped_at == 0) &&
	    summary_includes(rx, l->m, l->r->now))
		batch_add(&l->rxs, rx);
}

static void
api_fhir_clock(const struct care_clock *c, void *arg)
{
	batch_add(&((struct api_fhir_load *)arg)->clocks, c);
}

/* The cautions the next dose of rx would show now, as Flags. */
static int
api_fhir_cautions(struct api_fhir_load *l, const struct prescription *rx)
{
	struct store_dose_row	*row;
	struct caution_list	 list;
	struct fhir_flag	 f;
	struct dose		 next;
	enum store_result	 sr;
	int			 i, rc = 0;

	sr = store_dose_first_between(l->r->srv->store, rx->id, l->r->now,
	    l->r->now + API_FHIR_NEXT_DOSE_MS, &next);
	if (sr != STORE_OK)
		return sr == STORE_ERROR ? -1 : 0;
	if ((row = malloc(sizeof *row)) == NULL)
		return -1;
	memset(&list, 0, sizeof list);
	if (store_dose_get(l->r->srv->store, next.id, row) != STORE_OK ||
	    cautions_of_dose(l->r->srv, row, l->r->now, &list) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < list.n; i++) {
		memset(&f, 0, sizeof f);
		snprintf(f.text, sizeof f.text, "%s", list.item[i].message);
		f.since = l->r->now;
		batch_add(&l->flags, &f);
	}
	free(row);
	return rc;
}

/* A prescription held for review, as a Flag. */
static void
api_fhir_hold(struct api_fhir_load *l, const struct prescription *rx,
    const struct product *product)
{
	struct fhir_flag	f;

	memset(&f, 0, sizeof f);
	f.drug = 1;
	snprintf(f.text, sizeof f.text, "Prescription held for review after "
	    "missed doses: %s %s; give none until a prescriber has reviewed "
	    "it", product->name, product->strength);
	f.since = rx->held_at;
	batch_add(&l->flags, &f);
}

/* One prescription's product, prescriber and last dose given (one
 * entered in error is missed, not given). */
static int
api_fhir_med(struct api_fhir_load *l, const struct prescription *rx)
{
	struct store		*store = l->r->srv->store;
	struct store_dose_row	*row;
	struct fhir_medication	 m;
	struct product		 product;
	struct store_person	 who;
	struct staff		 s;
	enum store_result	 sr;

	memset(&m, 0, sizeof m);
	if (store_product_get(store, rx->product_id, &product) != STORE_OK ||
	    (row = malloc(sizeof *row)) == NULL)
		return -1;
	if (store_staff_by_id(store, rx->prescriber_id, &s) == STORE_OK) {
		api_person_from_staff(&s, &who);
		api_fhir_person(&who, &m.prescriber);
	}
	if ((sr = store_dose_last_given(store, rx->id, row)) == STORE_OK) {
		m.has_last = 1;
		m.last = row->dose;
		api_fhir_person(&row->given_by, &m.given_by);
		api_fhir_person(&row->witness, &m.witness);
	}
	free(row);
	if (sr == STORE_ERROR)
		return -1;
	batch_add(&l->products, &product);
	batch_add(&l->meds, &m);
	if (rx->held_at != 0)
		api_fhir_hold(l, rx, &product);
	else if (api_fhir_cautions(l, rx) == -1)
		return -1;
	return 0;
}

/* Everything about the patient the builder needs; -1 if the store
 * failed or memory ran out. */
static int
api_fhir_gather(struct api_fhir_load *l)
{
	struct store		*store = l->r->srv->store;
	const char		*id = l->patient.id;
	enum store_result	 sr;
	size_t			 i;

	if (store_prescription_list(store, id, api_fhir_rx, l) != STORE_OK ||
	    store_clock_list(store, id, api_fhir_clock, l) != STORE_OK)
		return -1;
	/* The latest NEWS2 not struck out (entered in error). */
	if ((sr = store_observation_latest(store, id, &l->news2)) ==
	    STORE_ERROR)
		return -1;
	l->has_news2 = sr == STORE_OK;
	if ((sr = store_plan_get(store, id, &l->plan)) == STORE_ERROR)
		return -1;
	l->has_plan = sr == STORE_OK;
	for (i = 0; i < l->rxs.n; i++)
		if (api_fhir_med(l, batch_item(&l->rxs, i)) == -1)
			return -1;
	if (l->rxs.failed || l->products.failed || l->meds.failed ||
	    l->clocks.failed || l->flags.failed)
		return -1;
	/* The batches hold still now: point each medicine at its own. */
	for (i = 0; i < l->meds.n; i++) {
		((struct fhir_medication *)batch_item(&l->meds, i))->rx =
		    batch_item(&l->rxs, i);
		((struct fhir_medication *)batch_item(&l->meds, i))->product =
		    batch_item(&l->products, i);
	}
	return 0;
}

static void
api_fhir_load_free(struct api_fhir_load *l)
{
	batch_free(&l->rxs);
	batch_free(&l->products);
	batch_free(&l->meds);
	batch_free(&l->clocks);
	batch_free(&l->flags);
}

/* The Bundle of what l loaded, with new ids for what has none. */
static json_t *
api_fhir_build(struct api_fhir_load *l, enum fhir_kind kind)
{
	const struct establishment	*e = l->r->srv->establishment;
	struct fhir_input		 in;
	char				(*ids)[UUID_STR_LEN];
	size_t				 i, nids;
	json_t				*bundle;

	nids = FHIR_FIXED_IDS + l->flags.n;
	if ((ids = calloc(nids, UUID_STR_LEN)) == NULL)
		return NULL;
	for (i = 0; i < nids; i++)
		validate_new_uuid(ids[i]);
	memset(&in, 0, sizeof in);
	in.kind = kind;
	in.now = l->r->now;
	in.code = e->code;
	in.name = e->name;
	in.patient = &l->patient;
	in.movement = l->m;
	in.meds = l->meds.items;
	in.nmeds = l->meds.n;
	in.news2 = l->has_news2 ? &l->news2 : NULL;
	in.plan = l->has_plan ? &l->plan : NULL;
	in.clocks = l->clocks.items;
	in.nclocks = l->clocks.n;
	in.flags = l->flags.items;
	in.nflags = l->flags.n;
	in.ids = (const char (*)[UUID_STR_LEN])ids;
	in.nids = nids;
	bundle = fhir_bundle(&in);
	free(ids);
	return bundle;
}

/* Load, build and (for a document) sign; the Bundle or NULL with the
 * answer set. */
static json_t *
api_fhir_make(struct request *r, const struct movement *m,
    const struct patient *p, enum fhir_kind kind)
{
	const struct establishment	*e = r->srv->establishment;
	struct api_fhir_load		*l;
	json_t				*bundle = NULL;
	char				 when[TIMEFMT_INSTANT_LEN];

	if ((l = calloc(1, sizeof *l)) == NULL) {
		request_set_error(r, 503, "out_of_memory", "try again");
		return NULL;
	}
	l->r = r;
	l->m = m;
	l->patient = *p;
	batch_init(&l->rxs, sizeof(struct prescription));
	batch_init(&l->products, sizeof(struct product));
	batch_init(&l->meds, sizeof(struct fhir_medication));
	batch_init(&l->clocks, sizeof(struct care_clock));
	batch_init(&l->flags, sizeof(struct fhir_flag));
	timefmt_format_instant(r->now, when);
	if (api_fhir_gather(l) == -1)
		request_set_store_failed(r);
	else if ((bundle = api_fhir_build(l, kind)) == NULL ||
	    (kind != FHIR_COLLECTION && jws_sign_document(bundle, e->key,
	    e->code, e->name, when) == -1)) {
		json_decref(bundle);
		bundle = NULL;
		request_set_error(r, 503, "out_of_memory", "try again");
	}
	api_fhir_load_free(l);
	free(l);
	return bundle;
}

/* Answer with a Bundle as application/fhir+json. */
static int
api_fhir_reply(struct request *r, json_t *bundle)
{
	char	*text = json_out_text(bundle, JSON_ANSWER_FLAGS);

	json_decref(bundle);
	if (text == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	request_reply_text(r, 200, "application/fhir+json", text);
	return 0;
}

/* The movement of a transfer document, and its patient: a transfer or
 * release not cancelled.  0, or -1 with the answer set. */
static int
api_transfer_load(struct request *r, struct store_movement_row *row,
    struct patient *p)
{
	if (api_movement_load(r, row) == -1)
		return -1;
	if (row->movement.kind == MOVEMENT_COURT ||
	    row->movement.state == MOVEMENT_CANCELLED)
		return request_error(r, 409, "not_a_transfer", "a transfer "
		    "document goes with a transfer or a release that is not "
		    "cancelled");
	if (store_patient_get(r->srv->store, row->movement.patient_id, p) !=
	    STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* GET /v1/movements/{id}/transfer-document */
int
api_transfer_document(struct request *r)
{
	struct store_movement_row	*row;
	struct patient			 p;
	json_t				*bundle;
	int				 rc = -1;

	if (r->srv->establishment->key == NULL)
		return request_error(r, 409, "no_signing_key", "this "
		    "establishment signs no documents: set establishment.key "
		    "in idtsd.conf");
	if ((row = malloc(sizeof *row)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_transfer_load(r, row, &p) == 0 && (bundle = api_fhir_make(r,
	    &row->movement, &p, row->movement.kind == MOVEMENT_RELEASE ?
	    FHIR_RELEASE : FHIR_TRANSFER)) != NULL)
		rc = api_fhir_reply(r, bundle);
	free(row);
	return rc;
}

/* GET /v1/patients/{id}/fhir */
int
api_patient_fhir(struct request *r)
{
	struct patient	 p;
	json_t		*bundle;

	if (api_patient_load(r, &p) == -1 ||
	    (bundle = api_fhir_make(r, NULL, &p, FHIR_COLLECTION)) == NULL)
		return -1;
	return api_fhir_reply(r, bundle);
}

/* GET /v1/establishment: who this is and the key its documents are
 * signed with, as a JWK and as PEM (for another's trusted list). */
int
api_establishment_get(struct request *r)
{
	const struct establishment	*e = r->srv->establishment;
	char				*pem;
	json_t				*jwk;

	if (e->key == NULL)
		return request_error(r, 404, "not_found", "this establishment "
		    "has no signing key (establishment.key)");
	jwk = jws_public_jwk(e->key, e->code);
	pem = signing_public_pem(e->key);
	if (jwk == NULL || pem == NULL) {
		json_decref(jwk);
		free(pem);
		return request_error(r, 503, "out_of_memory", "try again");
	}
	request_reply(r, 200, json_pack("{s:s, s:s, s:o, s:s}", "code",
	    e->code, "name", e->name, "public_key", jwk, "public_key_pem",
	    pem));
	free(pem);
	return 0;
}
