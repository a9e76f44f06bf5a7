/* The duty rota against the dose rounds: cover_check() over the rounds of
 * the unit's round times, and the scheduler's job that raises the alerts
 * cover_fire() asks for, recording each date alerted in the same
 * transaction so that a restart never raises one twice. */
#include <stdlib.h>

#include "log.h"
#include "rota.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"
#include "store_readiness.h"

/* The rounds of days days from from, at or after not_before, checked;
 * NULL if the store could not say. */
struct rota_cover *
rota_cover_check(struct server *srv, struct civil_date from, int days,
    int64_t not_before)
{
	struct rota_cover	*rc;
	struct cover_plan	 plan = { 0 };

	if ((rc = calloc(1, sizeof *rc)) == NULL)
		return NULL;
	batch_init(&rc->duties, sizeof(struct cover_duty));
	plan.calendar = &srv->cfg->calendar;
	plan.from = from;
	plan.days = days;
	plan.not_before = not_before;
	if (store_round_times(srv->store, not_before, plan.times,
	    &plan.ntimes) != STORE_OK || store_rota_duties(srv->store,
	    calendar_local_midnight(from), calendar_local_midnight(
	    calendar_add_days(from, days)), &rc->duties) != STORE_OK ||
	    rc->duties.failed) {
		rota_cover_free(rc);
		return NULL;
	}
	cover_check(&plan, rc->duties.items, rc->duties.n, &rc->check);
	return rc;
}

void
rota_cover_free(struct rota_cover *rc)
{
	if (rc == NULL)
		return;
	batch_free(&rc->duties);
	free(rc);
}

/* What cover_fire() asks for at now over the next COVER_DAYS; -1 if the
 * store could not say. */
static int
rota_decide(struct server *srv, int64_t now, struct cover_fire *f)
{
	struct civil_date	 today = calendar_local_date(now);
	struct batch		 alerted = BATCH_OF(struct civil_date);
	struct rota_cover	*rc;
	char			 from[TIMEFMT_DATE_LEN];
	int			 ok, kept;

	timefmt_format_date(today, from);
	if ((rc = rota_cover_check(srv, today, COVER_DAYS + 1, now)) == NULL)
		return -1;
	ok = store_rota_kept(srv->store, &kept) == STORE_OK &&
	    store_cover_alerted(srv->store, from, &alerted) == STORE_OK &&
	    !alerted.failed;
	if (ok)
		cover_fire(&rc->check, kept, alerted.items, alerted.n, now,
		    (int64_t)srv->cfg->rota_warn_days * MS_PER_DAY, f);
	batch_free(&alerted);
	rota_cover_free(rc);
	return ok ? 0 : -1;
}

/* Raise one firing's alert and record its date, in a savepoint. */
static int
rota_apply(struct server *srv, struct cover_firing *fi, int64_t now)
{
	char	date[TIMEFMT_DATE_LEN];

	timefmt_format_date(fi->date, date);
	if (store_savepoint(srv->store) != STORE_OK)
		return 1;
	return scheduler_item(srv, store_alert_raise(srv->store, &fi->alert,
	    now, "") == STORE_OK && store_cover_alert_add(srv->store, date,
	    fi->alert.id, now) == STORE_OK, "alert the cover gap of", date);
}

/* Alert the managers to each gap in cover that has come within
 * rota.warn_days; returns how many could not be. */
int
rota_run(struct server *srv, int64_t now)
{
	struct cover_fire	*f;
	int			 i, failed = 0;

	if ((f = malloc(sizeof *f)) == NULL || rota_decide(srv, now, f) == -1) {
		free(f);
		log_warnx("scheduler: cannot check the rota's cover");
		return 1;
	}
	for (i = 0; i < f->nfirings; i++)
		failed += rota_apply(srv, &f->firing[i], now);
	free(f);
	return failed;
}

/* When the next gap comes within rota.warn_days (now if one has). */
int
rota_next_deadline(struct server *srv, int64_t *at)
{
	struct cover_fire	*f;
	int64_t			 now = clock_now(&srv->clock);

	*at = 0;
	if ((f = malloc(sizeof *f)) == NULL || rota_decide(srv, now, f) == -1) {
		free(f);
		return -1;
	}
	*at = f->nfirings > 0 ? now : f->next;
	free(f);
	return 0;
}
