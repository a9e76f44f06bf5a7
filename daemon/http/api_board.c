/* GET /v1/board: the managers' ward board, one row per patient in
 * custody.  Loads, calls the board rule (board.c) for each row, sorts by
 * its order and writes the rows out. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "batch.h"
#include "board.h"
#include "calendar.h"
#include "json_out.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "store_board.h"

/* Every audience: the board counts each open alert about a patient. */
#define BOARD_AUDIENCES	"ward,manager,reception,prescriber,pharmacy,on_call,"

struct api_board_item {
	struct store_patient_ref patient;
	struct board_row	 row;
};

struct api_board {
	struct batch	 items;
	int64_t		 now, tomorrow_from, tomorrow_to;
};

/* The item of a patient, or NULL if not in custody. */
static struct api_board_item *
api_board_find(struct api_board *b, const char *patient_id)
{
	struct api_board_item	*it;
	size_t			 i;

	for (i = 0; i < b->items.n; i++) {
		it = batch_item(&b->items, i);
		if (strcmp(it->patient.id, patient_id) == 0)
			return it;
	}
	return NULL;
}

/* A patient in custody: a row with nothing known yet. */
static void
api_board_patient(const struct patient *p, void *arg)
{
	struct api_board	*b = arg;
	struct api_board_item	 it;

	memset(&it, 0, sizeof it);
	strcpy(it.patient.id, p->id);
	strcpy(it.patient.prison_number, p->prison_number);
	strcpy(it.patient.given_name, p->given_name);
	strcpy(it.patient.family_name, p->family_name);
	strcpy(it.patient.location, p->location);
	board_row_init(&it.row);
	batch_add(&b->items, &it);
}

/* A patient's last score. */
static void
api_board_score(const struct store_board_score *score, void *arg)
{
	struct api_board	*b = arg;
	struct api_board_item	*it = api_board_find(b, score->patient_id);

	if (it != NULL)
		board_score(&it->row, score->total, score->band,
		    score->taken_at);
}

/* An open due (none while away at court). */
static void
api_board_due(const struct store_due_row *due, void *arg)
{
	struct api_board	*b = arg;
	struct api_board_item	*it = api_board_find(b, due->patient.id);

	if (it != NULL && due->due.id[0] != '\0')
		board_observation(&it->row, &due->due, b->now);
}

/* One of the day's doses. */
static void
api_board_dose(const struct store_dose_row *row, void *arg)
{
	struct api_board	*b = arg;
	struct api_board_item	*it = api_board_find(b, row->patient.id);

	if (it != NULL)
		board_dose(&it->row, &row->dose, store_dose_standing(row),
		    b->now);
}

/* An open alert. */
static void
api_board_alert(const struct alert *a, void *arg)
{
	struct api_board	*b = arg;
	struct api_board_item	*it = api_board_find(b, a->patient_id);

	if (it != NULL)
		board_alert(&it->row, a);
}

/* A movement booked for tomorrow. */
static void
api_board_movement(const struct store_movement_row *m, void *arg)
{
	struct api_board	*b = arg;
	struct api_board_item	*it = api_board_find(b, m->patient.id);

	if (it != NULL)
		board_movement(&it->row, &m->movement, b->tomorrow_from,
		    b->tomorrow_to);
}

/* qsort's order: the board rule's, then the prison number. */
static int
api_board_order(const void *pa, const void *pb)
{
	const struct api_board_item	*a = pa, *b = pb;
	int				 c = board_compare(&a->row, &b->row);

	return c != 0 ? c : strcmp(a->patient.prison_number,
	    b->patient.prison_number);
}

/* One row as the API writes it. */
static json_t *
api_board_row_json(const struct api_board_item *it)
{
	const struct board_row	*row = &it->row;

	return json_pack("{s:o,s:o,s:{s:s,s:o,s:s},s:{s:i,s:i,s:i,s:i,s:i},"
	    "s:{s:i,s:o},s:o}",
	    "patient", api_patient_ref_json(&it->patient),
	    "risk", row->news2 < 0 ? json_null() : json_pack("{s:i,s:s,s:o}",
	    "news2", row->news2, "band", row->band, "taken_at",
	    json_instant(row->last_taken_at)),
	    "observation", "state", board_obs_name(row->obs),
	    "due_at", json_instant_or_null(row->obs_due_at),
	    "words", row->obs_words,
	    "doses", "round_due", row->round_due, "round_given",
	    row->round_given, "day_due", row->day_due, "day_given",
	    row->day_given, "day_not_taken", row->day_not_taken,
	    "alerts", "open", row->alerts_open, "worst",
	    row->alerts_worst < 0 ? json_null() : json_string(
	    alert_severity_name((enum alert_severity)row->alerts_worst)),
	    "court_at", json_instant_or_null(row->court_at));
}

/* Load every part of the board for the local day of now. */
static enum store_result
api_board_load(struct request *r, struct api_board *b)
{
	struct store		*s = r->srv->store;
	struct civil_date	 today = calendar_local_date(r->now);
	struct civil_date	 tomorrow = calendar_add_days(today, 1);
	enum store_result	 sr;

	b->tomorrow_from = calendar_local_midnight(tomorrow);
	b->tomorrow_to = calendar_local_midnight(calendar_add_days(tomorrow,
	    1));
	if ((sr = store_patient_list(s, "in_custody", api_board_patient, b))
	    != STORE_OK ||
	    (sr = store_board_scores(s, api_board_score, b)) != STORE_OK ||
	    (sr = store_dues_open_list(s, r->now, api_board_due, b)) !=
	    STORE_OK ||
	    (sr = store_dose_list(s, calendar_local_midnight(today),
	    b->tomorrow_from, NULL, api_board_dose, b)) != STORE_OK ||
	    (sr = store_alert_list(s, 1, BOARD_AUDIENCES, api_board_alert, b))
	    != STORE_OK)
		return sr;
	return store_movement_list(s, b->tomorrow_from, b->tomorrow_to,
	    "court", api_board_movement, b);
}

/* GET /v1/board: {at, patients: [row...]}, the most urgent first. */
int
api_board(struct request *r)
{
	struct api_board	 b = { BATCH_OF(struct api_board_item), r->now,
				    0, 0 };
	json_t			*rows;
	size_t			 i;

	if (api_board_load(r, &b) != STORE_OK || b.items.failed) {
		batch_free(&b.items);
		return request_store_failed(r);
	}
	if (b.items.n > 0)
		qsort(b.items.items, b.items.n, b.items.size,
		    api_board_order);
	rows = json_array();
	for (i = 0; i < b.items.n; i++)
		json_array_append_new(rows,
		    api_board_row_json(batch_item(&b.items, i)));
	batch_free(&b.items);
	request_reply(r, 200, json_pack("{s:o,s:o}", "at",
	    json_instant(r->now), "patients", rows));
	return 0;
}
