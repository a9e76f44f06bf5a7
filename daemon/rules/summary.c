/* The prescription summary and the discharge letter as plain text: 78
 * columns, which print on A4 in any monospaced font at 10 or 12 points.
 * Rendered from the JSON the API answers, so both say the same.  Pure,
 * except that times are shown in local time (calendar.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "calendar.h"
#include "print_page.h"
#include "summary.h"

#define SUMMARY_WIDTH	78
#define SUMMARY_LABEL	17	/* "  Current dose   " */
/* Whether a prescription belongs on a movement's summary: in force when
 * the patient leaves, which for one already departed on release or
 * transfer is one stopped by that departure. */
int
summary_includes(const struct prescription *rx, const struct movement *m,
    int64_t now)
{
	if (rx->stopped_at != 0)
		return m->departed_at != 0 && rx->stopped_at == m->departed_at &&
		    movement_ends_care(m);
	return strcmp(prescription_state(rx, calendar_local_date(now)),
	    "ended") != 0;
}

/* The escort's day: the local date the patient leaves (or left). */
struct civil_date
summary_day(const struct movement *m)
{
	return calendar_local_date(m->departed_at != 0 ? m->departed_at :
	    m->departs_at);
}

/* Whether a dose is still to be given: not recorded, its window open or
 * still to open at now. */
static int
summary_to_come(const struct dose *d, int64_t now)
{
	return (d->state == DOSE_SCHEDULED || d->state == DOSE_DUE) &&
	    now <= d->window_end;
}

/* Decide what the summary says of a prescription's doses (in due order,
 * from the start of day on): the state of the day's first dose (given,
 * NOT given and how, or to come: the summary was printed before it), and
 * the next dose to come after now. */
void
summary_today(const struct dose *doses, size_t n, struct civil_date day,
    int64_t now, struct summary_today *out)
{
	const struct dose	*first = NULL;
	size_t			 i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < n; i++) {
		if (first == NULL && timefmt_date_cmp(calendar_local_date(
		    doses[i].due_at), day) == 0)
			first = &doses[i];
		if (out->next_due_at == 0 && doses[i].due_at > now &&
		    summary_to_come(&doses[i], now))
			out->next_due_at = doses[i].due_at;
	}
	if (first == NULL)
		return;
	out->due_at = first->due_at;
	if (first->state == DOSE_GIVEN) {
		out->state = SUMMARY_TODAY_GIVEN;
		out->given_at = first->recorded_at;
	} else if (summary_to_come(first, now))
		out->state = SUMMARY_TODAY_TO_COME;
	else {
		out->state = SUMMARY_TODAY_NOT_GIVEN;
		/* A window closed with nothing recorded is a missed dose. */
		out->as = first->state == DOSE_SCHEDULED ||
		    first->state == DOSE_DUE ? DOSE_MISSED : first->state;
	}
}

/* The state's name in the summary's JSON. */
const char *
summary_today_name(enum summary_today_state s)
{
	static const char *const names[] = {
		[SUMMARY_TODAY_NONE] = "none",
		[SUMMARY_TODAY_GIVEN] = "given",
		[SUMMARY_TODAY_NOT_GIVEN] = "not_given",
		[SUMMARY_TODAY_TO_COME] = "to_come",
	};

	return names[s];
}

/* Room for a field's text: the longest a destination, a name or a last
 * dose line can be (each field at most a few hundred characters of up to
 * four bytes), so nothing is ever cut, let alone inside a character. */
#define SUMMARY_PERSON_MAX	1024
#define SUMMARY_LINE_MAX	(4 * SUMMARY_PERSON_MAX)

/* A string member, or "" when absent or null. */
static const char *
summary_str(const json_t *o, const char *name)
{
	const char	*s = json_string_value(json_object_get(o, name));

	return s ? s : "";
}

/* An RFC 3339 member in local time ("Tue 24 Nov 08:30 GMT"), or "". */
static void
summary_when(const json_t *o, const char *name, char buf[CALENDAR_LOCAL_LEN])
{
	int64_t	at;

	buf[0] = '\0';
	if (timefmt_parse_instant(summary_str(o, name), &at) == 0)
		calendar_format_local(at, buf);
}

/* A dose member and its active amount as every dose is written:
 * "60 ml (60 mg)" (amount.c). */
static void
summary_dose(const json_t *o, const char *dose, const char *active,
    const char *unit, char buf[AMOUNT_TEXT_LEN])
{
	if (amount_json_text(json_object_get(o, dose), unit,
	    json_object_get(o, active), buf) == -1)
		snprintf(buf, AMOUNT_TEXT_LEN, "? %s", unit);
}

/* Characters (not bytes) in a UTF-8 string of n bytes. */
static size_t
summary_columns(const char *s, size_t n)
{
	size_t	i, cols = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	return cols;
}

/* Write a word of len bytes at *col, on a new line indented by indent if
 * it does not fit; one longer than a whole line (a web address) is
 * broken where the line ends. */
static void
summary_word(FILE *f, const char *word, size_t len, size_t indent,
    size_t *col, int first)
{
	size_t	cols = summary_columns(word, len), room, i, n;

	if (!first && *col + 1 + cols > SUMMARY_WIDTH) {
		fprintf(f, "\n%*s", (int)indent, "");
		*col = indent;
	} else if (!first) {
		fputc(' ', f);
		(*col)++;
	}
	while (*col + cols > SUMMARY_WIDTH) {
		/* As many characters as fit, never splitting one. */
		room = SUMMARY_WIDTH - *col;
		for (i = 0, n = 0; i < len && n <= room; i++)
			if (((unsigned char)word[i] & 0xc0) != 0x80 &&
			    ++n > room)
				break;
		fwrite(word, 1, i, f);
		fprintf(f, "\n%*s", (int)indent, "");
		*col = indent;
		word += i;
		len -= i;
		cols = summary_columns(word, len);
	}
	fwrite(word, 1, len, f);
	*col += cols;
}

/* prefix, then text wrapped at word boundaries to the page width, the
 * continuation lines indented by indent. */
static void
summary_wrap(FILE *f, const char *prefix, size_t indent, const char *text)
{
	const char	*p = text, *end;
	size_t		 col, len;
	int		 first = 1;

	fputs(prefix, f);
	col = summary_columns(prefix, strlen(prefix));
	for (;;) {
		p += strspn(p, " \n");
		if (*p == '\0')
			break;
		end = strpbrk(p, " \n");
		len = end ? (size_t)(end - p) : strlen(p);
		summary_word(f, p, len, indent, &col, first);
		first = 0;
		p += len;
	}
	fputc('\n', f);
}

/* "  Label          text", the text wrapped under itself. */
static void
summary_field(FILE *f, const char *label, const char *text)
{
	char	prefix[SUMMARY_LABEL + 1];

	snprintf(prefix, sizeof prefix, "  %-*s", SUMMARY_LABEL - 2, label);
	summary_wrap(f, prefix, SUMMARY_LABEL, text);
}

/* A line of c, the page's width. */
static void
summary_rule(FILE *f, int c)
{
	int	i;

	for (i = 0; i < SUMMARY_WIDTH; i++)
		fputc(c, f);
	fputc('\n', f);
}

/* "Dev Patel (dev)", or "-". */
static void
summary_person(const json_t *p, char *buf, size_t size)
{
	if (!json_is_object(p))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%s (%s)", summary_str(p, "display_name"),
		    summary_str(p, "username"));
}

/* Whether the plan's next observation was due before the summary was
 * printed. */
static int
summary_overdue(const json_t *s, const json_t *plan)
{
	int64_t	due, at;

	return timefmt_parse_instant(summary_str(plan, "next_due_at"),
	    &due) == 0 && timefmt_parse_instant(summary_str(s,
	    "generated_at"), &at) == 0 && due < at;
}

/* The care the escort carries on: the community prescriber, the latest
 * NEWS2 and the observation plan. */
static void
summary_care(FILE *f, const json_t *s)
{
	const json_t	*ct = json_object_get(s, "community_treatment");
	const json_t	*obs = json_object_get(s, "latest_observation");
	const json_t	*plan = json_object_get(json_object_get(s, "patient"),
			    "observation_plan");
	char		 buf[SUMMARY_LINE_MAX], when[CALENDAR_LOCAL_LEN];
	char		 next[CALENDAR_LOCAL_LEN];

	summary_field(f, "Community", json_is_object(ct) ? summary_str(ct,
	    "prescriber") : "not in treatment in the community");
	summary_when(obs, "taken_at", when);
	if (json_is_object(obs))
		snprintf(buf, sizeof buf, "%lld (%s), taken %s",
		    (long long)json_integer_value(json_object_get(obs,
		    "news2")), summary_str(obs, "band"), when);
	else
		snprintf(buf, sizeof buf, "no observation recorded");
	summary_field(f, "Latest NEWS2", buf);
	summary_when(plan, "ends_at", when);
	summary_when(plan, "next_due_at", next);
	if (json_is_true(json_object_get(plan, "running")))
		snprintf(buf, sizeof buf, "every %lld minutes until %s; next "
		    "due %s%s", (long long)json_integer_value(json_object_get(
		    plan, "base_interval_minutes")), when,
		    next[0] ? next : "none", summary_overdue(s, plan) ?
		    " (OVERDUE)" : "");
	else
		snprintf(buf, sizeof buf, "none running");
	summary_field(f, "Observations", buf);
}

/* The patient and the movement. */
static void
summary_head(FILE *f, const json_t *s)
{
	const json_t	*p = json_object_get(s, "patient");
	const json_t	*m = json_object_get(s, "movement");
	char		 buf[SUMMARY_LINE_MAX], when[CALENDAR_LOCAL_LEN];
	char		 left[CALENDAR_LOCAL_LEN];

	fprintf(f, "%s\n", summary_str(s, "title"));
	if (json_is_true(json_object_get(s, "printed_before_dose")))
		fprintf(f, "PRINTED BEFORE THE MORNING DOSE: reprint after it\n");
	summary_rule(f, '=');
	snprintf(buf, sizeof buf, "%s, %s", summary_str(p, "family_name"),
	    summary_str(p, "given_name"));
	summary_field(f, "Patient", buf);
	summary_field(f, "Prison number", summary_str(p, "prison_number"));
	summary_field(f, "Date of birth", summary_str(p, "date_of_birth"));
	summary_field(f, "Location", summary_str(p, "location"));
	snprintf(buf, sizeof buf, "%s to %s", summary_str(m, "kind"),
	    summary_str(m, "destination"));
	summary_field(f, "Movement", buf);
	summary_when(m, "departs_at", when);
	summary_when(m, "departed_at", left);
	if (left[0] != '\0')
		snprintf(buf, sizeof buf, "%s (left %s)", when, left);
	else
		snprintf(buf, sizeof buf, "%s", when);
	summary_field(f, "Departs", buf);
	summary_care(f, s);
}

/* The regimen in words: "maintenance, 08:00 daily" or, reducing, with
 * its steps. */
static void
summary_regimen(FILE *f, const json_t *rx)
{
	const json_t	*times = json_object_get(rx, "times");
	const json_t	*steps = json_object_get(rx, "steps"), *v;
	char		*text = NULL, q[AMOUNT_TEXT_LEN];
	size_t		 len, i;
	FILE		*m;
	json_int_t	 every = json_integer_value(json_object_get(rx,
			    "every_days"));

	if ((m = open_memstream(&text, &len)) == NULL)
		return;
	fprintf(m, "%s, at", summary_str(rx, "regimen"));
	json_array_foreach(times, i, v)
		fprintf(m, "%s %s", i ? "," : "", json_string_value(v));
	if (every == 1)
		fprintf(m, " daily");
	else
		fprintf(m, " every %lld days", (long long)every);
	fprintf(m, "; from %s", summary_str(rx, "start_date"));
	if (json_is_string(json_object_get(rx, "end_date")))
		fprintf(m, " to %s", summary_str(rx, "end_date"));
	json_array_foreach(steps, i, v) {
		summary_dose(v, "dose", "active", summary_str(rx, "unit"), q);
		fprintf(m, "%s %s from %s", i ? ";" : ". Steps:", q,
		    summary_str(v, "from_date"));
	}
	fclose(m);
	summary_field(f, "Regimen", text);
	free(text);
}

/* The last dose given, both signatories and its register entry. */
static void
summary_last_dose(FILE *f, const json_t *last, const char *unit)
{
	char	buf[SUMMARY_LINE_MAX], q[AMOUNT_TEXT_LEN];
	char	when[CALENDAR_LOCAL_LEN];
	char	by[SUMMARY_PERSON_MAX], witness[SUMMARY_PERSON_MAX];

	if (!json_is_object(last)) {
		summary_field(f, "Last dose", "none given here");
		return;
	}
	summary_dose(last, "dose", "active", unit, q);
	summary_when(last, "given_at", when);
	summary_person(json_object_get(last, "administered_by"), by,
	    sizeof by);
	summary_person(json_object_get(last, "witnessed_by"), witness,
	    sizeof witness);
	snprintf(buf, sizeof buf, "%s given %s, by %s, witnessed by %s; "
	    "in the CD register", q, when, by, witness);
	summary_field(f, "Last dose", buf);
}

/* Today's dose (the escort's day) and the next due, in words: "given Tue
 * 08 Dec 08:05 GMT", "today's dose NOT given (missed)", "not given yet:
 * due ...". */
static void
summary_day_dose(FILE *f, const json_t *rx, char buf[SUMMARY_LINE_MAX])
{
	const json_t	*t = json_object_get(rx, "today");
	const char	*state = summary_str(t, "state");
	char		 when[CALENDAR_LOCAL_LEN];

	if (strcmp(state, "given") == 0) {
		summary_when(t, "given_at", when);
		snprintf(buf, SUMMARY_LINE_MAX, "today's dose given %s", when);
	} else if (strcmp(state, "not_given") == 0)
		snprintf(buf, SUMMARY_LINE_MAX, "today's dose NOT given (%s)",
		    summary_str(t, "not_given_as"));
	else if (strcmp(state, "to_come") == 0) {
		summary_when(t, "due_at", when);
		snprintf(buf, SUMMARY_LINE_MAX, "today's dose not given yet: "
		    "due %s", when);
	} else
		snprintf(buf, SUMMARY_LINE_MAX, "no dose due today");
	summary_field(f, "Today", buf);
	summary_when(rx, "next_due_at", when);
	summary_field(f, "Next dose due", when[0] ? when : "none scheduled");
}

/* One prescription in force. */
static void
summary_prescription(FILE *f, size_t n, const json_t *rx)
{
	const json_t	*product = json_object_get(rx, "product");
	const char	*unit = summary_str(rx, "unit");
	char		 buf[SUMMARY_LINE_MAX], q[32], when[CALENDAR_LOCAL_LEN];

	snprintf(buf, sizeof buf, "%s %s %s", summary_str(product, "name"),
	    summary_str(product, "form"), summary_str(product, "strength"));
	snprintf(q, sizeof q, "%zu. ", n);
	fputc('\n', f);
	summary_wrap(f, q, strlen(q), buf);
	summary_field(f, "Drug", summary_str(product, "name"));
	summary_field(f, "Form", summary_str(product, "form"));
	summary_field(f, "Strength", summary_str(product, "strength"));
	summary_dose(rx, "current_dose", "current_active", unit, buf);
	summary_field(f, "Current dose", buf);
	summary_regimen(f, rx);
	summary_person(json_object_get(rx, "prescriber"), buf, sizeof buf);
	summary_field(f, "Prescriber", buf);
	summary_day_dose(f, rx, buf);
	summary_last_dose(f, json_object_get(rx, "last_dose"), unit);
	summary_when(rx, "held_at", when);
	if (when[0] != '\0')
		snprintf(buf, sizeof buf, "HELD FOR REVIEW since %s after "
		    "%lld doses not taken: no dose until a prescriber reviews "
		    "it", when, (long long)json_integer_value(
		    json_object_get(rx, "not_taken_run")));
	else
		snprintf(buf, sizeof buf, "none");
	summary_field(f, "Hold", buf);
}

/* The discharge letter's community section and naloxone line. */
static void
summary_letter(FILE *f, const json_t *s)
{
	const json_t	*ct = json_object_get(s, "community_treatment");
	char		 buf[SUMMARY_LINE_MAX], q[AMOUNT_TEXT_LEN];
	char		 when[CALENDAR_LOCAL_LEN];

	fprintf(f, "\nCommunity treatment (as reported at reception)\n");
	summary_rule(f, '-');
	if (json_is_object(ct)) {
		summary_dose(ct, "dose", "active", summary_str(ct, "unit"), q);
		snprintf(buf, sizeof buf, "%s %s", summary_str(ct, "drug"), q);
		summary_field(f, "Treatment", buf);
		summary_field(f, "Prescriber", summary_str(ct, "prescriber"));
		summary_when(ct, "last_dose_at", when);
		summary_field(f, "Last dose", when[0] ? when : "not known");
	} else
		summary_field(f, "Treatment", "none reported");
	summary_field(f, "Follow-up", json_is_string(json_object_get(s,
	    "follow_up")) ? summary_str(s, "follow_up") :
	    "none recorded: arrange with the community service");
	fprintf(f, "\n  Naloxone supplied:  [ ] yes  [ ] no   "
	    "Kit/batch: ______________________\n");
}

/* The summary or letter as text; NULL if out of memory.  The caller
 * frees it. */
char *
summary_render(const json_t *s)
{
	const json_t	*rxs = json_object_get(s, "prescriptions"), *rx;
	char		*text = NULL, when[CALENDAR_LOCAL_LEN];
	size_t		 len, i;
	FILE		*f;

	if ((f = open_memstream(&text, &len)) == NULL)
		return NULL;
	summary_head(f, s);
	fprintf(f, "\nPrescriptions in force\n");
	summary_rule(f, '-');
	if (json_array_size(rxs) == 0)
		fprintf(f, "  none\n");
	json_array_foreach(rxs, i, rx)
		summary_prescription(f, i + 1, rx);
	if (json_is_true(json_object_get(s, "naloxone_line")))
		summary_letter(f, s);
	fprintf(f, "\n  Signed: ____________________________  "
	    "Date and time: ________________\n\n");
	summary_when(s, "generated_at", when);
	fprintf(f, "Printed by idtsd on %s.\n", when);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* The summary or letter as a printable page (print_page.c); NULL if out
 * of memory. */
char *
summary_render_html(const json_t *s)
{
	char	*text = summary_render(s), *page;

	if (text == NULL)
		return NULL;
	page = print_page_html(summary_str(s, "title"), text);
	free(text);
	return page;
}
