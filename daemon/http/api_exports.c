/* GET /v1/exports/treatment-episodes?month=YYYY-MM: the month's
 * treatment episodes for the national returns, one row a patient in
 * treatment some time in the month (episode_add() draws each together);
 * CSV with Accept: text/csv.  The columns the daemon cannot know (sex)
 * are there and empty (docs/design.md, "National returns"). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_reports.h"
#include "episode.h"
#include "request.h"
#include "server.h"
#include "store_reports.h"

/* The episodes being drawn: the patient's row so far and its episode. */
struct api_episodes {
	json_t		*rows;
	json_t		*current;	/* the patient's columns */
	struct episode	 episode;
	char		 patient_id[UUID_STR_LEN];
};

/* A local date, or "" for none. */
static json_t *
api_episode_date(int64_t at)
{
	char	buf[TIMEFMT_DATE_LEN];

	if (at == 0 || at == EPISODE_OPEN)
		return json_string("");
	timefmt_format_date(calendar_local_date(at), buf);
	return json_string(buf);
}

/* Finish the patient's row with its episode, and add it. */
static void
api_episode_end(struct api_episodes *a)
{
	if (a->current == NULL)
		return;
	json_object_set_new(a->current, "drugs",
	    json_string(a->episode.drugs));
	json_object_set_new(a->current, "episode_start",
	    api_episode_date(a->episode.start));
	json_object_set_new(a->current, "episode_end",
	    api_episode_date(a->episode.end));
	json_object_set_new(a->current, "discharge_reason",
	    json_string(a->episode.discharge_reason));
	json_array_append_new(a->rows, a->current);
	a->current = NULL;
}

/* The columns of a patient's row that are the patient's and the exit's. */
static json_t *
api_episode_patient(const struct store_episode_row *r)
{
	int	released = strcmp(r->exit_kind, "release") == 0;

	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s}",
	    "client_reference", r->prison_number,
	    "family_name", r->family_name, "given_name", r->given_name,
	    "date_of_birth", r->date_of_birth, "sex", "",
	    "reception_date", api_episode_date(r->arrived_at),
	    "exit_date", api_episode_date(r->exit_at),
	    "exit_reason", r->exit_kind, "exit_destination",
	    r->exit_destination, "referral_on_release",
	    released ? r->follow_up : "");
}

/* One prescription: a new patient ends the last one's row. */
static int
api_episode_take(const struct store_episode_row *r, void *arg)
{
	struct api_episodes	*a = arg;

	if (strcmp(r->patient_id, a->patient_id) != 0) {
		api_episode_end(a);
		snprintf(a->patient_id, sizeof a->patient_id, "%s",
		    r->patient_id);
		episode_begin(&a->episode);
		if ((a->current = api_episode_patient(r)) == NULL)
			return -1;
	}
	episode_add(&a->episode, &r->rx);
	return 0;
}

/* Build the export of [from, to]. */
static enum store_result
api_episodes_build(struct request *r, struct civil_date from,
    struct civil_date to, struct api_report_out *out)
{
	struct api_episodes	*a;
	enum store_result	 sr = STORE_ERROR;

	api_report_out_new(out, from, to);
	if ((a = calloc(1, sizeof *a)) != NULL) {
		a->rows = out->rows;
		sr = store_report_episodes(r->srv->store,
		    calendar_local_midnight(from), calendar_local_midnight(
		    calendar_add_days(to, 1)), api_episode_take, a);
		if (sr == STORE_OK)
			api_episode_end(a);
		json_decref(a->current);
		free(a);
	}
	if (sr == STORE_OK)
		json_object_set(out->body, "episodes", out->rows);
	return api_report_out_end(out, sr);
}

static const char *const api_episode_columns[] = {
	"client_reference", "family_name", "given_name", "date_of_birth",
	"sex", "reception_date", "drugs", "episode_start", "episode_end",
	"discharge_reason", "exit_date", "exit_reason", "exit_destination",
	"referral_on_release", NULL
};

static const struct api_report_kind api_export_episodes_kind = {
	"treatment-episodes", api_episode_columns, api_episodes_build
};

/* GET /v1/exports/treatment-episodes?month=YYYY-MM */
int
api_export_episodes(struct request *r)
{
	return api_report_serve_month(r, &api_export_episodes_kind);
}
