/* idtsctl patient show: one patient's whole record on one screen (issue
 * 17), as GET /v1/patients/{id}/record answers it, within 80 columns:
 * clocks, prescriptions with their not-taken run and hold, the week's
 * doses with who gave and who witnessed them, the last observations with
 * a NEWS2 sparkline and trend, movements, open alerts and corrections. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "idtsctl.h"
#include "table.h"

#define RECORD_WIDTH	80

/* "▁".."█" for a NEWS2 total: one step a point up to 7, where the
 * emergency response begins. */
static const char *const record_bars[] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
	"\u2588",
};

/* A section's heading. */
static void
record_heading(const char *title)
{
	printf("\n%s\n", title);
}

/* A line of at most 80 columns counted in bytes (a name in another
 * script may be cut short, never the line made wider). */
static void
record_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
record_line(const char *fmt, ...)
{
	char	line[RECORD_WIDTH + 1];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	puts(line);
}

/* A line that holds free text (an alert's message, a correction's
 * reason), never cut: wrapped at spaces within 80 columns, the rows
 * after the first indented by indent. */
static void
record_wrapped(int indent, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
record_wrapped(int indent, const char *fmt, ...)
{
	char		 text[2048];
	const char	*s = text;
	size_t		 cut;
	int		 first = 1;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	while (*s != '\0') {
		cut = table_wrap_cut(s, first ? RECORD_WIDTH : RECORD_WIDTH -
		    indent, (size_t)RECORD_WIDTH);
		if (cut == 0)
			break;
		printf("%*s%.*s\n", first ? 0 : indent, "", (int)cut, s);
		first = 0;
		s += cut;
		while (*s == ' ')
			s++;
	}
}

/* "Tue 08 Dec 09:05" of key in o, or "-". */
static const char *
record_when(const json_t *o, const char *key, char *buf, size_t size)
{
	const char	*s = ctl_local_time(ctl_str(o, key), CTL_LOCAL, buf,
			    size);
	char		*zone;

	if (s == NULL)
		return "-";
	if ((zone = strrchr(buf, ' ')) != NULL && zone > buf + 10)
		*zone = '\0';	/* the zone: the sheet is all local time */
	return buf;
}

/* Who the patient is, where, and since when. */
static void
record_patient(const json_t *p, const json_t *rec)
{
	char		 when[CTL_LOCAL_LEN];

	record_line("%s  %s, %s  born %s  %s", CTL_S(ctl_str(p,
	    "prison_number")), CTL_S(ctl_str(p, "family_name")),
	    CTL_S(ctl_str(p, "given_name")), CTL_S(ctl_str(p,
	    "date_of_birth")), CTL_S(ctl_str(p, "location")));
	const json_t	*ct = json_object_get(p, "community_treatment");
	const json_t	*plan = json_object_get(p, "observation_plan");
	char		 next[CTL_LOCAL_LEN];

	record_line("arrived %s; %s%s", record_when(p, "arrived_at", when,
	    sizeof when), strcmp(CTL_S(ctl_str(p, "status")), "in_custody") ==
	    0 ? "in custody" : CTL_S(ctl_str(p, "status")),
	    json_is_true(json_object_get(json_object_get(p, "flags"),
	    "stimulant_user")) ? "; stimulant user" : "");
	if (json_is_object(ct))
		record_line("community: %s %g %s, %s", CTL_S(ctl_str(ct,
		    "drug")), json_number_value(json_object_get(ct, "dose")),
		    CTL_S(ctl_str(ct, "unit")), CTL_S(ctl_str(ct,
		    "prescriber")));
	if (json_is_true(json_object_get(plan, "running")))
		record_line("observation plan until %s; next due %s",
		    record_when(plan, "ends_at", when, sizeof when),
		    record_when(plan, "next_due_at", next, sizeof next));
	if (ctl_str(rec, "away_since") != NULL)
		record_line("AT COURT since %s", record_when(rec, "away_since",
		    when, sizeof when));
}

/* The continuity clocks: met, or due and by when. */
static void
record_clocks(const json_t *clocks)
{
	const json_t	*c;
	char		 when[CTL_LOCAL_LEN];
	size_t		 i;

	record_heading("CLOCKS");
	json_array_foreach(clocks, i, c)
		record_line("  %-20s %-9s %s %s", CTL_S(ctl_str(c, "kind")),
		    CTL_S(ctl_str(c, "state")), ctl_str(c, "met_at") ? "met" :
		    "due", ctl_str(c, "met_at") ? record_when(c, "met_at",
		    when, sizeof when) : record_when(c, "due_at", when,
		    sizeof when));
	if (json_array_size(clocks) == 0)
		record_line("  none: not in treatment on arrival");
}

/* Prescriptions, with the run of doses not taken and the hold. */
static void
record_prescriptions(const json_t *rxs)
{
	const json_t	*rx;
	char		 drug[256], dose[AMOUNT_TEXT_LEN], when[CTL_LOCAL_LEN];
	size_t		 i;

	record_heading("PRESCRIPTIONS");
	json_array_foreach(rxs, i, rx) {
		record_line("  %s %s, %s", ctl_product_text(json_object_get(rx,
		    "product"), drug, sizeof drug), ctl_amount_text(
		    json_object_get(rx, "current_dose"), ctl_str(rx, "unit"),
		    dose, sizeof dose), CTL_S(ctl_str(rx, "state")));
		record_line("    not taken in a row: %lld%s%s; by %s",
		    (long long)json_integer_value(json_object_get(rx,
		    "not_taken_run")), ctl_str(rx, "held_at") ?
		    "; HELD for review since " : "", ctl_str(rx, "held_at") ?
		    record_when(rx, "held_at", when, sizeof when) : "",
		    CTL_S(ctl_str(json_object_get(rx, "prescriber"),
		    "display_name")));
	}
	if (json_array_size(rxs) == 0)
		record_line("  none");
}

/* Doses: when, how much, what became of each, by whom. */
static void
record_doses(const json_t *doses)
{
	const json_t	*d, *w;
	char		 when[CTL_LOCAL_LEN], dose[AMOUNT_TEXT_LEN];
	size_t		 i;

	record_heading("DOSES (today and the six days before)");
	json_array_foreach(doses, i, d) {
		w = json_object_get(d, "witnessed_by");
		record_line("  %s %-8s %-9s %s%s%s%s", record_when(d, "due_at",
		    when, sizeof when), ctl_amount_text(json_object_get(d,
		    "dose"), ctl_str(d, "unit"), dose, sizeof dose),
		    CTL_S(ctl_str(d, "state")), json_is_object(
		    json_object_get(d, "administered_by")) ? "by " : "",
		    json_is_object(json_object_get(d, "administered_by")) ?
		    CTL_S(ctl_str(json_object_get(d, "administered_by"),
		    "display_name")) : "", json_is_object(w) ? ", witness " :
		    "", json_is_object(w) ? CTL_S(ctl_str(w, "display_name")) :
		    "");
		if (!json_is_null(json_object_get(d, "entered_in_error")))
			record_line("    ENTERED IN ERROR: %s", CTL_S(ctl_str(
			    json_object_get(d, "entered_in_error"), "reason")));
	}
	if (json_array_size(doses) == 0)
		record_line("  none");
}

/* The NEWS2 totals as a sparkline, oldest first. */
static void
record_sparkline(const json_t *totals, char *buf, size_t size)
{
	const json_t	*t;
	size_t		 i;
	json_int_t	 v;

	buf[0] = '\0';
	json_array_foreach(totals, i, t) {
		v = json_integer_value(t);
		strncat(buf, record_bars[v < 0 ? 0 : v > 7 ? 7 : v], size -
		    strlen(buf) - 1);
	}
}

/* The last observations, newest first, under the NEWS2 trend. */
static void
record_observations(const json_t *obs, const json_t *news2)
{
	const json_t	*o, *s;
	char		 when[CTL_LOCAL_LEN], spark[64];
	size_t		 i;

	record_sparkline(json_object_get(news2, "totals"), spark,
	    sizeof spark);
	if (json_is_integer(json_object_get(news2, "last")))
		printf("\nOBSERVATIONS  NEWS2 %s  last %lld, %s\n", spark,
		    (long long)json_integer_value(json_object_get(news2,
		    "last")), CTL_S(ctl_str(news2, "trend")));
	else
		record_heading("OBSERVATIONS");
	json_array_foreach(obs, i, o) {
		s = json_object_get(o, "news2");
		record_line("  %s NEWS2 %2lld %-10s RR %lld SpO2 %lld BP %lld "
		    "P %lld T %.1f %s%s", record_when(o, "taken_at", when,
		    sizeof when), (long long)json_integer_value(
		    json_object_get(s, "total")), CTL_S(ctl_str(s, "band")),
		    (long long)json_integer_value(json_object_get(o,
		    "respiratory_rate")), (long long)json_integer_value(
		    json_object_get(o, "spo2")), (long long)json_integer_value(
		    json_object_get(o, "systolic_bp")),
		    (long long)json_integer_value(json_object_get(o, "pulse")),
		    json_number_value(json_object_get(o, "temperature")),
		    CTL_S(ctl_str(o, "consciousness")), json_is_null(
		    json_object_get(o, "entered_in_error")) ? "" :
		    " STRUCK OUT");
	}
	if (json_array_size(obs) == 0)
		record_line("  none");
}

/* Movements, open alerts and corrections. */
static void
record_events(const json_t *rec)
{
	const json_t	*m, *a, *c;
	char		 when[CTL_LOCAL_LEN];
	size_t		 i;

	record_heading("MOVEMENTS");
	json_array_foreach(json_object_get(rec, "movements"), i, m)
		record_line("  %-8s %-9s %s  %s", CTL_S(ctl_str(m, "kind")),
		    CTL_S(ctl_str(m, "state")), record_when(m, "departs_at",
		    when, sizeof when), CTL_S(ctl_str(m, "destination")));
	record_heading("OPEN ALERTS");
	json_array_foreach(json_object_get(rec, "alerts"), i, a)
		record_wrapped(12, "  %-9s %s", CTL_S(ctl_str(a,
		    "severity")), CTL_S(ctl_str(a, "message")));
	record_heading("CORRECTIONS");
	json_array_foreach(json_object_get(rec, "corrections"), i, c)
		record_wrapped(4, "  %s %s: %s -> %s (%s)", record_when(c, "at",
		    when, sizeof when), CTL_S(ctl_str(c, "field")),
		    CTL_S(ctl_str(c, "from")), CTL_S(ctl_str(c, "to")),
		    CTL_S(ctl_str(c, "reason")));
}

/* Print patient id's whole record, if the caller's roles read it: 0, or
 * -1 when it could not be read (the caller shows what it has). */
int
ctl_record_show(struct ctl *ctl, const char *id)
{
	struct client_reply	 reply;
	char			 path[128], *cause = NULL;
	const json_t		*rec, *p;

	if (id == NULL)
		return -1;
	snprintf(path, sizeof path, "/patients/%s/record", id);
	if (client_call(&ctl->client, "GET", path, NULL, NULL, &reply,
	    &cause) == -1) {
		free(cause);
		return -1;
	}
	if (reply.status != 200 || !json_is_object(reply.body)) {
		client_reply_free(&reply);
		return -1;
	}
	rec = reply.body;
	p = json_object_get(rec, "patient");
	record_patient(p, rec);
	record_clocks(json_object_get(p, "clocks"));
	record_prescriptions(json_object_get(p, "prescriptions"));
	record_doses(json_object_get(rec, "doses"));
	record_observations(json_object_get(rec, "observations"),
	    json_object_get(rec, "news2"));
	record_events(rec);
	client_reply_free(&reply);
	return 0;
}
