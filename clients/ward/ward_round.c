/* The round: today's doses and the next twelve hours', what can be given
 * now first, by round time and then cell by cell as the daemon orders
 * them.  A dose is given with the patient confirmed by their prison
 * number and the witness typing their own username and PIN at this
 * terminal; refusals and withholds take a reason. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "timefmt.h"
#include "ward.h"

#define WARD_ROUND_AHEAD	(12 * MS_PER_HOUR)	/* "soon" */

#define WARD_GIVE	0
#define WARD_REFUSE	1
#define WARD_WITHHOLD	2

/* Order the rows shown, as idtsctl orders a round. */
static void
ward_round_sort(struct ward *w)
{
	json_decref(w->dose_rows);
	if ((w->dose_rows = words_round_sort(w->doses)) == NULL)
		w->dose_rows = json_array();
	ward_list_keep(w, WARD_ROUND, w->dose_rows);
}

/* How many doses can be given now. */
size_t
ward_round_due(const struct ward *w)
{
	const json_t	*d;
	size_t		 i, n = 0;

	json_array_foreach(w->doses, i, d)
		if (ward_str(d, "state") != NULL &&
		    strcmp(ward_str(d, "state"), "due") == 0)
			n++;
	return n;
}

/* Today's doses (day 0), and tomorrow's (day 1) in the next twelve
 * hours, so a night nurse sees the morning round coming: the path of
 * the read, or NULL. */
const char *
ward_round_path(struct ward *w, int day, char *buf, size_t size)
{
	char	date[16];

	if (ward_local_date(w->refresh.now, day, date, sizeof date) == NULL)
		return NULL;
	snprintf(buf, size, "/doses?date=%s", date);
	return buf;
}

/* A day's doses read: gathered until both days are, then shown. */
void
ward_round_answer(struct ward *w, int day, struct ward_reply *r)
{
	struct ward_refresh	*rf = &w->refresh;
	json_t			*d;
	int64_t			 due;
	size_t			 i;

	if (r->status != 200 || !json_is_array(r->body)) {
		snprintf(w->error[WARD_ROUND], sizeof w->error[WARD_ROUND],
		    "%s", r->status == 200 ? "The daemon's answer was not "
		    "the list expected." : r->words);
		json_decref(rf->doses);
		rf->doses = NULL;
		return;
	}
	if (day == 0) {
		json_decref(rf->doses);
		rf->doses = json_array();
	}
	json_array_foreach(r->body, i, d)
		if (day == 0 || (ward_instant_ms(ward_str(d, "due_at"),
		    &due) == 0 && due <= rf->now + WARD_ROUND_AHEAD))
			json_array_append(rf->doses, d);
	if (day == 0)
		return;
	json_decref(w->doses);
	w->doses = rf->doses;
	rf->doses = NULL;
	w->doses_at = rf->now;
	w->error[WARD_ROUND][0] = '\0';
	ward_round_sort(w);
}

/* The state as the round shows it. */
static int
ward_round_state(const struct ward *w, const json_t *d, char *buf,
    size_t size)
{
	const char	*state = ward_str(d, "state");
	char		 at[32];

	if (state == NULL)
		state = "?";
	if (strcmp(state, "due") == 0) {
		snprintf(buf, size, "DUE");
		return WARD_A_DUE;
	}
	if (strcmp(state, "held") == 0) {
		snprintf(buf, size, "HELD");
		return WARD_A_URGENT;
	}
	if (strcmp(state, "given") == 0) {
		snprintf(buf, size, "given %s", ward_instant(w, ward_str(d,
		    "recorded_at"), WARD_HM, at, sizeof at) ? at : "");
		return WARD_A_OK;
	}
	snprintf(buf, size, "%s", state);
	if (strcmp(state, "missed") == 0)
		return WARD_A_WARNING;
	if (strcmp(state, "scheduled") == 0)
		return WARD_A_NORMAL;
	return WARD_A_DIM;
}

/* "30 ml (30 mg)": a dose and the active amount it holds (amount.c). */
static const char *
ward_round_amount(const json_t *d, char buf[AMOUNT_TEXT_LEN])
{
	return amount_json_text(json_object_get(d, "dose"), ward_str(d, "unit"),
	    json_object_get(d, "active"), buf) == 0 ? buf : NULL;
}

/* "30 ml (30 mg) Methadone 1mg/ml" */
static const char *
ward_round_drug(const json_t *d, char *buf, size_t size)
{
	const json_t	*p = json_object_get(d, "product");
	const char	*strength = ward_str(p, "strength");
	char		 amount[AMOUNT_TEXT_LEN];

	snprintf(buf, size, "%s %s%s%s", ward_round_amount(d, amount) ?
	    amount : "?", ward_str(p, "name") ? ward_str(p, "name") : "?",
	    strength != NULL && *strength != '\0' ? " " : "",
	    strength != NULL ? strength : "");
	return buf;
}

/* A caution's code as its page heads it. */
static const char *
ward_round_caution_title(const char *code)
{
	static const struct {
		const char	*code, *title;
	} titles[] = {
		{ "news2_high", "HIGH NEWS2 SCORE" },
		{ "not_alert", "NOT ALERT" },
		{ "first_dose_in_custody", "FIRST DOSE IN CUSTODY" },
		{ "community_dose_unknown", "LAST COMMUNITY DOSE NOT KNOWN" },
		{ "last_dose_long_ago", "TOLERANCE MAY BE LOST" },
		{ "dose_increased", "DOSE HIGHER THAN THE LAST GIVEN" },
		{ "returned_today", "BACK FROM COURT TODAY" },
	};
	size_t	i;

	for (i = 0; code != NULL && i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(code, titles[i].code) == 0)
			return titles[i].title;
	return code != NULL ? code : "CAUTION";
}

/* The cautions to confirm before a dose is given: none once it is (the
 * daemon then lists those that were confirmed). */
static const json_t *
ward_round_cautions(const json_t *d)
{
	const char	*state = ward_str(d, "state");

	if (state != NULL && strcmp(state, "given") == 0)
		return NULL;
	return json_object_get(d, "cautions");
}

/* The cautions to confirm as headings, "NOT ALERT, FIRST DOSE IN
 * CUSTODY"; how many. */
static size_t
ward_round_cautions_said(const json_t *d, char *buf, size_t size)
{
	const json_t	*c;
	size_t		 i;

	buf[0] = '\0';
	json_array_foreach(ward_round_cautions(d), i, c)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
		    i > 0 ? ", " : "", ward_round_caution_title(ward_str(c,
		    "code")));
	return json_array_size(ward_round_cautions(d));
}

/* What the record of the selected dose says. */
static void
ward_round_detail(struct ward *w, const json_t *d, int y, int width)
{
	const json_t	*by = json_object_get(d, "administered_by");
	const json_t	*wit = json_object_get(d, "witnessed_by");
	const json_t	*rec = json_object_get(d, "recorded_by");
	const json_t	*p = json_object_get(d, "patient");
	char		 line[640], from[32], to[32], at[32], name[256];
	char		 drug[256], said[512];

	snprintf(line, sizeof line, "%s %s, %s: %s, window %s-%s",
	    ward_str(p, "prison_number") ? ward_str(p, "prison_number") : "?",
	    ward_person(p, name, sizeof name), ward_str(p, "location") ?
	    ward_str(p, "location") : "?", ward_round_drug(d, drug,
	    sizeof drug), ward_instant(w, ward_str(d, "window_start"),
	    WARD_HM, from, sizeof from) ? from : "?", ward_instant(w,
	    ward_str(d, "window_end"), WARD_HM, to, sizeof to) ? to : "?");
	ward_put(y, 0, width, line, A_BOLD);
	ward_instant(w, ward_str(d, "recorded_at"), WARD_HM, at, sizeof at);
	if (json_is_object(by))
		snprintf(line, sizeof line, "Given %s by %s, witnessed by "
		    "%s%s%s", at, ward_str(by, "display_name") ?
		    ward_str(by, "display_name") : "?", json_is_object(wit) &&
		    ward_str(wit, "display_name") ? ward_str(wit,
		    "display_name") : "?", ward_str(d, "note") ? ". Note: " :
		    "", ward_str(d, "note") ? ward_str(d, "note") : "");
	else if (ward_str(d, "reason") != NULL)
		snprintf(line, sizeof line, "%s %s by %s: %s",
		    ward_str(d, "state") ? ward_str(d, "state") : "recorded",
		    at, json_is_object(rec) && ward_str(rec, "display_name") ?
		    ward_str(rec, "display_name") : "?", ward_str(d, "reason"));
	else if (words_round_rank(ward_str(d, "state")) == 2)
		snprintf(line, sizeof line, "The prescription is held for "
		    "review after doses not taken: no dose until a prescriber "
		    "reviews it.");
	else if (ward_round_cautions_said(d, said, sizeof said) > 0)
		snprintf(line, sizeof line, "CAUTIONS: %s. Giving it shows "
		    "each in full.", said);
	else
		line[0] = '\0';
	ward_put(y + 1, 0, width, line, A_NORMAL);
}

/* "; on duty at 08:00: nina, carl": who the rota has on at the chosen
 * dose's round, when the daemon says (on_duty). */
static void
ward_round_on_duty(const struct ward *w, const json_t *d, char *buf,
    size_t size)
{
	const json_t	*who = json_object_get(d, "on_duty"), *v;
	char		 at[32];
	size_t		 i;

	if (json_array_size(who) == 0)
		return;
	snprintf(buf + strlen(buf), size - strlen(buf), "; on duty at %s: ",
	    ward_instant(w, ward_str(d, "due_at"), WARD_DAY_HM, at,
	    sizeof at) ? at : "?");
	json_array_foreach(who, i, v)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
		    i > 0 ? ", " : "", json_string_value(v) ?
		    json_string_value(v) : "?");
}

void
ward_round_draw(struct ward *w, int y, int rows, int width)
{
	/* DOSE holds "45.5 ml (45.5 mg)"; the drug is on the row below
	 * the list when its column is left out. */
	struct ward_col	 c[7] = {
		{ "TIME", 9, 0, 0, 0 }, [4] = { "DRUG", 14, 3, 0, 1 },
		{ "DOSE", 17, 0, 0, 0 }, { "STATE", 8, 1, 0, 0 },
	};
	struct ward_list *l = &w->list[WARD_ROUND];
	size_t		 i, n = json_array_size(w->dose_rows);
	const json_t	*d, *prod;
	const char	*cells[7];
	struct ward_who	 who;
	char		 title[256], date[32], time[32];
	char		 drug[256], amount[AMOUNT_TEXT_LEN], state[64];
	int		 attrs[7], kind, list_rows = rows - 4;

	snprintf(title, sizeof title, "Round %s: %zu due", ward_when(w,
	    ward_now(w), WARD_DATE, date, sizeof date) ? date : "",
	    ward_round_due(w));
	ward_round_on_duty(w, json_array_get(w->dose_rows, l->sel), title,
	    sizeof title);
	ward_pane_title(w, y, width, title, w->doses_at, w->error[WARD_ROUND]);
	ward_who_cols(c, 1);
	ward_cols_fit(c, 7, width);
	ward_cols_header(c, 7, y + 1, A_UNDERLINE);
	if (n == 0) {
		ward_put(y + 2, 0, width, w->doses != NULL ? "No doses "
		    "today." : w->error[WARD_ROUND][0] != '\0' ? "The round "
		    "could not be read: see above." : "Reading the round...",
		    A_NORMAL);
		return;
	}
	ward_list_show(w, WARD_ROUND, n, list_rows);
	ward_list_more(w, WARD_ROUND, n, list_rows, y, width);
	for (i = l->top; i < n && (int)(i - l->top) < list_rows; i++) {
		d = json_array_get(w->dose_rows, i);
		prod = json_object_get(d, "product");
		kind = ward_round_state(w, d, state, sizeof state);
		snprintf(drug, sizeof drug, "%s%s%s", ward_str(prod, "name") ?
		    ward_str(prod, "name") : "?", ward_str(prod, "strength") ?
		    " " : "", ward_str(prod, "strength") ?
		    ward_str(prod, "strength") : "");
		cells[0] = ward_instant(w, ward_str(d, "due_at"), WARD_DAY_HM,
		    time, sizeof time);
		ward_who_cells(c, 1, json_object_get(d, "patient"), &who,
		    cells);
		cells[4] = drug;
		cells[5] = ward_round_amount(d, amount);
		cells[6] = state;
		memset(attrs, 0, sizeof attrs);
		attrs[6] = ward_screen_attr(w, kind);
		ward_cols_row(c, 7, y + 2 + (int)(i - l->top), cells, attrs,
		    i == l->sel ? A_REVERSE : A_NORMAL);
	}
	ward_round_detail(w, json_array_get(w->dose_rows, l->sel),
	    y + rows - 2, width);
}

/* --- giving, refusing, withholding ---------------------------------------- */

/* Whether the prison number typed is this dose's patient's; says why
 * not in the form. */
static int
ward_round_confirm(struct ward_form *f, int field)
{
	const json_t	*p = json_object_get(f->subject, "patient");
	const char	*want = ward_str(p, "prison_number");
	char		 typed[PRISON_NUMBER_LEN], name[256];

	if (validate_prison_number(f->field[field].value, typed) == -1) {
		snprintf(f->error, sizeof f->error, "A prison number is a "
		    "letter, four digits and two letters, such as A1234BC.");
		f->cur = field;
		return -1;
	}
	if (want == NULL || strcmp(typed, want) != 0) {
		snprintf(f->error, sizeof f->error, "%s is not the prison "
		    "number of %s, whose dose this is. Check the person's ID "
		    "card: nothing was recorded.", typed, ward_person(p, name,
		    sizeof name));
		explicit_bzero(f->field[field].value,
		    sizeof f->field[field].value);
		f->cur = field;
		return -1;
	}
	return 0;
}

/* A refusal answered: show it in the form, and take a new
 * Idempotency-Key so the corrected form is a new request (the daemon
 * would replay the refusal for the old one).  Only when the daemon was
 * not reached is the key kept: the same request may then be sent again
 * without any risk of recording twice. */
static int
ward_round_refused(struct ward_form *f, struct ward_reply *r)
{
	snprintf(f->error, sizeof f->error, "%s", r->words);
	if (r->status != 0)
		validate_new_uuid(f->key);
	ward_reply_free(r);
	return -1;
}

/* Every caution of the dose, each confirmed on its page before this
 * form opened, as confirm_cautions. */
static void
ward_round_confirmations(const json_t *d, json_t *body)
{
	const json_t	*c;
	json_t		*codes = json_array();
	size_t		 i;

	json_array_foreach(ward_round_cautions(d), i, c)
		if (ward_str(c, "code") != NULL)
			json_array_append_new(codes, json_string(ward_str(c,
			    "code")));
	json_object_set_new(body, "confirm_cautions", codes);
}

static int
ward_round_give(struct ward *w, struct ward_form *f)
{
	struct ward_reply	 r;
	const json_t		*p = json_object_get(f->subject, "patient");
	const json_t		*wit;
	json_t			*body;
	char			 path[128], amount[AMOUNT_TEXT_LEN];
	char			 balance[64], name[256], pin[WARD_FIELD_MAX];

	/* The witness's PIN is typed for this sending only: whatever
	 * happens next, it is wiped from the form. */
	memcpy(pin, f->field[2].value, sizeof pin);
	explicit_bzero(f->field[2].value, sizeof f->field[2].value);
	if (ward_round_confirm(f, 0) == -1) {
		explicit_bzero(pin, sizeof pin);
		return -1;
	}
	if (validate_username(f->field[1].value) == -1) {
		snprintf(f->error, sizeof f->error, "The witness's username is "
		    "written in small letters, such as carl.");
		f->cur = 1;
		explicit_bzero(pin, sizeof pin);
		return -1;
	}
	body = json_pack("{s:{s:s,s:s}}", "witness", "username",
	    f->field[1].value, "pin", pin);
	explicit_bzero(pin, sizeof pin);
	if (f->field[3].value[0] != '\0')
		json_object_set_new(body, "note",
		    json_string(f->field[3].value));
	ward_round_confirmations(f->subject, body);
	snprintf(path, sizeof path, "/doses/%s/administer",
	    ward_str(f->subject, "id"));
	if (ward_call(w, "POST", path, body, f->key, 200, &r) == -1) {
		if (strncmp(r.code, "witness_", 8) == 0)
			f->cur = strcmp(r.code, "witness_not_authenticated") ==
			    0 ? 2 : 1;
		return ward_round_refused(f, &r);
	}
	wit = json_object_get(r.body, "witnessed_by");
	ward_say(w, WARD_A_OK, "GIVEN: %s %s to %s %s, witnessed by %s. "
	    "Register balance %s.", ward_round_amount(f->subject, amount) ?
	    amount : "", ward_str(json_object_get(f->subject, "product"),
	    "name") ? ward_str(json_object_get(f->subject, "product"),
	    "name") : "", ward_str(p, "prison_number") ?
	    ward_str(p, "prison_number") : "", ward_person(p, name,
	    sizeof name), ward_str(wit, "display_name") ?
	    ward_str(wit, "display_name") : "?", ward_amount(json_object_get(
	    r.body, "balance_after"), ward_str(r.body, "unit"), balance,
	    sizeof balance) ? balance : "?");
	ward_reply_free(&r);
	ward_refresh(w);
	return 0;
}

static int
ward_round_not_given(struct ward *w, struct ward_form *f)
{
	struct ward_reply	 r;
	const json_t		*p = json_object_get(f->subject, "patient");
	char			 path[128], name[256];
	const char		*action = f->action == WARD_REFUSE ? "refuse" :
				    "withhold";

	if (ward_round_confirm(f, 0) == -1)
		return -1;
	snprintf(path, sizeof path, "/doses/%s/%s",
	    ward_str(f->subject, "id"), action);
	if (ward_call(w, "POST", path, json_pack("{s:s}", "reason",
	    f->field[1].value), f->key, 200, &r) == -1)
		return ward_round_refused(f, &r);
	ward_say(w, WARD_A_OK, "%s: the dose of %s %s, because: %s",
	    f->action == WARD_REFUSE ? "REFUSED" : "WITHHELD",
	    ward_str(p, "prison_number") ? ward_str(p, "prison_number") : "",
	    ward_person(p, name, sizeof name), f->field[1].value);
	ward_reply_free(&r);
	ward_refresh(w);
	return 0;
}

/* On the form for a first dose whose prescription was written over the
 * first-dose checks: the prescriber's reason and, on one line, what it
 * overrode (the form has room for few lines). */
static void
ward_round_override(struct ward_form *f, const json_t *d)
{
	const json_t	*o = json_object_get(d, "override"), *r;
	char		 what[256] = "";
	size_t		 i;

	if (!json_is_object(o))
		return;
	ward_form_info(f, "FIRST DOSE, prescribed over the first-dose checks: "
	    "%s", ward_str(o, "reason") ? ward_str(o, "reason") : "?");
	json_array_foreach(json_object_get(o, "reasons"), i, r)
		snprintf(what + strlen(what), sizeof what - strlen(what),
		    "%s%s", i ? "; " : "", ward_str(r, "message") ?
		    ward_str(r, "message") : "?");
	ward_form_info(f, "Overrode: %s", what);
}

/* The form for a dose: to give it (its cautions already confirmed, one
 * page each), or to record it refused or withheld. */
static void
ward_round_open(struct ward *w, json_t *d, int action)
{
	static const char *const titles[] = {
		"Give a dose", "Record a dose refused",
		"Record a dose withheld"
	};
	const json_t		*p = json_object_get(d, "patient");
	struct ward_form	*f;
	char			 drug[256], due[32], name[256], said[512];
	int			 cautions = action == WARD_GIVE &&
				    ward_round_cautions_said(d, said,
				    sizeof said) > 0;

	f = ward_form_open(w, titles[action]);
	f->subject = json_incref(d);
	f->action = action;
	ward_form_info(f, "%s, due %s", ward_round_drug(d, drug, sizeof drug),
	    ward_instant(w, ward_str(d, "due_at"), WARD_DAY_HM, due,
	    sizeof due) ? due : "?");
	ward_form_info(f, "for %s, %s (%s)", ward_person(p, name,
	    sizeof name), ward_str(p, "location") ? ward_str(p, "location") :
	    "?", ward_str(d, "state") ? ward_str(d, "state") : "?");
	ward_round_override(f, d);
	ward_form_info(f, "%s%s%sCheck the person: type the prison number "
	    "from their ID card.", cautions ? "Cautions confirmed: " : "",
	    cautions ? said : "", cautions ? ". " : "");
	ward_form_add(f, "Prison number", 0, 0, 16, NULL);
	if (action == WARD_GIVE) {
		ward_form_info(f, "The witness types their own username and "
		    "PIN.");
		ward_form_add(f, "Witness username", 0, 0, USERNAME_MAX, NULL);
		ward_form_add(f, "Witness PIN", 1, 0, PIN_MAX_DIGITS, NULL);
		ward_form_add(f, cautions ? "Note: why safe" :
		    "Note (optional)", 0, !cautions, 120, NULL);
		f->submit = ward_round_give;
	} else {
		ward_form_add(f, "Reason", 0, 0, 120, NULL);
		f->submit = ward_round_not_given;
	}
}

static void	ward_round_caution(struct ward *, json_t *, size_t);

/* n to a caution: nothing is given, and the message line says why. */
static int
ward_round_caution_no(struct ward *w, struct ward_form *f)
{
	const json_t	*c = json_array_get(ward_round_cautions(f->subject),
			    (size_t)f->action);

	ward_say(w, WARD_A_NORMAL, "NOT GIVEN, no PIN asked: the caution %s "
	    "was not confirmed.", ward_round_caution_title(ward_str(c,
	    "code")));
	return 0;
}

/* y to a caution: the next one, or after the last the form to give the
 * dose.  -1 keeps the form open: it is the next one now. */
static int
ward_round_caution_yes(struct ward *w, struct ward_form *f)
{
	json_t	*d = json_incref(f->subject);
	size_t	 next = (size_t)f->action + 1;

	if (next < json_array_size(ward_round_cautions(d)))
		ward_round_caution(w, d, next);
	else
		ward_round_open(w, d, WARD_GIVE);
	json_decref(d);
	return -1;
}

/* Caution i of a dose to give, in full and in words, on a page of its
 * own before the witness is asked for anything: y confirms it, n or Esc
 * stops with nothing sent. */
static void
ward_round_caution(struct ward *w, json_t *d, size_t i)
{
	const json_t		*all = ward_round_cautions(d);
	const json_t		*c = json_array_get(all, i);
	struct ward_form	*f;
	char			 title[64], drug[256], name[256], text[256];

	snprintf(title, sizeof title, "Caution %zu of %zu before giving",
	    i + 1, json_array_size(all));
	f = ward_form_open(w, title);
	f->subject = json_incref(d);
	f->action = (int)i;
	ward_form_info(f, "%s for %s", ward_round_drug(d, drug, sizeof drug),
	    ward_person(json_object_get(d, "patient"), name, sizeof name));
	ward_form_info(f, "%s", ward_round_caution_title(ward_str(c,
	    "code")));
	ward_words_say(NULL, ward_str(c, "message") ? ward_str(c, "message") :
	    "?", text, sizeof text);
	ward_form_info(f, "%s", text);
	ward_form_info(f, "Confirm it only if you have considered it and it "
	    "is safe to go ahead; a note saying why comes after the last.");
	snprintf(f->question, sizeof f->question, "Confirm this caution? "
	    "y: confirm   n: stop, nothing given");
	f->reviewing = 1;
	f->submit = ward_round_caution_yes;
	f->declined = ward_round_caution_no;
}

/* Why a dose cannot be given, before any form or PIN is asked for: held
 * for review, the patient away; NULL if it may be (the daemon has the
 * last word on the rest). */
static const char *
ward_round_ungivable(const json_t *d)
{
	static const char *const codes[][2] = {
		{ "held", "held_for_review" },
		{ "away", "patient_away" },
	};
	const char	*state = ward_str(d, "state");
	size_t		 i;

	for (i = 0; state != NULL && i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(state, codes[i][0]) == 0)
			return ward_words(codes[i][1]);
	return NULL;
}

/* The dose to give as the daemon has it now (GET /v1/doses/{id}): the
 * round may have been read before a hold or a new caution.  NULL, with
 * why on the message line, if it cannot be read. */
static json_t *
ward_round_fresh(struct ward *w, const json_t *d)
{
	struct ward_reply	 r;
	json_t			*fresh;
	char			 path[128];

	snprintf(path, sizeof path, "/doses/%s", ward_str(d, "id") ?
	    ward_str(d, "id") : "");
	if (ward_call(w, "GET", path, NULL, NULL, 200, &r) == -1 ||
	    !json_is_object(r.body)) {
		ward_say(w, WARD_A_ERROR, "NOT GIVEN, no PIN asked: %s",
		    r.status == 200 ? "the daemon's answer was not the dose" :
		    r.words);
		ward_reply_free(&r);
		return NULL;
	}
	fresh = json_incref(r.body);
	ward_reply_free(&r);
	return fresh;
}

/* The form for the selected dose.  A dose to give is read again first;
 * one that cannot be given says why at once, before any PIN is asked;
 * one with cautions shows each of them first. */
static void
ward_round_form(struct ward *w, int action)
{
	json_t		*d = ward_list_selected(w, WARD_ROUND, w->dose_rows);
	const char	*why;

	if (d == NULL) {
		ward_say(w, WARD_A_NORMAL, "There is no dose to choose.");
		return;
	}
	if (action != WARD_GIVE) {
		ward_round_open(w, d, action);
		return;
	}
	if ((d = ward_round_fresh(w, d)) == NULL)
		return;
	if ((why = ward_round_ungivable(d)) != NULL) {
		ward_say(w, WARD_A_ERROR, "NOT GIVEN, no PIN asked: %s", why);
		w->refresh_soon = 1;	/* the round shows it as it is */
	} else if (json_array_size(ward_round_cautions(d)) > 0)
		ward_round_caution(w, d, 0);
	else
		ward_round_open(w, d, action);
	json_decref(d);
}

int
ward_round_key(struct ward *w, const struct ward_key *k)
{
	if (ward_list_key(w, WARD_ROUND, json_array_size(w->dose_rows), k)) {
		ward_list_remember(w, WARD_ROUND, w->dose_rows);
		return 1;
	}
	if (k->fn == KEY_ENTER || (k->fn == 0 && (k->ch == 'g' ||
	    k->ch == '\r' || k->ch == '\n')))
		ward_round_form(w, WARD_GIVE);
	else if (k->fn == 0 && k->ch == 'r')
		ward_round_form(w, WARD_REFUSE);
	else if (k->fn == 0 && k->ch == 'w')
		ward_round_form(w, WARD_WITHHOLD);
	else
		return 0;
	return 1;
}
