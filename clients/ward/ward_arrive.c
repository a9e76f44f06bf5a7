/* Reception books an arrival in (n, from any pane): POST /v1/patients.
 * Each answer is checked as Enter leaves it and asked again when it is
 * not one the daemon takes (a date of birth typed 12/03/1988 is refused
 * at its own prompt, with the form kept); a refusal of the whole form
 * puts the cursor back on the answer it is about.  Times are local, as
 * people write them ("2026-12-08 09:00", "today 09:00"), read by the
 * daemon's own grammar (timefmt_parse_local).  Once booked, a page says
 * what started and when it is due, from the daemon's answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "timefmt.h"
#include "ward.h"

enum ward_arrive_field {
	WARD_ARR_NUMBER, WARD_ARR_GIVEN, WARD_ARR_FAMILY, WARD_ARR_DOB,
	WARD_ARR_LOCATION, WARD_ARR_ARRIVED, WARD_ARR_STIMULANT,
	WARD_ARR_DRUG, WARD_ARR_DOSE, WARD_ARR_UNIT, WARD_ARR_PRESCRIBER,
	WARD_ARR_LAST_DOSE, WARD_ARR_NFIELDS
};

/* The field a refusal of the daemon is about. */
static const struct {
	const char	*code;
	int		 field;
} ward_arrive_codes[] = {
	{ "invalid_prison_number", WARD_ARR_NUMBER },
	{ "duplicate_prison_number", WARD_ARR_NUMBER },
	{ "date_of_birth_in_future", WARD_ARR_DOB },
	{ "implausible_age", WARD_ARR_DOB },
	{ "arrival_in_future", WARD_ARR_ARRIVED },
	{ "arrival_too_old", WARD_ARR_ARRIVED },
	{ "last_dose_in_future", WARD_ARR_LAST_DOSE },
};

static const char *
ward_arrive_value(const struct ward_form *f, int field)
{
	return f->field[field].value;
}

/* Say why an answer is not taken; -1, for the field's check. */
static int
ward_arrive_no(struct ward_form *f, const char *why)
{
	snprintf(f->error, sizeof f->error, "%s", why);
	return -1;
}

static int
ward_arrive_number(struct ward *w, struct ward_form *f, int field)
{
	char	pn[PRISON_NUMBER_LEN];

	(void)w;
	if (validate_prison_number(f->field[field].value, pn) == -1)
		return ward_arrive_no(f, "A prison number is a letter, four "
		    "digits and two letters, such as A1234BC.");
	snprintf(f->field[field].value, sizeof f->field[field].value, "%s",
	    pn);
	return 0;
}

/* A name, a cell, a drug, a prescriber: text the daemon takes. */
static int
ward_arrive_text(struct ward *w, struct ward_form *f, int field)
{
	(void)w;
	if (f->field[field].optional && f->field[field].value[0] == '\0')
		return 0;
	if (validate_text(f->field[field].value, 100) == -1)
		return ward_arrive_no(f, "Letters, digits and ordinary "
		    "punctuation only, not only spaces.");
	return 0;
}

static int
ward_arrive_dob(struct ward *w, struct ward_form *f, int field)
{
	struct civil_date	d;
	char			why[TIMEFMT_WHY_LEN];

	if (timefmt_parse_local_date(f->field[field].value, ward_now(w),
	    calendar_utc_offset, &d, why) == -1)
		return ward_arrive_no(f, why);
	timefmt_format_date(d, f->field[field].value);
	return 0;
}

/* A local date-time, or empty (now for the arrival, not known for the
 * last dose); never in the future.  -1 with why in the form. */
static int
ward_arrive_instant(struct ward *w, struct ward_form *f, int field,
    int64_t *ms)
{
	struct timefmt_local	t;

	*ms = ward_now(w);
	if (f->field[field].value[0] == '\0')
		return 0;
	if (timefmt_parse_local(f->field[field].value, ward_now(w),
	    calendar_utc_offset, &t) == -1)
		return ward_arrive_no(f, t.why);
	if (t.ms > ward_now(w) + 5 * MS_PER_MINUTE)
		return ward_arrive_no(f, "That time is still to come: give "
		    "the time it happened.");
	*ms = t.ms;
	return 0;
}

static int
ward_arrive_when(struct ward *w, struct ward_form *f, int field)
{
	int64_t	ms;

	return ward_arrive_instant(w, f, field, &ms);
}

static int
ward_arrive_yes_no(struct ward *w, struct ward_form *f, int field)
{
	const char	*v = f->field[field].value;

	(void)w;
	if (strcasecmp(v, "y") == 0 || strcasecmp(v, "n") == 0)
		return 0;
	return ward_arrive_no(f, "Type y or n.");
}

/* The community dose: a quantity, when there is a drug. */
static int
ward_arrive_dose(struct ward *w, struct ward_form *f, int field)
{
	const char	*v = f->field[field].value;
	char		*end;
	int64_t		 th;
	double		 q;

	(void)w;
	if (ward_arrive_value(f, WARD_ARR_DRUG)[0] == '\0')
		return 0;
	q = strtod(v, &end);
	if (*v == '\0' || *end != '\0' || validate_quantity(q, &th) == -1 ||
	    th <= 0)
		return ward_arrive_no(f, "The community dose is a number, such "
		    "as 30 or 2.5, its unit next.");
	return 0;
}

/* The unit and prescriber: needed with a drug. */
static int
ward_arrive_needed(struct ward *w, struct ward_form *f, int field)
{
	if (ward_arrive_value(f, WARD_ARR_DRUG)[0] == '\0')
		return 0;
	if (f->field[field].value[0] == '\0')
		return ward_arrive_no(f, "Needed for a community treatment "
		    "(or leave the drug empty).");
	return ward_arrive_text(w, f, field);
}

/* The community treatment, or null when there is none. */
static json_t *
ward_arrive_treatment(struct ward *w, struct ward_form *f)
{
	char	last[TIMEFMT_INSTANT_LEN];
	int64_t	ms;

	if (ward_arrive_value(f, WARD_ARR_DRUG)[0] == '\0')
		return json_null();
	if (ward_arrive_instant(w, f, WARD_ARR_LAST_DOSE, &ms) == -1)
		return NULL;
	timefmt_format_instant(ms, last);
	return json_pack("{s:s,s:f,s:s,s:s,s:s?}", "drug",
	    ward_arrive_value(f, WARD_ARR_DRUG), "dose",
	    strtod(ward_arrive_value(f, WARD_ARR_DOSE), NULL), "unit",
	    ward_arrive_value(f, WARD_ARR_UNIT), "prescriber",
	    ward_arrive_value(f, WARD_ARR_PRESCRIBER), "last_dose_at",
	    ward_arrive_value(f, WARD_ARR_LAST_DOSE)[0] != '\0' ? last : NULL);
}

/* The registration, as the answers say; NULL with why in the form. */
static json_t *
ward_arrive_body(struct ward *w, struct ward_form *f)
{
	json_t	*ct;
	char	 arrived[TIMEFMT_INSTANT_LEN];
	int64_t	 ms;

	if (ward_arrive_instant(w, f, WARD_ARR_ARRIVED, &ms) == -1 ||
	    (ct = ward_arrive_treatment(w, f)) == NULL)
		return NULL;
	timefmt_format_instant(ms, arrived);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}",
	    "prison_number", ward_arrive_value(f, WARD_ARR_NUMBER),
	    "given_name", ward_arrive_value(f, WARD_ARR_GIVEN),
	    "family_name", ward_arrive_value(f, WARD_ARR_FAMILY),
	    "date_of_birth", ward_arrive_value(f, WARD_ARR_DOB),
	    "arrived_at", arrived,
	    "location", ward_arrive_value(f, WARD_ARR_LOCATION),
	    "stimulant_user", strcasecmp(ward_arrive_value(f,
	    WARD_ARR_STIMULANT), "y") == 0, "community_treatment", ct);
}

/* Enter on the last answer: the question, naming who is booked in. */
static int
ward_arrive_check(struct ward *w, struct ward_form *f)
{
	(void)w;
	snprintf(f->question, sizeof f->question, "Book in %.8s %.30s, %.30s?  "
	    "y: book in   n: change an answer",
	    ward_arrive_value(f, WARD_ARR_NUMBER),
	    ward_arrive_value(f, WARD_ARR_FAMILY),
	    ward_arrive_value(f, WARD_ARR_GIVEN));
	return 0;
}

/* "Treatment continued: 24-hour clock started 09:05, due Wed 09:05". */
static void
ward_arrive_clock(struct ward *w, struct ward_form *page, const json_t *c)
{
	const char	*kind = ward_str(c, "kind");
	char		 from[32], due[32];

	ward_form_info(page, "%s: 24-hour clock started %s, due %s.",
	    kind != NULL && strcmp(kind, "treatment_continued") == 0 ?
	    "Treatment continued" : kind != NULL && strcmp(kind,
	    "keyworker_allocated") == 0 ? "Keyworker allocated (working "
	    "days)" : kind != NULL ? kind : "Clock", ward_instant(w,
	    ward_str(c, "started_at"), WARD_DAY_HM, from, sizeof from) ?
	    from : "?", ward_instant(w, ward_str(c, "due_at"), WARD_DAY_HM,
	    due, sizeof due) ? due : "?");
}

/* What the booking started and when it is due, from the answer. */
static void
ward_arrive_booked(struct ward *w, const json_t *p)
{
	const json_t		*plan = json_object_get(p, "observation_plan");
	const json_t		*c;
	struct ward_form	*page = ward_form_open(w, "Booked in");
	char			 line[160], next[32], every[32];
	int64_t			 due;
	size_t			 i;

	ward_form_info(page, "BOOKED IN: %s", ward_who_line(p, line,
	    sizeof line));
	json_array_foreach(json_object_get(p, "clocks"), i, c)
		ward_arrive_clock(w, page, c);
	if (json_array_size(json_object_get(p, "clocks")) == 0)
		ward_form_info(page, "Not in community treatment: no clock "
		    "started.");
	if (!json_is_object(plan))
		ward_form_info(page, "No observation plan: not a stimulant "
		    "user.");
	else if (ward_instant_ms(ward_str(plan, "next_due_at"), &due) == 0)
		ward_form_info(page, "Observations every %s: the first is "
		    "due %s (%s).", words_minutes(json_integer_value(
		    json_object_get(plan, "base_interval_minutes")), every,
		    sizeof every), due <= ward_now(w) ? "NOW" : "at",
		    ward_when(w, due,
		    WARD_DAY_HM, next, sizeof next) ? next : "?");
	ward_say(w, WARD_A_OK, "BOOKED IN: %s", line);
}

/* y: the registration sent; a refusal puts the cursor back on the
 * answer it is about, every answer kept. */
static int
ward_arrive_send(struct ward *w, struct ward_form *f)
{
	struct ward_reply	 r;
	json_t			*body = ward_arrive_body(w, f);
	size_t			 i;

	if (body == NULL)
		return -1;
	if (ward_call(w, "POST", "/patients", body, f->key, 201, &r) == -1) {
		snprintf(f->error, sizeof f->error, "Not booked in: %.480s",
		    r.words);
		for (i = 0; i < sizeof ward_arrive_codes /
		    sizeof ward_arrive_codes[0]; i++)
			if (strcmp(r.code, ward_arrive_codes[i].code) == 0)
				f->cur = ward_arrive_codes[i].field;
		if (r.status != 0)
			validate_new_uuid(f->key);
		ward_reply_free(&r);
		return -1;
	}
	ward_arrive_booked(w, r.body);
	ward_reply_free(&r);
	ward_refresh(w);
	return -1;	/* the page of what started is the form now */
}

/* n: the form, empty. */
void
ward_arrive_open(struct ward *w)
{
	static const struct {
		const char	*label;
		int		 optional;
		size_t		 max;
		ward_field_cb	 check;
	} fields[WARD_ARR_NFIELDS] = {
		{ "Prison number", 0, 16, ward_arrive_number },
		{ "Given name", 0, 100, ward_arrive_text },
		{ "Family name", 0, 100, ward_arrive_text },
		{ "Date of birth (YYYY-MM-DD)", 0, 16, ward_arrive_dob },
		{ "Cell", 0, 64, ward_arrive_text },
		{ "Arrived (today 09:00; empty: now)", 1, 40,
		    ward_arrive_when },
		{ "Uses stimulants (y/n)", 0, 1, ward_arrive_yes_no },
		{ "Community drug (empty: none)", 1, 100, ward_arrive_text },
		{ "Community dose (as 30)", 1, 12, ward_arrive_dose },
		{ "Its unit (ml, mg, tablet)", 1, 16, ward_arrive_needed },
		{ "Community prescriber", 1, 100, ward_arrive_needed },
		{ "Last community dose (empty: unknown)", 1, 40,
		    ward_arrive_when },
	};
	struct ward_form	*f;
	int			 i;

	if (!w->reception) {
		ward_say(w, WARD_A_NORMAL, "Reception books arrivals in: your "
		    "role does not.");
		return;
	}
	f = ward_form_open(w, "Book an arrival in");
	ward_form_info(f, "Times: 2026-12-08 09:00, today 09:00, yesterday "
	    "21:30.");
	for (i = 0; i < WARD_ARR_NFIELDS; i++) {
		ward_form_add(f, fields[i].label, 0, fields[i].optional,
		    fields[i].max, NULL);
		f->field[i].check = fields[i].check;
	}
	f->check = ward_arrive_check;
	f->submit = ward_arrive_send;
}
