/* idtsctl prescribe, prescriptions, stop and review. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "idtsctl.h"
#include "table.h"
#include "timefmt.h"
#include "validate.h"

/* A round time, HH:MM on the 24-hour clock. */
static int
ctl_round_time(const char *s)
{
	return strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' &&
	    s[1] >= '0' && s[1] <= '9' && (s[0] < '2' || s[1] <= '3') &&
	    s[2] == ':' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' &&
	    s[4] <= '9' ? 0 : -1;
}

static int
ctl_date(const char *s)
{
	struct civil_date	d;

	return timefmt_parse_date(s, &d);
}

/* "08:00,20:00" as a JSON array; NULL if a time is malformed. */
static json_t *
ctl_times(const char *list)
{
	json_t	*a = json_array();
	char	*copy = strdup(list), *p, *t;

	for (p = copy; p != NULL && (t = strsep(&p, ",")) != NULL;) {
		if (ctl_round_time(t) == -1) {
			json_decref(a);
			free(copy);
			return NULL;
		}
		json_array_append_new(a, json_string(t));
	}
	free(copy);
	if (json_array_size(a) == 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* A step of a reducing regimen, YYYY-MM-DD=DOSE, as {from_date, dose}. */
static json_t *
ctl_step(const char *s)
{
	const char	*eq = strchr(s, '=');
	char		 date[TIMEFMT_DATE_LEN];
	json_t		*dose;

	if (eq == NULL || (size_t)(eq - s) != TIMEFMT_DATE_LEN - 1)
		return NULL;
	memcpy(date, s, TIMEFMT_DATE_LEN - 1);
	date[TIMEFMT_DATE_LEN - 1] = '\0';
	if (ctl_date(date) == -1 || ctl_quantity_arg(eq + 1, 0, &dose) == -1)
		return NULL;
	return json_pack("{s:s,s:o}", "from_date", date, "dose", dose);
}

/* Under a prescription, or its first dose, written over the first-dose
 * checks: the prescriber's reason and what it overrode, in words; what
 * names the record ("" or "FIRST DOSE of a prescription "). */
void
ctl_override_say(const json_t *record, const char *what, FILE *f)
{
	const json_t	*o = json_object_get(record, "override"), *r;
	size_t		 i;

	if (!json_is_object(o))
		return;
	fprintf(f, "%.8s %swritten over the first-dose checks: %s\n",
	    CTL_S(ctl_str(record, "id")), what, CTL_S(ctl_str(o, "reason")));
	json_array_foreach(json_object_get(o, "reasons"), i, r)
		fprintf(f, "    overrode: %s\n", CTL_S(ctl_str(r, "message")));
}

/* The not-taken run and, while active, how close it is to a hold: "0",
 * "2 of 3: 1 more holds it", "3: HELD". */
static const char *
ctl_not_taken_text(const json_t *p, char *buf, size_t size)
{
	json_int_t	run = json_integer_value(json_object_get(p,
			    "not_taken_run"));
	json_int_t	after = json_integer_value(json_object_get(p,
			    "hold_after"));

	if (ctl_str(p, "state") && strcmp(ctl_str(p, "state"), "held") == 0)
		snprintf(buf, size, "%lld: HELD", (long long)run);
	else if (after > 0 && run > 0 && ctl_str(p, "state") &&
	    strcmp(ctl_str(p, "state"), "active") == 0)
		snprintf(buf, size, "%lld of %lld: %lld more holds it",
		    (long long)run, (long long)after, (long long)(after - run));
	else
		snprintf(buf, size, "%lld", (long long)run);
	return buf;
}

/* Print prescriptions (an array or one object), and under the table what
 * a reducing regimen does, why one is stopped and what a hold needs. */
void
ctl_prescriptions_print(struct ctl *ctl, json_t *answer)
{
	static const char *const headers[] = {
		"DRUG", "REGIMEN", "DOSE", "TIMES", "FROM", "UNTIL", "STATE",
		"NOT TAKEN", "PRESCRIBER", "ID"
	};
	struct table	*t;
	json_t		*p, *v, *s, *list = answer;
	const char	*cells[10];
	char		 drug[512], dose[AMOUNT_TEXT_LEN], times[128], run[96];
	char		 state[64], when[32], q[AMOUNT_TEXT_LEN];
	size_t		 i, j;
	int		 every;

	if (ctl->json) {
		ctl_print_json(answer);
		return;
	}
	if (!json_is_array(answer)) {
		list = json_array();
		json_array_append(list, answer);
	}
	if (json_array_size(list) == 0) {
		printf("no prescriptions\n");
		goto out;
	}
	t = table_new(10, headers);
	json_array_foreach(list, i, p) {
		times[0] = '\0';
		json_array_foreach(json_object_get(p, "times"), j, v) {
			if (j > 0)
				strncat(times, ",", sizeof times -
				    strlen(times) - 1);
			strncat(times, json_string_value(v) ?
			    json_string_value(v) : "?", sizeof times -
			    strlen(times) - 1);
		}
		every = (int)json_integer_value(json_object_get(p,
		    "every_days"));
		if (every > 1)
			snprintf(times + strlen(times), sizeof times -
			    strlen(times), every == 7 ? " weekly" :
			    " every %d days", every);
		snprintf(state, sizeof state, "%s", ctl_str(p, "state") ?
		    ctl_str(p, "state") : "?");
		if (strcmp(state, "held") == 0)
			snprintf(state, sizeof state, "HELD (%lld not taken)",
			    (long long)json_integer_value(json_object_get(p,
			    "not_taken_run")));
		cells[0] = ctl_product_text(json_object_get(p, "product"),
		    drug, sizeof drug);
		cells[1] = ctl_str(p, "regimen");
		cells[2] = amount_json_text(json_object_get(p,
		    "current_dose"), ctl_str(p, "unit"), json_object_get(p,
		    "current_active"), dose) == 0 ? dose : NULL;
		cells[3] = times;
		cells[4] = ctl_str(p, "start_date");
		cells[5] = ctl_str(p, "end_date");
		cells[6] = state;
		cells[7] = ctl_not_taken_text(p, run, sizeof run);
		cells[8] = ctl_str(json_object_get(p, "prescriber"),
		    "display_name");
		cells[9] = ctl_str(p, "id");
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);

	json_array_foreach(list, i, p) {
		const char	*id = ctl_str(p, "id") ? ctl_str(p, "id") : "?";

		if (json_array_size(json_object_get(p, "steps")) > 0) {
			printf("%.8s reducing from %s:", id,
			    amount_json_text(json_object_get(p, "dose"),
			    ctl_str(p, "unit"), json_object_get(p, "active"),
			    dose) == 0 ? dose : "?");
			json_array_foreach(json_object_get(p, "steps"), j, s)
				printf("%s %s from %s", j > 0 ? "," : "",
				    amount_json_text(json_object_get(s, "dose"),
				    ctl_str(p, "unit"), json_object_get(s,
				    "active"), q) == 0 ? q : "?",
				    ctl_str(s, "from_date"));
			printf("\n");
		}
		ctl_override_say(p, "", stdout);
		if (json_is_object(json_object_get(p, "transfer")))
			printf("%.8s TO BE CONFIRMED: from %s, prescribed "
			    "there by %s; not given until a prescriber "
			    "confirms it\n    (idtsctl confirm %s)\n", id,
			    CTL_S(ctl_str(json_object_get(p, "transfer"),
			    "from")), CTL_S(ctl_str(json_object_get(p,
			    "transfer"), "prescriber")), id);
		if (json_is_string(json_object_get(p, "stopped_at")))
			printf("%.8s stopped %s: %s\n", id, ctl_local_time(
			    ctl_str(p, "stopped_at"), CTL_DATE_TIME, when,
			    sizeof when), ctl_str(p, "stop_reason") ?
			    ctl_str(p, "stop_reason") : "");
		if (ctl_str(p, "state") && strcmp(ctl_str(p, "state"),
		    "held") == 0)
			printf("%.8s held for review since %s: no dose can be "
			    "given until a prescriber records one\n"
			    "    (idtsctl review %s --note TEXT)\n", id,
			    ctl_local_time(ctl_str(p, "held_at"),
			    CTL_DATE_TIME, when, sizeof when) ?
			    when : "?", id);
	}
out:
	if (list != answer)
		json_decref(list);
}

/* The patient's line above their prescriptions. */
static void
ctl_patient_line(const json_t *p)
{
	if (!json_is_object(p) || ctl_str(p, "prison_number") == NULL)
		return;
	printf("%s  %s, %s  %s\n", ctl_str(p, "prison_number"),
	    CTL_S(ctl_str(p, "family_name")), CTL_S(ctl_str(p, "given_name")),
	    ctl_str(p, "location") ? ctl_str(p, "location") : "");
}

#define PRESCRIBE_USAGE "usage: idtsctl prescribe PATIENT --product PRODUCT " \
	"--dose N --times HH:MM[,HH:MM...] --start YYYY-MM-DD " \
	"[--end YYYY-MM-DD] [--every-days N] " \
	"[--reducing --step YYYY-MM-DD=DOSE ...] [--override REASON]"

/* What prescribe was asked for, as parsed from its command line. */
struct ctl_prescribe_args {
	const char	*patient, *product, *start, *end, *override;
	json_t		*dose, *times, *steps;
	long		 every;
	int		 reducing;
};

static void
ctl_prescribe_args_free(struct ctl_prescribe_args *a)
{
	json_decref(a->steps);
	json_decref(a->times);
	json_decref(a->dose);
}

/* One option into a; CTL_USAGE (after the usage line) if its value is
 * bad. */
static int
ctl_prescribe_option(int ch, struct ctl_prescribe_args *a)
{
	json_t	*step;
	char	*endp;

	switch (ch) {
	case 'p':
		a->product = optarg;
		return CTL_OK;
	case 'd':
		json_decref(a->dose);
		a->dose = NULL;
		if (ctl_quantity_arg(optarg, 0, &a->dose) == -1)
			return ctl_usage("--dose takes a number with at most "
			    "3 decimal places, such as 30 or 2.5");
		return CTL_OK;
	case 't':
		json_decref(a->times);
		if ((a->times = ctl_times(optarg)) == NULL)
			return ctl_usage("--times takes round times HH:MM, "
			    "comma-separated, such as 08:00,20:00");
		return CTL_OK;
	case 's':
		a->start = optarg;
		return CTL_OK;
	case 'e':
		a->end = optarg;
		return CTL_OK;
	case 'E':
		a->every = strtol(optarg, &endp, 10);
		if (*optarg == '\0' || *endp != '\0' || a->every < 1 ||
		    a->every > 28)
			return ctl_usage("--every-days takes 1 to 28 "
			    "(7: weekly)");
		return CTL_OK;
	case 'r':
		a->reducing = 1;
		return CTL_OK;
	case 'o':
		if (optarg[strspn(optarg, " \t")] == '\0')
			return ctl_usage("--override takes the reason this "
			    "dose is right for this patient");
		a->override = optarg;
		return CTL_OK;
	case 'S':
		if ((step = ctl_step(optarg)) == NULL)
			return ctl_usage("--step takes YYYY-MM-DD=DOSE, such "
			    "as 2026-11-30=25");
		json_array_append_new(a->steps, step);
		return CTL_OK;
	default:
		return CTL_USAGE;
	}
}

/* The command line into a, each option checked alone and then together;
 * CTL_USAGE after the usage line if it cannot be what was asked for. */
static int
ctl_prescribe_parse(int argc, char **argv, struct ctl_prescribe_args *a)
{
	static const struct option opts[] = {
		{ "product", required_argument, NULL, 'p' },
		{ "dose", required_argument, NULL, 'd' },
		{ "times", required_argument, NULL, 't' },
		{ "start", required_argument, NULL, 's' },
		{ "end", required_argument, NULL, 'e' },
		{ "every-days", required_argument, NULL, 'E' },
		{ "reducing", no_argument, NULL, 'r' },
		{ "step", required_argument, NULL, 'S' },
		{ "override", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ctl_prescribe_option(ch, a) != CTL_OK)
			return CTL_USAGE;
	if (optind != argc - 1 || a->product == NULL || a->dose == NULL ||
	    a->times == NULL || a->start == NULL)
		return ctl_usage(PRESCRIBE_USAGE);
	a->patient = argv[optind];
	if (a->reducing && json_array_size(a->steps) == 0)
		return ctl_usage("a reducing regimen needs at least one "
		    "--step YYYY-MM-DD=DOSE");
	if (!a->reducing && json_array_size(a->steps) > 0)
		return ctl_usage("--step is for a reducing regimen: add "
		    "--reducing");
	return CTL_OK;
}

/* The body of POST /prescriptions for a resolved patient and product. */
static json_t *
ctl_prescribe_body(const struct ctl_prescribe_args *a, const json_t *patient,
    const json_t *product)
{
	json_t	*body;

	body = json_pack("{s:s,s:s,s:s,s:O,s:O,s:I,s:s}",
	    "patient_id", ctl_str(patient, "id"),
	    "product_id", ctl_str(product, "id"),
	    "regimen", a->reducing ? "reducing" : "maintenance",
	    "dose", a->dose, "times", a->times, "every_days",
	    (json_int_t)a->every, "start_date", a->start);
	if (body != NULL && a->end != NULL)
		json_object_set_new(body, "end_date", json_string(a->end));
	if (body != NULL && a->reducing)
		json_object_set(body, "steps", a->steps);
	if (body != NULL && a->override != NULL)
		json_object_set_new(body, "override", json_pack("{s:s}",
		    "reason", a->override));
	return body;
}

/* prescribe PATIENT --product ... : parse, resolve the patient and the
 * product, send, and print the prescription as written. */
/* --start and --end as the one date grammar reads them (YYYY-MM-DD,
 * today, tomorrow), written back as YYYY-MM-DD into start and end. */
static int
ctl_prescribe_dates(struct ctl *ctl, struct ctl_prescribe_args *a,
    char start[TIMEFMT_DATE_LEN], char end[TIMEFMT_DATE_LEN])
{
	struct civil_date	d;
	int			rc;

	if ((rc = ctl_date_arg(ctl, "--start", a->start, &d)) != CTL_OK)
		return rc;
	timefmt_format_date(d, start);
	a->start = start;
	if (a->end == NULL)
		return CTL_OK;
	if ((rc = ctl_date_arg(ctl, "--end", a->end, &d)) != CTL_OK)
		return rc;
	timefmt_format_date(d, end);
	a->end = end;
	return CTL_OK;
}

int
ctl_prescribe(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_prescribe_args a = { NULL, NULL, NULL, NULL, NULL, NULL,
				    NULL, json_array(), 1, 0 };
	json_t		*patient = NULL, *prod = NULL, *answer;
	char		 start[TIMEFMT_DATE_LEN], end[TIMEFMT_DATE_LEN];
	int		 rc;

	if ((rc = ctl_prescribe_parse(argc, argv, &a)) != CTL_OK ||
	    (rc = ctl_prescribe_dates(ctl, &a, start, end)) != CTL_OK)
		goto out;
	if ((rc = ctl_patient_resolve(ctl, a.patient, &patient)) != CTL_OK ||
	    (rc = ctl_product_resolve(ctl, a.product, &prod)) != CTL_OK)
		goto out;
	if ((rc = ctl_call_flags(ctl, "POST", "/prescriptions",
	    ctl_prescribe_body(&a, patient, prod), 201, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		goto out;
	if (!ctl->json)
		ctl_patient_line(json_object_get(answer, "patient") ?
		    json_object_get(answer, "patient") : patient);
	ctl_prescriptions_print(ctl, answer);
	json_decref(answer);
out:
	ctl_prescribe_args_free(&a);
	json_decref(patient);
	json_decref(prod);
	return rc;
}

/* prescriptions PATIENT [--state STATE,...] */
int
ctl_prescriptions(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*state = NULL;
	json_t		*patient, *answer;
	char		 path[256];
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 's')
			return CTL_USAGE;
		state = optarg;
	}
	if (optind != argc - 1 || (state != NULL && (strlen(state) > 64 ||
	    strspn(state, "abcdefghijklmnopqrstuvwxyz,") != strlen(state))))
		return ctl_usage("usage: idtsctl prescriptions PATIENT "
		    "[--state active,held,stopped,ended]");
	if ((rc = ctl_patient_resolve(ctl, argv[optind], &patient)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/prescriptions?patient_id=%s%s%s",
	    ctl_str(patient, "id"), state ? "&state=" : "",
	    state ? state : "");
	if ((rc = ctl_call_flags(ctl, "GET", path, NULL, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK) {
		json_decref(patient);
		return rc;
	}
	if (!ctl->json)
		ctl_patient_line(patient);
	ctl_prescriptions_print(ctl, answer);
	json_decref(answer);
	json_decref(patient);
	return CTL_OK;
}

/* stop and review: a prescriber's POST with one text. */
static int
ctl_prescription_act(struct ctl *ctl, int argc, char **argv,
    const char *action, const char *field, const char *usage)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*text = NULL;
	json_t		*answer, *patient;
	char		 path[160];
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((ch == 'r' && strcmp(field, "reason") == 0) ||
		    (ch == 'n' && strcmp(field, "note") == 0))
			text = optarg;
		else
			return ctl_usage("%s", usage);
	}
	if (optind != argc - 1 || text == NULL || *text == '\0')
		return ctl_usage("%s", usage);
	if ((rc = ctl_id_arg("a prescription", argv[optind])) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/prescriptions/%s/%s", argv[optind],
	    action);
	if ((rc = ctl_call_flags(ctl, "POST", path, json_pack("{s:s}", field,
	    text), 200, &answer, CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (!ctl->json) {
		/* The patient, from the answer or else asked for. */
		patient = json_incref(json_object_get(answer, "patient"));
		snprintf(path, sizeof path, "/patients/%s",
		    CTL_S(ctl_str(answer, "patient_id")));
		if (patient == NULL && ctl_str(answer, "patient_id") != NULL &&
		    validate_uuid(ctl_str(answer, "patient_id")) == 0 &&
		    ctl_call(ctl, "GET", path, NULL, 200, &patient) != CTL_OK)
			patient = NULL;
		ctl_patient_line(patient);
		json_decref(patient);
	}
	ctl_prescriptions_print(ctl, answer);
	if (!ctl->json)
		printf("%s\n", strcmp(action, "stop") == 0 ? "stopped: the "
		    "doses not yet given are removed" : "reviewed: the hold "
		    "is lifted and doses can be given again");
	json_decref(answer);
	return CTL_OK;
}

int
ctl_stop(struct ctl *ctl, int argc, char **argv)
{
	return ctl_prescription_act(ctl, argc, argv, "stop", "reason",
	    "usage: idtsctl stop PRESCRIPTION --reason TEXT");
}

int
ctl_review(struct ctl *ctl, int argc, char **argv)
{
	return ctl_prescription_act(ctl, argc, argv, "review", "note",
	    "usage: idtsctl review PRESCRIPTION --note TEXT");
}
