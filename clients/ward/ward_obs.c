/* Observations due, the longest overdue first, and the form to record
 * one.  The form scores NEWS2 as the readings are typed, with the
 * daemon's own pure module (news2.c), so the nurse sees the score, each
 * parameter that scored 3 and the response it calls for, with the unit's
 * emergency instruction for 7 or more, before anything is saved; the
 * daemon scores it again when it is, and its answer is what counts. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "news2.h"
#include "timefmt.h"
#include "ward.h"

/* What each band looks like: its words are words_band's, as idtsctl's. */
static const int ward_obs_band_attr[] = {
	[NEWS2_BAND_ZERO] = WARD_A_OK,
	[NEWS2_BAND_LOW] = WARD_A_WARNING,
	[NEWS2_BAND_LOW_MEDIUM] = WARD_A_URGENT,
	[NEWS2_BAND_MEDIUM] = WARD_A_URGENT,
	[NEWS2_BAND_HIGH] = WARD_A_EMERGENCY,
};

/* The form's fields, in the order of the NEWS2 chart. */
enum ward_obs_field {
	WARD_OBS_RR, WARD_OBS_SPO2, WARD_OBS_SCALE, WARD_OBS_OXYGEN,
	WARD_OBS_BP, WARD_OBS_PULSE, WARD_OBS_ACVPU, WARD_OBS_TEMP,
	WARD_OBS_AT
};

static int64_t
ward_obs_ms(const json_t *o, const char *key)
{
	int64_t	ms;

	return ward_instant_ms(ward_str(o, key), &ms) == 0 ? ms : 0;
}

/* The movement that has taken the due's patient away now (departed, not
 * back), from the court list read; NULL if none. */
static const json_t *
ward_obs_departed(const struct ward *w, const json_t *due)
{
	const char	*id = ward_str(json_object_get(due, "patient"), "id");
	const char	*state;
	const json_t	*m;
	size_t		 i;

	json_array_foreach(w->moves, i, m) {
		state = ward_str(m, "state");
		if (id != NULL && state != NULL &&
		    strcmp(state, "departed") == 0 && ward_str(json_object_get(
		    m, "patient"), "id") != NULL && strcmp(ward_str(
		    json_object_get(m, "patient"), "id"), id) == 0)
			return m;
	}
	return NULL;
}

/* "at court since 08:01" when the due's patient is away: the daemon's
 * away_since when it says, else the court list's departure; NULL when
 * they are here.  No observation falls due while they are away. */
const char *
ward_obs_away(const struct ward *w, const json_t *due, char *buf,
    size_t size)
{
	const json_t	*m = ward_obs_departed(w, due);
	const char	*since = ward_str(due, "away_since");
	const char	*kind = ward_str(due, "away_kind");
	char		 at[32];

	if (since == NULL && m != NULL)
		since = ward_str(m, "departed_at");
	if (since == NULL)
		return NULL;
	if (kind == NULL)
		kind = m != NULL && ward_str(m, "kind") != NULL ?
		    ward_str(m, "kind") : "court";
	snprintf(buf, size, "%s since %s", strcmp(kind, "court") == 0 ?
	    "at court" : "away", ward_instant(w, since, WARD_DAY_HM, at,
	    sizeof at) ? at : "?");
	return buf;
}

/* Plans whose observation is overdue now, those away left out. */
size_t
ward_obs_overdue(const struct ward *w)
{
	const json_t	*d;
	size_t		 i, n = 0;
	int64_t		 now = ward_now(w);
	char		 away[64];

	json_array_foreach(w->dues, i, d)
		if (ward_obs_ms(d, "warn_at") != 0 &&
		    now > ward_obs_ms(d, "warn_at") &&
		    ward_obs_away(w, d, away, sizeof away) == NULL)
			n++;
	return n;
}

/* The observations due, read. */
void
ward_obs_answer(struct ward *w, struct ward_reply *r)
{
	if (r->status != 200 || !json_is_array(r->body)) {
		snprintf(w->error[WARD_OBS], sizeof w->error[WARD_OBS], "%s",
		    r->status == 200 ? "The daemon's answer was not the list "
		    "expected." : r->words);
		return;
	}
	json_decref(w->dues);
	w->dues = json_incref(r->body);
	w->dues_at = ward_now(w);
	w->error[WARD_OBS][0] = '\0';
	/* The daemon orders them, the longest overdue first; a due has
	 * the id the list keeps the selection by. */
	ward_list_keep(w, WARD_OBS, w->dues);
}

/* "OVERDUE 25 min", "due now", "in 1 h 5 min", "at court since 08:01" */
static int
ward_obs_state(const struct ward *w, const json_t *d, char *buf, size_t size)
{
	int64_t	now = ward_now(w), due = ward_obs_ms(d, "next_due_at");
	char	len[32];

	if (ward_obs_away(w, d, buf, size) != NULL)
		return WARD_A_INFO;
	if (now > ward_obs_ms(d, "warn_at")) {
		snprintf(buf, size, "OVERDUE %s", words_minutes((now - due) /
		    MS_PER_MINUTE, len, sizeof len));
		return WARD_A_URGENT;
	}
	if (now >= due) {
		snprintf(buf, size, "due now");
		return WARD_A_DUE;
	}
	snprintf(buf, size, "in %s", words_minutes((due - now +
	    MS_PER_MINUTE - 1) / MS_PER_MINUTE, len, sizeof len));
	return WARD_A_NORMAL;
}

void
ward_obs_draw(struct ward *w, int y, int rows, int width)
{
	/* STATE holds "at court since Mon 08:01". */
	struct ward_col	 c[7] = {
		{ "DUE", 9, 0, 0, 0 }, { "STATE", 20, 1, 0, 0 },
		[5] = { "LAST NEWS2", 10, 2, 0, 1 }, { "EVERY", 6, 0, 0, 2 },
	};
	struct ward_list *l = &w->list[WARD_OBS];
	size_t		 i, n = json_array_size(w->dues);
	const json_t	*d, *p, *last;
	const char	*cells[7];
	struct ward_who	 who;
	char		 title[256], due[32], state[64], name[256];
	char		 news[96], every[32], when[32];
	const struct words_band *b;
	int		 attrs[7], kind, list_rows = rows - 4;

	snprintf(title, sizeof title, "Observations due: %zu plan%s, %zu "
	    "OVERDUE", n, n == 1 ? "" : "s", ward_obs_overdue(w));
	ward_pane_title(w, y, width, title, w->dues_at, w->error[WARD_OBS]);
	ward_who_cols(c, 2);
	ward_cols_fit(c, 7, width);
	ward_cols_header(c, 7, y + 1, A_UNDERLINE);
	if (n == 0) {
		ward_put(y + 2, 0, width, w->dues != NULL ? "No observation "
		    "plan is running." : w->error[WARD_OBS][0] != '\0' ?
		    "The observations due could not be read: see above." :
		    "Reading the observations due...", A_NORMAL);
		return;
	}
	ward_list_show(w, WARD_OBS, n, list_rows);
	ward_list_more(w, WARD_OBS, n, list_rows, y, width);
	for (i = l->top; i < n && (int)(i - l->top) < list_rows; i++) {
		d = json_array_get(w->dues, i);
		last = json_object_get(d, "last_observation");
		kind = ward_obs_state(w, d, state, sizeof state);
		if (json_is_object(last)) {
			b = words_band_named(ward_str(last, "band"));
			snprintf(news, sizeof news, "%lld %s %s",
			    (long long)json_integer_value(json_object_get(last,
			    "total")), b != NULL ? b->label : "?",
			    ward_instant(w, ward_str(last, "taken_at"),
			    WARD_DAY_HM, when, sizeof when) ? when : "");
		} else
			snprintf(news, sizeof news, "none yet");
		words_minutes((long long)json_integer_value(json_object_get(d,
		    "interval_minutes")), every, sizeof every);
		cells[0] = ward_instant(w, ward_str(d, "next_due_at"),
		    WARD_DAY_HM, due, sizeof due);
		cells[1] = state;
		ward_who_cells(c, 2, json_object_get(d, "patient"), &who,
		    cells);
		cells[5] = news;
		cells[6] = every;
		memset(attrs, 0, sizeof attrs);
		attrs[1] = ward_screen_attr(w, kind);
		ward_cols_row(c, 7, y + 2 + (int)(i - l->top), cells, attrs,
		    i == l->sel ? A_REVERSE : A_NORMAL);
	}
	d = json_array_get(w->dues, l->sel);
	p = json_object_get(d, "patient");
	snprintf(title, sizeof title, "%s %s, %s: plan until %s",
	    ward_str(p, "prison_number") ? ward_str(p, "prison_number") : "?",
	    ward_person(p, name, sizeof name), ward_str(p, "location") ?
	    ward_str(p, "location") : "?", ward_instant(w,
	    ward_str(json_object_get(d, "plan"), "ends_at"), WARD_DAY_HM,
	    when, sizeof when) ? when : "?");
	ward_put(y + rows - 2, 0, width, title, A_BOLD);
	ward_put(y + rows - 1, 0, width, "o or Enter: record an observation "
	    "(NEWS2 is shown before it is saved)", A_NORMAL);
}

/* --- the form ------------------------------------------------------------ */

/* The readings typed, or -1 naming the first that is not one. */
static int
ward_obs_readings(struct ward_form *f, struct news2_readings *r,
    int *bad)
{
	const char	*v;

	memset(r, 0, sizeof *r);
	*bad = WARD_OBS_RR;
	if (words_whole(f->field[WARD_OBS_RR].value, NULL,
	    &r->respiratory_rate) == -1)
		return -1;
	*bad = WARD_OBS_SPO2;
	if (words_whole(f->field[WARD_OBS_SPO2].value, "%", &r->spo2) == -1)
		return -1;
	*bad = WARD_OBS_SCALE;
	v = f->field[WARD_OBS_SCALE].value;
	if (strcmp(v, "1") != 0 && strcmp(v, "2") != 0)
		return -1;
	r->spo2_scale = v[0] - '0';
	*bad = WARD_OBS_OXYGEN;
	v = f->field[WARD_OBS_OXYGEN].value;
	if (strcasecmp(v, "y") == 0 || strcasecmp(v, "yes") == 0)
		r->on_oxygen = 1;
	else if (strcasecmp(v, "n") == 0 || strcasecmp(v, "no") == 0)
		r->on_oxygen = 0;
	else
		return -1;
	*bad = WARD_OBS_BP;
	if (words_whole(f->field[WARD_OBS_BP].value, "/",
	    &r->systolic_bp) == -1)
		return -1;
	*bad = WARD_OBS_PULSE;
	if (words_whole(f->field[WARD_OBS_PULSE].value, NULL,
	    &r->pulse) == -1)
		return -1;
	*bad = WARD_OBS_ACVPU;
	v = f->field[WARD_OBS_ACVPU].value;
	if (strlen(v) != 1 || news2_consciousness_parse((char[]){
	    (char)(v[0] >= 'a' && v[0] <= 'z' ? v[0] - 'a' + 'A' : v[0]),
	    '\0' }, &r->consciousness) == -1)
		return -1;
	*bad = WARD_OBS_TEMP;
	if (words_tenths(f->field[WARD_OBS_TEMP].value,
	    &r->temperature_tenths) == -1)
		return -1;
	return 0;
}

/* When it was taken: now, or HH:MM today (yesterday if that is still to
 * come), in local time.  -1 if the text is not a time. */
static int
ward_obs_taken(struct ward *w, const char *text, int64_t *ms)
{
	struct tm	tm;
	time_t		t, now = (time_t)(ward_now(w) / MS_PER_SECOND);
	int		hour, minute;
	char		end;

	if (text[0] == '\0') {
		*ms = ward_now(w);
		return 0;
	}
	if (sscanf(text, "%2d:%2d%c", &hour, &minute, &end) != 2 ||
	    hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
	    localtime_r(&now, &tm) == NULL)
		return -1;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	if (t > now + 5 * 60) {
		tm.tm_mday--;
		tm.tm_hour = hour;
		tm.tm_min = minute;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			return -1;
	}
	*ms = (int64_t)t * MS_PER_SECOND;
	return 0;
}

/* The NEWS2 result of the readings typed so far, on the form. */
static int
ward_obs_preview(struct ward *w, struct ward_form *f)
{
	static const char *const words[NEWS2_NPARAMETERS] = {
		"RR", "SpO2", "air/O2", "BP", "pulse", "ACVPU", "temp"
	};
	struct news2_readings	 r;
	struct news2_result	 res;
	struct refusal		 why;
	const struct words_band	*band;
	char			*p, action[200], red[200];	/* a row */
	size_t			 left;
	int			 bad, i, n;

	f->npreview = 0;
	f->preview_attr = WARD_A_NORMAL;
	if (ward_obs_readings(f, &r, &bad) == -1) {
		snprintf(f->preview[f->npreview++], sizeof f->preview[0],
		    "NEWS2: type every reading to see the score.");
		return -1;
	}
	if (news2_check(&r, &why) == -1) {
		snprintf(f->preview[f->npreview++], sizeof f->preview[0],
		    "NEWS2: cannot score this: %.200s.", why.message);
		f->preview_attr = WARD_A_ERROR;
		return -1;
	}
	news2_score(&r, &res);
	band = words_band(res.band);
	/* The response, with the unit's emergency instruction for 7+. */
	news2_action(&res, w->emergency_instruction, action, sizeof action);
	snprintf(f->preview[f->npreview++], sizeof f->preview[0],
	    "NEWS2 %d - %s: %s", res.total, band->label, action);
	f->preview_attr = ward_obs_band_attr[res.band];
	news2_red_words(&r, &res, red, sizeof red);
	if (red[0] != '\0')
		snprintf(f->preview[f->npreview++], sizeof f->preview[0],
		    "3 for %s", red);
	p = f->preview[f->npreview++];
	left = sizeof f->preview[0];
	for (i = 0; i < NEWS2_NPARAMETERS && left > 1; i++) {
		n = snprintf(p, left, "%s%s %d", i > 0 ? ", " : "scores: ",
		    words[i], res.scores[i]);
		if (n < 0 || (size_t)n >= left)
			break;
		p += n;
		left -= (size_t)n;
	}
	if (band->alerted)
		snprintf(f->preview[f->npreview++], sizeof f->preview[0],
		    "Saving it alerts the ward, the doctor on call and the "
		    "managers.");
	return 0;
}

/* Enter on the last field: every reading scored, or the one to fix. */
static int
ward_obs_check(struct ward *w, struct ward_form *f)
{
	struct news2_readings	 r;
	int64_t			 ms;
	int			 bad;

	if (ward_obs_readings(f, &r, &bad) == -1) {
		snprintf(f->error, sizeof f->error, "%s: not a reading this "
		    "form takes.", f->field[bad].label);
		f->cur = bad;
		return -1;
	}
	if (ward_obs_preview(w, f) == -1) {
		snprintf(f->error, sizeof f->error, "%s", f->preview[0]);
		return -1;
	}
	if (ward_obs_taken(w, f->field[WARD_OBS_AT].value, &ms) == -1) {
		snprintf(f->error, sizeof f->error, "Taken at is a time such "
		    "as 09:40, or empty for now.");
		f->cur = WARD_OBS_AT;
		return -1;
	}
	snprintf(f->question, sizeof f->question, "Save this observation "
	    "with NEWS2 as shown?  y: save   n: change it");
	return 0;
}

static int
ward_obs_save(struct ward *w, struct ward_form *f)
{
	struct ward_reply	 r;
	struct news2_readings	 rd;
	const json_t		*p = json_object_get(f->subject, "patient");
	const json_t		*news2;
	const struct words_band	*b;
	char			 taken[TIMEFMT_INSTANT_LEN], next[32], name[256];
	int64_t			 ms;
	int			 bad;

	if (ward_obs_readings(f, &rd, &bad) == -1 ||
	    ward_obs_taken(w, f->field[WARD_OBS_AT].value, &ms) == -1)
		return -1;
	timefmt_format_instant(ms, taken);
	if (ward_call(w, "POST", "/observations", json_pack("{s:s,s:s,s:i,"
	    "s:i,s:i,s:b,s:i,s:i,s:s,s:f}", "patient_id", ward_str(p, "id") ?
	    ward_str(p, "id") : "", "taken_at", taken, "respiratory_rate",
	    rd.respiratory_rate, "spo2", rd.spo2, "spo2_scale", rd.spo2_scale,
	    "on_oxygen", rd.on_oxygen, "systolic_bp", rd.systolic_bp, "pulse",
	    rd.pulse, "consciousness",
	    news2_consciousness_name(rd.consciousness), "temperature",
	    rd.temperature_tenths / 10.0), f->key, 201, &r) == -1) {
		snprintf(f->error, sizeof f->error, "%s", r.words);
		if (r.status != 0)
			validate_new_uuid(f->key);
		ward_reply_free(&r);
		return -1;
	}
	news2 = json_object_get(r.body, "news2");
	b = words_band_named(ward_str(news2, "band"));
	ward_say(w, b != NULL ? ward_obs_band_attr[b->band] : WARD_A_OK,
	    "SAVED for %s %s: NEWS2 %lld %s, %s; %s%s%s",
	    ward_str(p, "prison_number") ? ward_str(p, "prison_number") : "",
	    ward_person(p, name, sizeof name),
	    (long long)json_integer_value(json_object_get(news2, "total")),
	    b != NULL ? b->label : "?", b != NULL ? news2_response(b->band) :
	    "see the chart", ward_str(r.body, "next_due_at") ? "next due " :
	    "no further observation due", ward_str(r.body, "next_due_at") ?
	    (ward_instant(w, ward_str(r.body, "next_due_at"), WARD_DAY_HM,
	    next, sizeof next) ? next : "?") : "", b != NULL && b->alerted ?
	    ". The ward, the doctor on call and the managers are alerted." :
	    ".");
	ward_reply_free(&r);
	ward_refresh(w);
	return 0;
}

static void
ward_obs_form(struct ward *w)
{
	json_t			*d = ward_list_selected(w, WARD_OBS, w->dues);
	const json_t		*p = json_object_get(d, "patient");
	struct ward_form	*f;
	char			 name[256];

	if (d == NULL) {
		ward_say(w, WARD_A_NORMAL, "There is no observation due to "
		    "record.");
		return;
	}
	f = ward_form_open(w, "Record an observation");
	f->subject = json_incref(d);
	ward_form_info(f, "%s %s, %s", ward_str(p, "prison_number") ?
	    ward_str(p, "prison_number") : "?", ward_person(p, name,
	    sizeof name), ward_str(p, "location") ? ward_str(p, "location") :
	    "?");
	ward_form_add(f, "Respiratory rate (/min)", 0, 0, 3, NULL);
	ward_form_add(f, "SpO2 (%)", 0, 0, 4, NULL);
	ward_form_add(f, "SpO2 scale (1, or 2 if prescribed)", 0, 0, 1, "1");
	ward_form_add(f, "On oxygen (y/n)", 0, 0, 3, "n");
	ward_form_add(f, "Systolic BP (mmHg)", 0, 0, 7, NULL);
	ward_form_add(f, "Pulse (/min)", 0, 0, 3, NULL);
	/* Chosen each time, never pre-filled: an observation is not
	 * saved with the patient unassessed. */
	ward_form_add(f, "Consciousness (A C V P U)", 0, 0, 1, NULL);
	ward_form_add(f, "Temperature (C, as 37.2)", 0, 0, 5, NULL);
	ward_form_add(f, "Taken at (HH:MM, empty: now)", 0, 1, 5, NULL);
	f->changed = ward_obs_preview;
	f->check = ward_obs_check;
	f->submit = ward_obs_save;
	ward_obs_preview(w, f);
}

int
ward_obs_key(struct ward *w, const struct ward_key *k)
{
	if (ward_list_key(w, WARD_OBS, json_array_size(w->dues), k)) {
		ward_list_remember(w, WARD_OBS, w->dues);
		return 1;
	}
	if (k->fn == KEY_ENTER || (k->fn == 0 && (k->ch == 'o' ||
	    k->ch == '\r' || k->ch == '\n'))) {
		ward_obs_form(w);
		return 1;
	}
	return 0;
}
