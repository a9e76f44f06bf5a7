/* GET /v1/handover?shift=day|night: the handover sheet (issue 17).  For
 * each patient in custody the facts handover_decide() needs are loaded
 * (doses open, clocks not met, holds, the plan and its due, the last
 * scores, movements booked, open alerts), and what it decided is
 * answered: JSON, the sheet as text for a printer (Accept: text/plain)
 * or a printable page (Accept: text/html: a print stylesheet, no
 * script, served with a strict Content-Security-Policy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "batch.h"
#include "calendar.h"
#include "cautions.h"
#include "continuity.h"
#include "handover.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "store_corrections.h"

#define HANDOVER_DOSES		32	/* per patient, in a shift */
#define HANDOVER_CLOCKS		4
#define HANDOVER_HELD		16
#define HANDOVER_MOVEMENTS	8
#define HANDOVER_SCORES		2	/* for the trend */
#define HANDOVER_EARLIER_MS	(12 * MS_PER_HOUR)	/* doses carried over */
#define HANDOVER_LATER_MS	(6 * MS_PER_HOUR)	/* windows opening early */
#define HANDOVER_WIDTH		78

/* One patient's facts as loaded, with the text they point into. */
struct api_handover_load {
	struct request			*r;
	const struct handover_window	*w;
	const struct patient		*p;
	struct handover_facts		 f;
	struct handover_dose		 doses[HANDOVER_DOSES];
	char				 dose_ids[HANDOVER_DOSES][UUID_STR_LEN];
	struct handover_clock		 clocks[HANDOVER_CLOCKS];
	char				 clock_ids[HANDOVER_CLOCKS][UUID_STR_LEN];
	int64_t				 held_at[HANDOVER_HELD];
	char				 held_id[HANDOVER_HELD][UUID_STR_LEN];
	const char			*held_ids[HANDOVER_HELD];
	struct handover_movement	 moves[HANDOVER_MOVEMENTS];
	char				 move_ids[HANDOVER_MOVEMENTS][UUID_STR_LEN];
	char				 move_kinds[HANDOVER_MOVEMENTS][16];
	int				 news2[HANDOVER_SCORES];
	char				 audiences[128];
	int				 failed;
};

/* A dose of the patient's still open that falls before the shift ends,
 * with the number of cautions it would show now. */
static void
api_handover_dose(const struct store_dose_row *row, void *arg)
{
	struct api_handover_load	*l = arg;
	struct handover_dose		*d;
	struct caution_list		 cl;
	enum dose_state			 s = dose_state_at(&row->dose,
					    store_dose_standing(row), l->r->now);

	if (l->failed || l->f.ndoses == HANDOVER_DOSES ||
	    (s != DOSE_SCHEDULED && s != DOSE_DUE && s != DOSE_HELD))
		return;
	if (cautions_of_dose(l->r->srv, row, l->r->now, &cl) == -1) {
		l->failed = 1;
		return;
	}
	d = &l->doses[l->f.ndoses];
	strcpy(l->dose_ids[l->f.ndoses], row->dose.id);
	d->id = l->dose_ids[l->f.ndoses++];
	d->due_at = row->dose.due_at;
	d->window_start = row->dose.window_start;
	d->held = s == DOSE_HELD;
	d->ncautions = cl.n;
}

/* A clock of the patient's not met and not ended. */
static void
api_handover_clock(const struct care_clock *c, void *arg)
{
	struct api_handover_load	*l = arg;
	struct handover_clock		*h;

	if (c->met_at != 0 || c->ended_at != 0 ||
	    l->f.nclocks == HANDOVER_CLOCKS)
		return;
	h = &l->clocks[l->f.nclocks];
	strcpy(l->clock_ids[l->f.nclocks], c->id);
	h->id = l->clock_ids[l->f.nclocks++];
	h->kind = continuity_kind_name(c->kind);
	h->due_at = c->due_at;
}

/* A prescription of the patient's held for review. */
static void
api_handover_held(const struct prescription *rx, void *arg)
{
	struct api_handover_load	*l = arg;

	if (rx->held_at == 0 || rx->stopped_at != 0 ||
	    l->f.nheld == HANDOVER_HELD)
		return;
	strcpy(l->held_id[l->f.nheld], rx->id);
	l->held_ids[l->f.nheld] = l->held_id[l->f.nheld];
	l->held_at[l->f.nheld++] = rx->held_at;
}

/* A movement of the patient's booked and not yet gone. */
static void
api_handover_movement(const struct store_movement_row *row, void *arg)
{
	struct api_handover_load	*l = arg;
	struct handover_movement	*m;
	size_t				 i = l->f.nmovements;

	if (strcmp(row->movement.patient_id, l->p->id) != 0 ||
	    row->movement.state != MOVEMENT_PLANNED ||
	    i == HANDOVER_MOVEMENTS)
		return;
	m = &l->moves[i];
	strcpy(l->move_ids[i], row->movement.id);
	snprintf(l->move_kinds[i], sizeof l->move_kinds[i], "%s",
	    movement_kind_name(row->movement.kind));
	m->id = l->move_ids[i];
	m->kind = l->move_kinds[i];
	m->departs_at = row->movement.departs_at;
	l->f.nmovements++;
}

/* An observation's score, newest first, unless struck out. */
static void
api_handover_score(const struct observation *o, void *arg)
{
	struct api_handover_load	*l = arg;
	struct store_error_mark		 m;

	if (l->failed || l->f.nnews2 == HANDOVER_SCORES)
		return;
	if (store_observation_mark(l->r->srv->store, o->id, &m) != STORE_OK)
		l->failed = 1;
	else if (!m.marked)
		l->news2[l->f.nnews2++] = o->result.total;
}

/* An open alert about the patient: counted, the worst kept. */
static void
api_handover_alert(const struct alert *a, void *arg)
{
	struct api_handover_load	*l = arg;

	if (strcmp(a->patient_id, l->p->id) != 0)
		return;
	if (l->f.alerts_open++ == 0 || a->severity > l->f.alerts_worst)
		l->f.alerts_worst = a->severity;
}

/* The patient's plan and its open due, if any. */
static int
api_handover_plan(struct api_handover_load *l)
{
	struct store			*s = l->r->srv->store;
	struct observation_plan		 plan;
	struct observation_due		 due;
	enum store_result		 sr;

	if ((sr = store_plan_get(s, l->p->id, &plan)) != STORE_OK)
		return sr == STORE_ERROR ? -1 : 0;
	l->f.plan_running = plan.ended_at == 0 && l->r->now < plan.ends_at;
	l->f.plan_ends_at = plan.ends_at;
	l->f.away_since = plan.away_since;
	if ((sr = store_due_open(s, l->p->id, &due)) == STORE_OK) {
		l->f.obs_next_due = due.due_at;
		l->f.obs_interval_ms = due.interval_ms;
	}
	return sr == STORE_ERROR ? -1 : 0;
}

/* Load one patient's facts into l; -1 if the store failed. */
static int
api_handover_facts(struct api_handover_load *l)
{
	struct store	*s = l->r->srv->store;
	const char	*id = l->p->id;
	int64_t		 now = l->r->now;

	memset(&l->f, 0, sizeof l->f);
	l->failed = 0;
	l->f.doses = l->doses;
	l->f.clocks = l->clocks;
	l->f.held_at = l->held_at;
	l->f.held_ids = l->held_ids;
	l->f.movements = l->moves;
	l->f.news2 = l->news2;
	if (store_dose_list(s, l->w->from - HANDOVER_EARLIER_MS,
	    l->w->to + HANDOVER_LATER_MS, id,
	    api_handover_dose, l) != STORE_OK ||
	    store_clock_list(s, id, api_handover_clock, l) != STORE_OK ||
	    store_prescription_list(s, id, api_handover_held, l) !=
	    STORE_OK ||
	    store_movement_list(s, now, l->w->to + 2 * MS_PER_DAY, NULL,
	    api_handover_movement, l) != STORE_OK ||
	    store_observation_list(s, id, 2 * HANDOVER_SCORES,
	    api_handover_score, l) != STORE_OK ||
	    store_alert_list(s, 1, l->audiences, api_handover_alert, l) !=
	    STORE_OK || api_handover_plan(l) == -1)
		return -1;
	return l->failed ? -1 : 0;
}

/* An item of the sheet as answered. */
static json_t *
api_handover_item_json(const struct handover_item *it)
{
	return json_pack("{s:s,s:o,s:b,s:s*,s:s*,s:b,s:i,s:i,s:o,s:b}",
	    "kind", handover_item_name(it->kind), "at", json_instant(it->at),
	    "overdue", it->overdue, "id", it->id, "what", it->what,
	    "held", it->held, "cautions", it->ncautions, "count", it->count,
	    "every_minutes", it->every_ms ? json_integer(it->every_ms /
	    MS_PER_MINUTE) : json_null(), "tomorrow", it->tomorrow);
}

/* A patient's part of the sheet, or NULL if there is nothing to hand
 * over (no item, no score, no alert, not away). */
static json_t *
api_handover_entry_json(const struct patient *p,
    const struct handover_entry *e, int64_t away_since)
{
	json_t	*items;
	size_t	 i;

	if (e->nitems == 0 && e->news2_last == -1 && e->alerts_open == 0 &&
	    !e->away)
		return NULL;
	items = json_array();
	for (i = 0; i < e->nitems; i++)
		json_array_append_new(items, api_handover_item_json(
		    &e->items[i]));
	return json_pack("{s:{s:s,s:s,s:s,s:s,s:s},s:o,s:{s:o,s:s},s:i,"
	    "s:o,s:b,s:b,s:i,s:o}",
	    "patient", "id", p->id, "prison_number", p->prison_number,
	    "given_name", p->given_name, "family_name", p->family_name,
	    "location", p->location,
	    "away_since", json_instant_or_null(away_since),
	    "news2", "last", e->news2_last >= 0 ? json_integer(e->news2_last) :
	    json_null(), "trend", handover_trend_name(e->trend),
	    "alerts_open", e->alerts_open,
	    "alerts_worst", e->alerts_open ? json_string(alert_severity_name(
	    e->alerts_worst)) : json_null(),
	    "court_tomorrow", e->court_tomorrow,
	    "release_tomorrow", e->release_tomorrow,
	    "cautions", e->cautions, "items", items);
}

/* Collect a patient in custody. */
static void
api_handover_patient(const struct patient *p, void *arg)
{
	batch_add(arg, p);
}

/* The sheet for window w as JSON; -1 if the store failed. */
static int
api_handover_build(struct request *r, const struct handover_window *w,
    json_t **out)
{
	struct batch			 b = BATCH_OF(struct patient);
	struct api_handover_load	*l;
	struct handover_entry		*e;
	json_t				*list = json_array(), *one;
	size_t				 i;
	int				 rc = 0;

	l = calloc(1, sizeof *l);
	e = malloc(sizeof *e);
	if (l == NULL || e == NULL || store_patient_list(r->srv->store,
	    "in_custody", api_handover_patient, &b) != STORE_OK || b.failed)
		rc = -1;
	if (l != NULL) {
		l->r = r;
		l->w = w;
		api_alert_audiences(r->staff.roles, -1, l->audiences,
		    sizeof l->audiences);
	}
	for (i = 0; i < b.n && rc == 0; i++) {
		l->p = batch_item(&b, i);
		if ((rc = api_handover_facts(l)) == 0) {
			handover_decide(&l->f, w, r->now, e);
			if ((one = api_handover_entry_json(l->p, e,
			    l->f.away_since)) != NULL)
				json_array_append_new(list, one);
		}
	}
	*out = json_pack("{s:s,s:o,s:o,s:o,s:o}", "shift",
	    handover_shift_name(w->shift), "from", json_instant(w->from),
	    "to", json_instant(w->to), "generated_at", json_instant(r->now),
	    "patients", list);
	batch_free(&b);
	free(l);
	free(e);
	return rc;
}

/* "Tue 08 Dec 19:00" of an instant answered. */
static const char *
api_handover_when(const json_t *o, const char *key,
    char buf[CALENDAR_LOCAL_LEN])
{
	int64_t	ms;

	if (timefmt_parse_instant(json_string_value(json_object_get(o, key)),
	    &ms) == -1)
		return "?";
	calendar_format_local(ms, buf);
	return buf;
}

/* One item of the sheet as a line of text. */
static void
api_handover_item_text(FILE *f, const json_t *it)
{
	const char	*kind = json_string_value(json_object_get(it, "kind"));
	const char	*what = json_string_value(json_object_get(it, "what"));
	char		 when[CALENDAR_LOCAL_LEN];
	int		 overdue = json_is_true(json_object_get(it, "overdue"));
	json_int_t	 n = json_integer_value(json_object_get(it,
			    "cautions"));

	fprintf(f, "  %-20s ", api_handover_when(it, "at", when));
	if (strcmp(kind, "dose") == 0)
		fprintf(f, "dose%s%s", overdue ? " still open" : "",
		    json_is_true(json_object_get(it, "held")) ? ", HELD: "
		    "not to be given until reviewed" : "");
	else if (strcmp(kind, "observations") == 0)
		fprintf(f, "observation%s, then every %lld min: %lld in "
		    "the shift", overdue ? " OVERDUE" : "",
		    (long long)json_integer_value(json_object_get(it,
		    "every_minutes")), (long long)json_integer_value(
		    json_object_get(it, "count")));
	else if (strcmp(kind, "clock") == 0)
		fprintf(f, "%s deadline%s", what, overdue ? " BREACHED" : "");
	else if (strcmp(kind, "hold_review") == 0)
		fprintf(f, "held for review since then");
	else
		fprintf(f, "%s departs%s", what, json_is_true(json_object_get(
		    it, "tomorrow")) ? " (tomorrow)" : "");
	if (n > 0)
		fprintf(f, ", %lld caution%s", (long long)n, n == 1 ? "" : "s");
	fputc('\n', f);
}

/* One patient's part of the sheet as text. */
static void
api_handover_patient_text(FILE *f, const json_t *e)
{
	const json_t	*p = json_object_get(e, "patient");
	const json_t	*news2 = json_object_get(e, "news2"), *it;
	const char	*trend;
	char		 when[CALENDAR_LOCAL_LEN];
	size_t		 i;

	fprintf(f, "%s  %s  %s, %s\n", json_string_value(json_object_get(p,
	    "location")), json_string_value(json_object_get(p,
	    "prison_number")), json_string_value(json_object_get(p,
	    "family_name")), json_string_value(json_object_get(p,
	    "given_name")));
	trend = json_string_value(json_object_get(news2, "trend"));
	if (json_is_integer(json_object_get(news2, "last")) && trend != NULL &&
	    strcmp(trend, "none") != 0)
		fprintf(f, "  NEWS2 %lld (%s).",
		    (long long)json_integer_value(json_object_get(news2,
		    "last")), trend);
	else if (json_is_integer(json_object_get(news2, "last")))
		fprintf(f, "  NEWS2 %lld.", (long long)json_integer_value(
		    json_object_get(news2, "last")));	/* one score: no trend */
	if (json_integer_value(json_object_get(e, "alerts_open")) > 0)
		fprintf(f, "  %lld open alert(s), worst %s.",
		    (long long)json_integer_value(json_object_get(e,
		    "alerts_open")), json_string_value(json_object_get(e,
		    "alerts_worst")));
	if (json_is_string(json_object_get(e, "away_since")))
		fprintf(f, "  AT COURT since %s.", api_handover_when(e,
		    "away_since", when));
	if (json_is_true(json_object_get(e, "court_tomorrow")))
		fprintf(f, "  COURT TOMORROW.");
	if (json_is_true(json_object_get(e, "release_tomorrow")))
		fprintf(f, "  RELEASE OR TRANSFER TOMORROW.");
	fputc('\n', f);
	json_array_foreach(json_object_get(e, "items"), i, it)
		api_handover_item_text(f, it);
	if (json_array_size(json_object_get(e, "items")) == 0)
		fprintf(f, "  nothing falls due in the shift\n");
}

/* The sheet as text for a printer, lines within 80 columns (a patient's
 * location or name may run on); NULL if out of memory. */
static char *
api_handover_text(const json_t *o)
{
	const json_t	*list = json_object_get(o, "patients"), *e;
	char		*text = NULL, a[CALENDAR_LOCAL_LEN];
	char		 b[CALENDAR_LOCAL_LEN], c[CALENDAR_LOCAL_LEN];
	size_t		 len, i;
	FILE		*f;

	if ((f = open_memstream(&text, &len)) == NULL)
		return NULL;
	fprintf(f, "HANDOVER, %s SHIFT: %s to %s\n", strcmp(json_string_value(
	    json_object_get(o, "shift")), "day") == 0 ? "DAY" : "NIGHT",
	    api_handover_when(o, "from", a), api_handover_when(o, "to", b));
	fprintf(f, "Printed %s by idtsd: %zu patient%s to hand over.\n",
	    api_handover_when(o, "generated_at", c), json_array_size(list),
	    json_array_size(list) == 1 ? "" : "s");
	json_array_foreach(list, i, e) {
		fprintf(f, "%.*s\n", HANDOVER_WIDTH, "========================"
		    "=======================================================");
		api_handover_patient_text(f, e);
	}
	fprintf(f, "%.*s\n", HANDOVER_WIDTH, "========================"
	    "=======================================================");
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* The page's style: A4, monospaced as the text, for a printer. */
#define HANDOVER_STYLE "@page{size:A4;margin:12mm}" \
	"body{font:10pt/1.3 monospace;color:#000;background:#fff}" \
	"pre{white-space:pre-wrap;margin:0}"

/* The sheet as a printable page: the text, escaped, with a print
 * stylesheet and no script; NULL if out of memory. */
static char *
api_handover_html(const json_t *o)
{
	char	*text = api_handover_text(o), *page = NULL, *p;
	size_t	 len;
	FILE	*f;

	if (text == NULL || (f = open_memstream(&page, &len)) == NULL) {
		free(text);
		return NULL;
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta "
	    "charset=\"utf-8\"><title>Handover</title><style>%s</style>"
	    "</head>\n<body><pre>", HANDOVER_STYLE);
	for (p = text; *p != '\0'; p++)
		if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '&')
			fputs("&amp;", f);
		else
			fputc(*p, f);
	fprintf(f, "</pre></body></html>\n");
	free(text);
	if (fclose(f) != 0) {
		free(page);
		return NULL;
	}
	return page;
}

/* Answer the sheet as the caller accepts it. */
static int
api_handover_answer(struct request *r, json_t *o)
{
	int	 html = request_accepts(r, "text/html");
	char	*text;

	if (!html && !request_accepts(r, "text/plain")) {
		request_reply(r, 200, o);
		return 0;
	}
	text = html ? api_handover_html(o) : api_handover_text(o);
	json_decref(o);
	if (text == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	request_reply_text(r, 200, html ? "text/html; charset=utf-8" :
	    "text/plain; charset=utf-8", text);
	return 0;
}

/* GET /v1/handover[?shift=day|night]: by default the shift about to
 * start (handover_next_shift()). */
int
api_handover(struct request *r)
{
	struct handover_window	 w;
	enum handover_shift	 shift = handover_next_shift(r->now);
	char			 name[16];
	json_t			*o;
	int			 rc;

	if ((rc = request_query(r, "shift", name, sizeof name)) == -1)
		return -1;
	if (rc == 0 && handover_shift_parse(name, &shift) == -1)
		return request_error(r, 400, "invalid_query",
		    "shift is day or night");
	handover_window(shift, r->now, &w);
	if (api_handover_build(r, &w, &o) == -1) {
		json_decref(o);
		return request_store_failed(r);
	}
	return api_handover_answer(r, o);
}
