/* The cautions at the point of administration: load what the caution
 * rules look at (the patient, their observations in the window and the
 * latest, the doses given before, their last trip out), ask the rules,
 * and keep the cautions a nurse confirmed. */
#include <string.h>

#include "batch.h"
#include "cautions.h"
#include "server.h"
#include "store.h"

/* Keep an observation the store read. */
static void
cautions_obs_add(const struct observation *o, void *arg)
{
	batch_add(arg, o);
}

/* The facts about a dose's patient at now, into f and the storage it
 * points at; -1 if the store failed. */
static int
cautions_load(struct server *srv, const struct store_dose_row *row,
    int64_t now, int64_t since, struct batch *obs, struct patient *p,
    struct dose last[2], struct dose_trip *trip, struct caution_facts *f)
{
	int	has[2];

	if (store_patient_get(srv->store, row->dose.patient_id, p) !=
	    STORE_OK ||
	    store_caution_observations(srv->store, p->id, since, now,
	    cautions_obs_add, obs) != STORE_OK || obs->failed ||
	    store_caution_last_given(srv->store, p->id, NULL, &last[0],
	    &has[0]) != STORE_OK ||
	    store_caution_last_given(srv->store, p->id, row->product.id,
	    &last[1], &has[1]) != STORE_OK ||
	    store_patient_trip(srv->store, p->id, now, trip) != STORE_OK)
		return -1;
	memset(f, 0, sizeof *f);
	f->dose = &row->dose;
	f->unit = row->product.unit;
	f->patient = p;
	f->obs = obs->items;
	f->nobs = obs->n;
	f->last_given = has[0] ? &last[0] : NULL;
	f->last_same = has[1] ? &last[1] : NULL;
	f->trip = trip;
	return 0;
}

/* The cautions of a dose given at now; -1 if the store failed. */
int
cautions_of_dose(struct server *srv, const struct store_dose_row *row,
    int64_t now, struct caution_list *out)
{
	struct caution_policy	 policy = server_caution_policy(srv);
	struct batch		 obs = BATCH_OF(struct observation);
	struct patient		 p;
	struct dose		 last[2];
	struct dose_trip	 trip;
	struct caution_facts	 f;
	int			 rc;

	rc = cautions_load(srv, row, now, now - policy.news2_ms, &obs, &p,
	    last, &trip, &f);
	if (rc == 0)
		caution_find(&f, &policy, now, out);
	batch_free(&obs);
	return rc;
}

/* The cautions a dose shows: once given, those the nurse confirmed; until
 * its window ends, those to confirm if it were given now; else none. */
int
cautions_shown(struct server *srv, const struct store_dose_row *row,
    int64_t now, struct caution_list *out)
{
	memset(out, 0, sizeof *out);
	if (row->dose.state == DOSE_GIVEN)
		return store_dose_cautions(srv->store, row->dose.id, out) ==
		    STORE_OK ? 0 : -1;
	if (now >= row->dose.window_end)
		return 0;
	return cautions_of_dose(srv, row, now, out);
}

/* Keep the cautions confirmed as a dose was given. */
int
cautions_confirm(struct server *srv, const char *dose_id,
    const struct caution_list *l, const char *staff_id, int64_t now)
{
	int	i;

	for (i = 0; i < l->n; i++)
		if (store_dose_caution_insert(srv->store, dose_id,
		    &l->item[i], staff_id, now) != STORE_OK)
			return -1;
	return 0;
}
