/* idtsctl patient add (reception's form), list and show. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "idtsctl.h"
#include "patient.h"
#include "table.h"
#include "validate.h"

/* The fields of reception's form, as options or answers to prompts. */
struct ctl_arrival {
	const char	*number, *given, *family, *dob, *location, *arrived;
	const char	*drug, *dose, *unit, *prescriber, *last_dose;
	int		 stimulant;	/* -1: not said */
	int64_t		 now;		/* the daemon's, when the form began */
	char		 answers[11][128];
	char		 arrived_at[TIMEFMT_INSTANT_LEN];
	char		 last_dose_at[TIMEFMT_INSTANT_LEN];
};

/* How one answer is checked as it is typed: 0, or -1 with why. */
typedef int	ctl_arrival_check(struct ctl_arrival *, const char *,
		    char why[TIMEFMT_WHY_LEN]);

/* Text the daemon will take, of at most max characters. */
static int
ctl_arrival_chars(const char *s, int max, char why[TIMEFMT_WHY_LEN])
{
	if (validate_text(s, (size_t)max) == 0)
		return 0;
	snprintf(why, TIMEFMT_WHY_LEN, "at most %d characters, printable",
	    max);
	return -1;
}

/* A name, drug, unit or prescriber. */
static int
ctl_arrival_text(struct ctl_arrival *a, const char *s,
    char why[TIMEFMT_WHY_LEN])
{
	(void)a;
	return ctl_arrival_chars(s, PATIENT_NAME_MAX, why);
}

/* A location (a cell). */
static int
ctl_arrival_place(struct ctl_arrival *a, const char *s,
    char why[TIMEFMT_WHY_LEN])
{
	(void)a;
	return ctl_arrival_chars(s, PATIENT_LOCATION_MAX, why);
}

/* A prison number: one letter, four digits, two letters. */
static int
ctl_arrival_number(struct ctl_arrival *a, const char *s,
    char why[TIMEFMT_WHY_LEN])
{
	char	number[PRISON_NUMBER_LEN];

	(void)a;
	if (validate_prison_number(s, number) == 0)
		return 0;
	snprintf(why, TIMEFMT_WHY_LEN, "\"%.20s\" is not a prison number: "
	    "one letter, four digits, two letters, such as A1234BC", s);
	return -1;
}

/* A date of birth: YYYY-MM-DD, in the past. */
static int
ctl_arrival_dob(struct ctl_arrival *a, const char *s,
    char why[TIMEFMT_WHY_LEN])
{
	struct civil_date	d;

	if (timefmt_parse_date(s, &d) == -1) {
		if (timefmt_parse_local_date(s, a->now, calendar_utc_offset, &d,
		    why) == 0)
			snprintf(why, TIMEFMT_WHY_LEN, "write the date of birth "
			    "as YYYY-MM-DD");
		return -1;
	}
	if (timefmt_date_cmp(d, timefmt_local_date(a->now,
	    calendar_utc_offset)) >= 0) {
		snprintf(why, TIMEFMT_WHY_LEN, "%s is not in the past", s);
		return -1;
	}
	return 0;
}

/* A community dose: a positive number, at most 3 decimal places. */
static int
ctl_arrival_dose(struct ctl_arrival *a, const char *s,
    char why[TIMEFMT_WHY_LEN])
{
	int64_t	thousandths;
	char	*end;
	double	 v = strtod(s, &end);

	(void)a;
	if (end != s && *end == '\0' && v > 0 &&
	    validate_quantity(v, &thousandths) == 0)
		return 0;
	snprintf(why, TIMEFMT_WHY_LEN, "\"%.20s\" is not a dose: a number "
	    "such as 30 or 2.5, the unit asked next", s);
	return -1;
}

/* A local time (the one grammar), not in the future; its RFC 3339 into
 * out. */
static int
ctl_arrival_when(struct ctl_arrival *a, const char *s, char *out,
    char why[TIMEFMT_WHY_LEN])
{
	struct timefmt_local	t;

	if (timefmt_parse_local(s, a->now, calendar_utc_offset, &t) == -1) {
		snprintf(why, TIMEFMT_WHY_LEN, "%s", t.why);
		return -1;
	}
	if (t.ms > a->now + 5 * MS_PER_MINUTE) {
		snprintf(why, TIMEFMT_WHY_LEN, "\"%.40s\" is in the future",
		    s);
		return -1;
	}
	timefmt_format_instant(t.ms, out);
	return 0;
}

/* The last community dose, as the one grammar reads it. */
static int
ctl_arrival_last_dose(struct ctl_arrival *a, const char *s,
    char why[TIMEFMT_WHY_LEN])
{
	return ctl_arrival_when(a, s, a->last_dose_at, why);
}

/* The arrival time, as the one grammar reads it. */
static int
ctl_arrival_arrived(struct ctl_arrival *a, const char *s,
    char why[TIMEFMT_WHY_LEN])
{
	return ctl_arrival_when(a, s, a->arrived_at, why);
}

/* One question of the form: the field, the slot its answer is kept in,
 * the prompt, the check, and whether a blank answer means "not known". */
struct ctl_question {
	const char		**field;
	int			  slot;
	const char		 *prompt;
	ctl_arrival_check	 *check;
	int			  optional;
};

/* Settle one field: an option given is checked; a field missing, or an
 * option refused, is asked at the terminal until its answer passes, so a
 * typo costs one answer, never the form.  -1 if it cannot be asked. */
static int
ctl_arrival_ask(struct ctl_arrival *a, const struct ctl_question *q)
{
	char	why[TIMEFMT_WHY_LEN], prompt[128];
	char	*buf = a->answers[q->slot];

	snprintf(prompt, sizeof prompt, "%s ", q->prompt);
	if (*q->field != NULL) {
		if (q->check(a, *q->field, why) == 0)
			return 0;
		fprintf(stderr, "idtsctl: %s %s\n", q->prompt, why);
		*q->field = NULL;
	}
	for (;;) {
		if (ctl_ask(prompt, buf, sizeof a->answers[0], 0) == -1)
			return -1;
		if (buf[0] == '\0' && q->optional)
			return 0;
		if (buf[0] == '\0')
			fprintf(stderr, "  needed: please answer\n");
		else if (q->check(a, buf, why) == 0) {
			*q->field = buf;
			return 0;
		} else
			fprintf(stderr, "  %s: please type it again\n", why);
	}
}

/* Settle the questions from first to n; -1 at the first that cannot. */
static int
ctl_arrival_ask_all(struct ctl_arrival *a, const struct ctl_question *q,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (ctl_arrival_ask(a, &q[i]) == -1)
			return -1;
	return 0;
}

/* Ask a yes/no question; the answer is 1 or 0, or -1 if not a terminal. */
static int
ctl_arrival_yes(const char *prompt)
{
	char	buf[16];

	for (;;) {
		if (ctl_ask(prompt, buf, sizeof buf, 0) == -1)
			return -1;
		if (buf[0] == 'y' || buf[0] == 'Y')
			return 1;
		if (buf[0] == 'n' || buf[0] == 'N')
			return 0;
	}
}

/* Fill in what is missing, at a terminal, each answer checked as it is
 * typed; a usage error when something is missing and cannot be asked. */
static int
ctl_arrival_complete(struct ctl_arrival *a)
{
	const struct ctl_question	person[] = {
		{ &a->number, 0, "prison number:", ctl_arrival_number, 0 },
		{ &a->given, 1, "given name:", ctl_arrival_text, 0 },
		{ &a->family, 2, "family name:", ctl_arrival_text, 0 },
		{ &a->dob, 3, "date of birth (YYYY-MM-DD):", ctl_arrival_dob,
		    0 },
		{ &a->location, 4, "location (cell):", ctl_arrival_place, 0 },
		{ &a->arrived, 10, "arrived (blank: now):", ctl_arrival_arrived,
		    1 },
	};
	const struct ctl_question	treatment[] = {
		{ &a->drug, 5, "drug:", ctl_arrival_text, 0 },
		{ &a->dose, 6, "dose:", ctl_arrival_dose, 0 },
		{ &a->unit, 7, "unit (ml, mg, tablet):", ctl_arrival_text, 0 },
		{ &a->prescriber, 8, "community prescriber:", ctl_arrival_text,
		    0 },
		{ &a->last_dose, 9, "last community dose (e.g. today 08:30, "
		    "yesterday 09:00; blank: not known):",
		    ctl_arrival_last_dose, 1 },
	};
	int				in_treatment = a->drug != NULL;

	/* The arrival time is asked only when given wrong. */
	if (ctl_arrival_ask_all(a, person, 5) == -1 || (a->arrived != NULL &&
	    ctl_arrival_ask(a, &person[5]) == -1))
		return ctl_usage("missing or wrong --number, --given, --family, "
		    "--dob, --location or --arrived (and no terminal to ask "
		    "at)");
	if (a->stimulant == -1)
		a->stimulant = ctl_arrival_yes("current stimulant user? [y/n] ")
		    == 1;
	if (!in_treatment && a->dose == NULL && isatty(0))
		in_treatment = ctl_arrival_yes("already in treatment in the "
		    "community? [y/n] ") == 1;
	if (!in_treatment)
		return 0;
	/* The last dose is asked at a terminal, never required. */
	if (ctl_arrival_ask_all(a, treatment, 4) == -1 ||
	    ((a->last_dose != NULL || isatty(0)) &&
	    ctl_arrival_ask(a, &treatment[4]) == -1))
		return ctl_usage("community treatment needs --treatment, --dose, "
		    "--unit and --prescriber (and a --last-dose written as a "
		    "local time)");
	return 0;
}

/* The registration body. */
static json_t *
ctl_arrival_json(const struct ctl_arrival *a)
{
	json_t	*ct = json_null(), *dose;
	char	*end;
	double	 v;

	if (a->drug != NULL) {
		v = strtod(a->dose, &end);
		dose = *end == '\0' && end != a->dose ? json_real(v) :
		    json_string(a->dose);	/* the daemon says why not */
		ct = json_pack("{s:s,s:o,s:s,s:s,s:s*}", "drug", a->drug,
		    "dose", dose, "unit", a->unit, "prescriber", a->prescriber,
		    "last_dose_at", a->last_dose != NULL ? a->last_dose_at :
		    NULL);
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}",
	    "prison_number", a->number, "given_name", a->given,
	    "family_name", a->family, "date_of_birth", a->dob,
	    "arrived_at", a->arrived_at, "location", a->location,
	    "stimulant_user", a->stimulant == 1, "community_treatment", ct);
}

/* Print patients (an array or one object). */
static void
ctl_patient_print(struct ctl *ctl, json_t *answer)
{
	static const char *const headers[] = {
		"PRISON NO", "NAME", "BORN", "LOCATION", "ARRIVED", "FLAGS", "ID"
	};
	struct table	*t;
	json_t		*p, *flags, *list = answer;
	char		 name[256], fl[64], arrived[CTL_LOCAL_LEN];
	const char	*cells[7];
	size_t		 i;

	if (ctl->json) {
		ctl_print_json(answer);
		return;
	}
	if (!json_is_array(answer)) {
		list = json_array();
		json_array_append(list, answer);
	}
	t = table_new(7, headers);
	json_array_foreach(list, i, p) {
		flags = json_object_get(p, "flags");
		snprintf(name, sizeof name, "%s, %s", ctl_str(p, "family_name"),
		    ctl_str(p, "given_name"));
		snprintf(fl, sizeof fl, "%s%s%s",
		    json_is_true(json_object_get(flags, "stimulant_user")) ?
		    "stimulant " : "",
		    json_is_true(json_object_get(flags,
		    "in_community_treatment")) ? "in-treatment " : "",
		    strcmp(ctl_str(p, "status"), "in_custody") != 0 ?
		    ctl_str(p, "status") : "");
		cells[0] = ctl_str(p, "prison_number");
		cells[1] = name;
		cells[2] = ctl_str(p, "date_of_birth");
		cells[3] = ctl_str(p, "location");
		cells[4] = ctl_local_time(ctl_str(p, "arrived_at"), CTL_LOCAL,
		    arrived, sizeof arrived);
		cells[5] = fl;
		cells[6] = ctl_str(p, "id");
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	if (list != answer)
		json_decref(list);
}

/* What a continuity clock is for, in reception's words. */
static const char *
ctl_clock_words(const char *kind)
{
	if (strcmp(kind, "treatment_continued") == 0)
		return "first substitute dose given and signed";
	if (strcmp(kind, "keyworker_allocated") == 0)
		return "CARAT keyworker allocated";
	return kind;
}

/* After booking, what started and when it is due, from the POST answer:
 * the 24-hour clocks and their deadlines, the observation plan and its
 * first observation. */
static void
ctl_arrival_confirm(const json_t *p, int64_t now)
{
	const json_t	*clocks = json_object_get(p, "clocks"), *c;
	const json_t	*plan = json_object_get(p, "observation_plan");
	char		 at[CTL_LOCAL_LEN], due[CTL_LOCAL_LEN];
	char		 nowt[TIMEFMT_INSTANT_LEN];
	int64_t		 next;
	size_t		 i;

	printf("\nbooked in %s %s, %s at %s\n", CTL_S(ctl_str(p,
	    "prison_number")), CTL_S(ctl_str(p, "family_name")),
	    CTL_S(ctl_str(p, "given_name")), CTL_S(ctl_local_time(
	    ctl_str(p, "arrived_at"), CTL_LOCAL, at, sizeof at)));
	if (json_array_size(clocks) == 0)
		printf("  no 24-hour clock started: not in treatment in the "
		    "community\n");
	else
		printf("  %zu 24-hour clock%s started:\n",
		    json_array_size(clocks),
		    json_array_size(clocks) == 1 ? "" : "s");
	json_array_foreach(clocks, i, c)
		printf("    %s: due by %s\n",
		    ctl_clock_words(CTL_S(ctl_str(c, "kind"))),
		    CTL_S(ctl_local_time(ctl_str(c, "due_at"), CTL_LOCAL, due,
		    sizeof due)));
	if (!json_is_object(plan)) {
		printf("  no observations planned (not a stimulant user)\n");
		return;
	}
	timefmt_format_instant(now, nowt);
	if (ctl_str(plan, "next_due_at") == NULL ||
	    timefmt_parse_instant(ctl_str(plan, "next_due_at"), &next) == -1)
		printf("  observations planned; none due\n");
	else if (next <= now + MS_PER_MINUTE)	/* due as he arrives */
		printf("  stimulant user: first observation due NOW (%s), "
		    "then every %lld minutes\n", CTL_S(ctl_local_time(nowt,
		    CTL_TIME, due, sizeof due)), (long long)json_integer_value(
		    json_object_get(plan, "base_interval_minutes")));
	else
		printf("  stimulant user: first observation due %s\n",
		    CTL_S(ctl_local_time(ctl_str(plan, "next_due_at"),
		    CTL_LOCAL, due, sizeof due)));
	printf("  observed until %s\n", CTL_S(ctl_local_time(ctl_str(plan,
	    "ends_at"), CTL_LOCAL, due, sizeof due)));
}

int
ctl_patient_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "number", required_argument, NULL, 'N' },
		{ "given", required_argument, NULL, 'g' },
		{ "family", required_argument, NULL, 'f' },
		{ "dob", required_argument, NULL, 'b' },
		{ "location", required_argument, NULL, 'l' },
		{ "arrived", required_argument, NULL, 'a' },
		{ "stimulant", no_argument, NULL, 's' },
		{ "no-stimulant", no_argument, NULL, 'S' },
		{ "treatment", required_argument, NULL, 't' },
		{ "dose", required_argument, NULL, 'd' },
		{ "unit", required_argument, NULL, 'u' },
		{ "prescriber", required_argument, NULL, 'p' },
		{ "last-dose", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_arrival	 a;
	json_t			*answer;
	int			 ch, rc;

	memset(&a, 0, sizeof a);
	a.stimulant = -1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'N': a.number = optarg; break;
		case 'g': a.given = optarg; break;
		case 'f': a.family = optarg; break;
		case 'b': a.dob = optarg; break;
		case 'l': a.location = optarg; break;
		case 'a': a.arrived = optarg; break;
		case 's': a.stimulant = 1; break;
		case 'S': a.stimulant = 0; break;
		case 't': a.drug = optarg; break;
		case 'd': a.dose = optarg; break;
		case 'u': a.unit = optarg; break;
		case 'p': a.prescriber = optarg; break;
		case 'L': a.last_dose = optarg; break;
		default: return CTL_USAGE;
		}
	}
	if (optind != argc)
		return ctl_usage("patient add takes options only; see --help");
	/* The daemon's clock first: every time typed is read against it, and
	 * an unreachable daemon is said before the form, not after. */
	if ((rc = ctl_now(ctl, &a.now)) != CTL_OK ||
	    (rc = ctl_arrival_complete(&a)) != 0)
		return rc;
	if (a.arrived == NULL)
		timefmt_format_instant(a.now, a.arrived_at);
	if ((rc = ctl_call(ctl, "POST", "/patients", ctl_arrival_json(&a), 201,
	    &answer)) != CTL_OK)
		return rc;
	ctl_patient_print(ctl, answer);
	if (!ctl->json)
		ctl_arrival_confirm(answer, a.now);
	json_decref(answer);
	return CTL_OK;
}

int
ctl_patient_list(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	char	 path[128] = "/patients";
	json_t	*answer;
	int	 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 's')
			return CTL_USAGE;
		if (strspn(optarg, "abcdefghijklmnopqrstuvwxyz_") !=
		    strlen(optarg))
			return ctl_usage("--status takes in_custody, released "
			    "or transferred");
		snprintf(path, sizeof path, "/patients?status=%s", optarg);
	}
	if (optind != argc)
		return ctl_usage("usage: idtsctl patient list [--status STATUS]");
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	ctl_patient_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}

/* Find a patient by id, or by prison number among those in custody. */
int
ctl_patient_resolve(struct ctl *ctl, const char *arg, json_t **patient)
{
	char	 path[128], number[PRISON_NUMBER_LEN];
	json_t	*answer, *p;
	size_t	 i;
	int	 rc;

	*patient = NULL;
	if (validate_prison_number(arg, number) == -1) {
		snprintf(path, sizeof path, "/patients/%.64s", arg);
		return ctl_call(ctl, "GET", path, NULL, 200, patient);
	}
	if ((rc = ctl_call(ctl, "GET", "/patients?status=in_custody", NULL,
	    200, &answer)) != CTL_OK)
		return rc;
	json_array_foreach(answer, i, p)
		if (strcmp(ctl_str(p, "prison_number"), number) == 0)
			*patient = json_incref(p);
	json_decref(answer);
	if (*patient == NULL) {
		fprintf(stderr, "idtsctl: %s is not in custody here\n", number);
		return CTL_REFUSED;
	}
	return CTL_OK;
}

/* show ID or PRISON_NUMBER (of someone in custody): the whole record to
 * those who read it (ctl_record_show()), the patient to the others. */
int
ctl_patient_show(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer, *p;
	char	 last[CTL_LOCAL_LEN];
	int	 rc;

	if (argc != 2)
		return ctl_usage("usage: idtsctl patient show ID|PRISON_NUMBER");
	if ((rc = ctl_patient_resolve(ctl, argv[1], &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else if (ctl_record_show(ctl, ctl_str(answer, "id")) == -1) {
		ctl_patient_print(ctl, answer);
		p = json_object_get(answer, "community_treatment");
		if (json_is_object(p))
			printf("\ncommunity treatment: %s %g %s, prescriber %s, "
			    "last dose %s\n", ctl_str(p, "drug"),
			    json_number_value(json_object_get(p, "dose")),
			    ctl_str(p, "unit"), ctl_str(p, "prescriber"),
			    ctl_str(p, "last_dose_at") ?
			    ctl_local_time(ctl_str(p, "last_dose_at"), CTL_LOCAL,
			    last, sizeof last) : "not known");
		p = json_pack("[O]", answer);
		ctl_print_clocks(json_object_get(answer, "clocks"), p);
		json_decref(p);
	}
	json_decref(answer);
	return CTL_OK;
}
