/* idtsctl obs due, obs record, obs extend, flag and report obs: the
 * observations of stimulant users as the ward and the managers see them.
 * The daemon scores every observation with NEWS2; this file only shows
 * its answer. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "idtsctl.h"
#include "table.h"
#include "timefmt.h"
#include "validate.h"
#include "words.h"

#define OBS_BAR_WIDTH		20

/* An instant from an answer as the ward reads it: HH:MM on the local
 * date of ref, YYYY-MM-DD HH:MM on another; NULL if instant is. */
static const char *
obs_when(const char *instant, int64_t ref, char *buf, size_t size)
{
	struct tm	a, b;
	time_t		ta, tb = (time_t)(ref / MS_PER_SECOND);
	int64_t		ms;

	if (instant == NULL || timefmt_parse_instant(instant, &ms) == -1)
		return ctl_local_time(instant, CTL_DATE_TIME, buf, size);
	ta = (time_t)(ms / MS_PER_SECOND);
	localtime_r(&ta, &a);
	localtime_r(&tb, &b);
	return ctl_local_time(instant, a.tm_year == b.tm_year &&
	    a.tm_yday == b.tm_yday ? CTL_TIME : CTL_DATE_TIME, buf, size);
}

/* --- words -------------------------------------------------------------- */

/* "Smith, John" */
static const char *
obs_name(const json_t *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s", CTL_S(ctl_str(p, "family_name")),
	    CTL_S(ctl_str(p, "given_name")));
	return buf;
}

/* "A1234BC  Smith, John  A wing, cell 14" */
static void
obs_patient_line(FILE *f, const json_t *p)
{
	char	name[256];

	fprintf(f, "%s  %s  %s\n", CTL_S(ctl_str(p, "prison_number")),
	    obs_name(p, name, sizeof name), ctl_str(p, "location") ?
	    ctl_str(p, "location") : "");
}

/* A band as the ward says it ("LOW-MEDIUM"), or as the daemon named it. */
static const char *
obs_band_label(const char *band)
{
	const struct words_band	*b = words_band_named(band);

	return b != NULL ? b->label : CTL_S(band);
}

/* The NEWS2 parameters in the order of the chart, as the API names
 * them and as people do. */
static const struct {
	const char	*key, *words;
} obs_parameters[] = {
	{ "respiratory_rate", "respiratory rate" },
	{ "spo2", "SpO2" },
	{ "air_or_oxygen", "air or oxygen" },
	{ "systolic_bp", "systolic BP" },
	{ "pulse", "pulse" },
	{ "consciousness", "consciousness" },
	{ "temperature", "temperature" },
};
#define OBS_NPARAMETERS	(sizeof obs_parameters / sizeof obs_parameters[0])

/* --- the readings --------------------------------------------------------- */

enum obs_field {
	OBS_RR, OBS_SPO2, OBS_SCALE, OBS_OXYGEN, OBS_BP, OBS_PULSE, OBS_ACVPU,
	OBS_TEMP, OBS_NFIELDS
};

static const struct {
	const char	*option, *prompt, *hint;
} obs_fields[OBS_NFIELDS] = {
	{ "--rr", "respiratory rate (breaths a minute): ",
	    "--rr takes the respiratory rate, breaths a minute, such as 18" },
	{ "--spo2", "SpO2 (%): ",
	    "--spo2 takes the oxygen saturation in per cent, such as 96" },
	{ "--scale", "SpO2 scale (1, or 2 if prescribed for hypercapnic "
	    "respiratory failure): ", "--scale takes 1, or 2 if prescribed" },
	{ "--oxygen", "on oxygen? [y/n] ",
	    "say --oxygen or --air: on oxygen, or breathing air" },
	{ "--bp", "systolic blood pressure (mmHg): ",
	    "--bp takes the systolic blood pressure in mmHg, such as 120 "
	    "(or 120/80)" },
	{ "--pulse", "pulse (beats a minute): ",
	    "--pulse takes the pulse, beats a minute, such as 72" },
	{ "--acvpu", "consciousness (A alert, C new confusion, V voice, "
	    "P pain, U unresponsive): ",
	    "--acvpu takes A, C, V, P or U" },
	{ "--temp", "temperature (°C): ",
	    "--temp takes the temperature in °C with at most one decimal, "
	    "such as 37.2" },
};

#define OBS_OPT(f)	(1000 + (f))	/* getopt's value for a reading */

/* -1: not given yet. */
struct obs_readings {
	int	value[OBS_NFIELDS];	/* OBS_TEMP in tenths, OBS_ACVPU a letter */
};

/* Take one reading as typed; -1 if malformed. */
static int
obs_field_parse(enum obs_field f, const char *s, struct obs_readings *r)
{
	int	v;

	while (*s == ' ')
		s++;
	switch (f) {
	case OBS_RR:
	case OBS_PULSE:
		if (words_whole(s, NULL, &v) == -1)
			return -1;
		break;
	case OBS_SPO2:
		if (words_whole(s, "%", &v) == -1)
			return -1;
		break;
	case OBS_BP:
		if (words_whole(s, "/", &v) == -1)
			return -1;
		break;
	case OBS_SCALE:
		if (strcmp(s, "1") != 0 && strcmp(s, "2") != 0)
			return -1;
		v = *s - '0';
		break;
	case OBS_OXYGEN:
		if (strcasecmp(s, "y") == 0 || strcasecmp(s, "yes") == 0 ||
		    strcasecmp(s, "oxygen") == 0)
			v = 1;
		else if (strcasecmp(s, "n") == 0 || strcasecmp(s, "no") == 0 ||
		    strcasecmp(s, "air") == 0)
			v = 0;
		else
			return -1;
		break;
	case OBS_ACVPU:
		if (strlen(s) != 1 || strchr("ACVPUacvpu", *s) == NULL)
			return -1;
		v = *s >= 'a' ? *s - 'a' + 'A' : *s;
		break;
	case OBS_TEMP:
		if (words_tenths(s, &v) == -1)
			return -1;
		break;
	default:
		return -1;
	}
	r->value[f] = v;
	return 0;
}

/* The readings in a line: "respiratory rate 24/min, SpO2 95% (scale 1)
 * on air, systolic BP 105 mmHg, pulse 112/min, ACVPU A, temperature
 * 38.4 °C". */
static const char *
obs_readings_text(const struct obs_readings *r, char *buf, size_t size)
{
	snprintf(buf, size, "respiratory rate %d/min, SpO2 %d%% (scale %d) "
	    "on %s, systolic BP %d mmHg, pulse %d/min, ACVPU %c, "
	    "temperature %d.%d °C", r->value[OBS_RR], r->value[OBS_SPO2],
	    r->value[OBS_SCALE], r->value[OBS_OXYGEN] ? "oxygen" : "air",
	    r->value[OBS_BP], r->value[OBS_PULSE], r->value[OBS_ACVPU],
	    r->value[OBS_TEMP] / 10, r->value[OBS_TEMP] % 10);
	return buf;
}

/* The readings of an answer, in the same words. */
static void
obs_answer_readings(const json_t *o, struct obs_readings *r)
{
	const char	*c = ctl_str(o, "consciousness");

	r->value[OBS_RR] = (int)json_integer_value(json_object_get(o,
	    "respiratory_rate"));
	r->value[OBS_SPO2] = (int)json_integer_value(json_object_get(o,
	    "spo2"));
	r->value[OBS_SCALE] = (int)json_integer_value(json_object_get(o,
	    "spo2_scale"));
	r->value[OBS_OXYGEN] = json_is_true(json_object_get(o, "on_oxygen"));
	r->value[OBS_BP] = (int)json_integer_value(json_object_get(o,
	    "systolic_bp"));
	r->value[OBS_PULSE] = (int)json_integer_value(json_object_get(o,
	    "pulse"));
	r->value[OBS_ACVPU] = c != NULL && *c != '\0' ? *c : '?';
	r->value[OBS_TEMP] = (int)(json_number_value(json_object_get(o,
	    "temperature")) * 10.0 + 0.5);
}

/* Ask for each reading not given, until it is one; -1 at end of input. */
static int
obs_ask_missing(struct obs_readings *r)
{
	char	buf[64];
	int	f;

	for (f = 0; f < OBS_NFIELDS; f++)
		while (r->value[f] == -1) {
			if (ctl_ask(obs_fields[f].prompt, buf, sizeof buf, 0) ==
			    -1)
				return -1;
			if (obs_field_parse((enum obs_field)f, buf, r) == -1)
				fprintf(stderr, "  %s\n", obs_fields[f].hint);
		}
	return 0;
}

/* Yes or no at the terminal; -1 at end of input. */
static int
obs_yes(const char *prompt)
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

/* What the daemon made of an observation, in words a nurse reads at a
 * glance: "NEWS2 7 — HIGH: emergency response; next observation due
 * 10:35", the parameters that scored 3, each score, and the alert. */
static void
obs_record_print(const json_t *patient, const json_t *o)
{
	const json_t		*news2 = json_object_get(o, "news2");
	const json_t		*scores = json_object_get(news2, "scores");
	const char		*band = ctl_str(news2, "band");
	struct obs_readings	 r;
	int64_t			 ref;
	const struct words_band	*b = words_band_named(band);
	size_t			 i, threes = 0;
	char			 text[512], when[32], next[32];

	if (timefmt_parse_instant(CTL_S(ctl_str(o, "recorded_at")), &ref) ==
	    -1)
		ref = (int64_t)time(NULL) * MS_PER_SECOND;
	obs_patient_line(stdout, patient);
	obs_answer_readings(o, &r);
	printf("observation at %s: %s\n", CTL_S(obs_when(ctl_str(o,
	    "taken_at"), ref, when, sizeof when)),
	    obs_readings_text(&r, text, sizeof text));
	printf("NEWS2 %lld — %s: %s", (long long)json_integer_value(
	    json_object_get(news2, "total")), obs_band_label(band),
	    b != NULL ? news2_response(b->band) : "see the NEWS2 chart");
	if (ctl_str(o, "next_due_at") != NULL)
		printf("; next observation due %s\n", CTL_S(obs_when(
		    ctl_str(o, "next_due_at"), ref, next, sizeof next)));
	else
		printf("; no further observation due (no plan running)\n");
	for (i = 0; i < OBS_NPARAMETERS; i++)
		if (json_integer_value(json_object_get(scores,
		    obs_parameters[i].key)) >= 3)
			printf("%s%s", threes++ == 0 ? "  scored 3: " : ", ",
			    obs_parameters[i].words);
	if (threes > 0)
		printf("\n");
	printf("  scores:");
	for (i = 0; i < OBS_NPARAMETERS; i++)
		printf("%s %s %lld", i > 0 ? "," : "", obs_parameters[i].words,
		    (long long)json_integer_value(json_object_get(scores,
		    obs_parameters[i].key)));
	printf("\n");
	if (b != NULL && b->alerted)
		printf("  the ward, the doctor on call and the managers have "
		    "been alerted\n");
}

#define OBS_RECORD_USAGE "usage: idtsctl obs record PATIENT [--at TIME] " \
	"[--rr N] [--spo2 N] [--scale 1|2] [--oxygen|--air] [--bp N] " \
	"[--pulse N] [--acvpu A|C|V|P|U] [--temp 37.2]"

/* What obs record was asked: the patient, when the observation was
 * taken, and the readings given (-1 each one not given). */
struct obs_record_args {
	const char		*patient;
	const char		*at;		/* NULL: now */
	struct obs_readings	 r;
	char			 missing[128];	/* options not given, or "" */
};

/* Take one option of obs record; CTL_OK or a usage error. */
static int
obs_record_option(int ch, struct obs_record_args *a)
{
	int	f;

	switch (ch) {
	case 'a':
		a->at = optarg;
		return ctl_time_check("--at", optarg);
	case 'o':
	case 'A':
		if (a->r.value[OBS_OXYGEN] != -1 &&
		    a->r.value[OBS_OXYGEN] != (ch == 'o'))
			return ctl_usage("give --oxygen or --air, not both");
		a->r.value[OBS_OXYGEN] = ch == 'o';
		return CTL_OK;
	case OBS_OPT(OBS_RR):
	case OBS_OPT(OBS_SPO2):
	case OBS_OPT(OBS_SCALE):
	case OBS_OPT(OBS_BP):
	case OBS_OPT(OBS_PULSE):
	case OBS_OPT(OBS_ACVPU):
	case OBS_OPT(OBS_TEMP):
		f = ch - OBS_OPT(0);
		if (obs_field_parse((enum obs_field)f, optarg, &a->r) == -1)
			return ctl_usage("%s", obs_fields[f].hint);
		return CTL_OK;
	default:
		return ctl_usage(OBS_RECORD_USAGE);
	}
}

/* Parse obs record's arguments, and name the readings not given, which
 * need a terminal to ask at; CTL_OK or a usage error. */
static int
obs_record_parse(int argc, char **argv, struct obs_record_args *a)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "rr", required_argument, NULL, OBS_OPT(OBS_RR) },
		{ "spo2", required_argument, NULL, OBS_OPT(OBS_SPO2) },
		{ "scale", required_argument, NULL, OBS_OPT(OBS_SCALE) },
		{ "oxygen", no_argument, NULL, 'o' },
		{ "air", no_argument, NULL, 'A' },
		{ "bp", required_argument, NULL, OBS_OPT(OBS_BP) },
		{ "pulse", required_argument, NULL, OBS_OPT(OBS_PULSE) },
		{ "acvpu", required_argument, NULL, OBS_OPT(OBS_ACVPU) },
		{ "temp", required_argument, NULL, OBS_OPT(OBS_TEMP) },
		{ NULL, 0, NULL, 0 }
	};
	size_t	len;
	int	ch, f, rc;

	memset(a, 0, sizeof *a);
	memset(&a->r, 0xff, sizeof a->r);	/* every value -1 */
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if ((rc = obs_record_option(ch, a)) != CTL_OK)
			return rc;
	if (optind != argc - 1)
		return ctl_usage(OBS_RECORD_USAGE);
	a->patient = argv[optind];
	for (f = 0; f < OBS_NFIELDS; f++)
		if (a->r.value[f] == -1) {
			len = strlen(a->missing);
			snprintf(a->missing + len, sizeof a->missing - len,
			    "%s%s", len > 0 ? ", " : "", f == OBS_OXYGEN ?
			    "--oxygen or --air" : obs_fields[f].option);
		}
	if (a->missing[0] != '\0' && !isatty(STDIN_FILENO))
		return ctl_usage("missing %s (and no terminal to ask at)\n%s",
		    a->missing, OBS_RECORD_USAGE);
	return CTL_OK;
}

/* Ask at the terminal for the readings not given, then whether to save
 * them; CTL_OK, or CTL_USAGE if they are not to be saved. */
static int
obs_record_ask(const json_t *patient, struct obs_record_args *a)
{
	char	text[512];

	if (a->missing[0] == '\0')
		return CTL_OK;
	fprintf(stderr, "observation of ");
	obs_patient_line(stderr, patient);
	if (obs_ask_missing(&a->r) == -1) {
		fputc('\n', stderr);
		return ctl_usage("not saved: the readings were not all given");
	}
	fprintf(stderr, "%s\n", obs_readings_text(&a->r, text, sizeof text));
	if (obs_yes("save this observation? [y/n] ") != 1) {
		fprintf(stderr, "idtsctl: not saved\n");
		return CTL_USAGE;
	}
	return CTL_OK;
}

/* POST /observations: the readings, taken at --at or now by the
 * daemon's clock; sets *answer. */
static int
obs_record_send(struct ctl *ctl, const json_t *patient,
    const struct obs_record_args *a, json_t **answer)
{
	char	taken[TIMEFMT_INSTANT_LEN], acvpu[2] = "";
	int64_t	taken_ms;
	int	rc;

	if ((rc = a->at != NULL ? ctl_time_arg(ctl, "--at", a->at, &taken_ms) :
	    ctl_now(ctl, &taken_ms)) != CTL_OK)
		return rc;
	timefmt_format_instant(taken_ms, taken);
	acvpu[0] = (char)a->r.value[OBS_ACVPU];
	return ctl_call_flags(ctl, "POST", "/observations",
	    json_pack("{s:s,s:s,s:i,s:i,s:i,s:b,s:i,s:i,s:s,s:f}",
	    "patient_id", ctl_str(patient, "id"), "taken_at", taken,
	    "respiratory_rate", a->r.value[OBS_RR],
	    "spo2", a->r.value[OBS_SPO2],
	    "spo2_scale", a->r.value[OBS_SCALE],
	    "on_oxygen", a->r.value[OBS_OXYGEN],
	    "systolic_bp", a->r.value[OBS_BP], "pulse", a->r.value[OBS_PULSE],
	    "consciousness", acvpu,
	    "temperature", a->r.value[OBS_TEMP] / 10.0), 201, answer,
	    CTL_SAY_MESSAGE);
}

/* obs record PATIENT [--at TIME] [readings]: the readings not given are
 * asked for at the terminal. */
int
ctl_obs_record(struct ctl *ctl, int argc, char **argv)
{
	struct obs_record_args	 a;
	json_t			*patient, *answer;
	int			 rc;

	if ((rc = obs_record_parse(argc, argv, &a)) != CTL_OK ||
	    (rc = ctl_patient_resolve(ctl, a.patient, &patient)) != CTL_OK)
		return rc;
	if ((rc = obs_record_ask(patient, &a)) == CTL_OK &&
	    (rc = obs_record_send(ctl, patient, &a, &answer)) == CTL_OK) {
		if (ctl->json)
			ctl_print_json(answer);
		else
			obs_record_print(patient, answer);
		json_decref(answer);
	}
	json_decref(patient);
	return rc;
}

/* --- who is due --------------------------------------------------------- */

/* A due and the place the daemon gave it, so that putting the overdue
 * first keeps the daemon's order (by due time) within each part. */
struct obs_due_row {
	json_t	*due;
	int	 overdue;
	size_t	 index;
};

static int
obs_due_cmp(const void *a, const void *b)
{
	const struct obs_due_row	*x = a, *y = b;

	if (x->overdue != y->overdue)
		return x->overdue ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void
obs_due_print(json_t *dues, int64_t now)
{
	static const char *const headers[] = {
		"DUE", "STATE", "PRISON NO", "NAME", "LOCATION", "EVERY",
		"LAST NEWS2", "PLAN ENDS"
	};
	struct obs_due_row	*rows;
	struct table		*t;
	const json_t		*d, *p, *last;
	const char		*cells[8];
	char			 due[32], state[64], name[256], every[32];
	char			 news[96], ends[32], at[32], len[32], nowt[32];
	size_t			 i, n = json_array_size(dues), overdue = 0;
	int64_t			 ms;

	if (n == 0) {
		printf("no observations due: no observation plan is running\n");
		return;
	}
	if ((rows = calloc(n, sizeof *rows)) == NULL)
		return;
	json_array_foreach(dues, i, d) {
		rows[i].due = (json_t *)d;
		rows[i].overdue = json_is_true(json_object_get(d, "overdue"));
		rows[i].index = i;
		overdue += (size_t)rows[i].overdue;
	}
	qsort(rows, n, sizeof *rows, obs_due_cmp);
	timefmt_format_instant(now, nowt);
	printf("observations: %zu plan%s running, %zu OVERDUE (now %s)\n\n",
	    n, n == 1 ? "" : "s", overdue, CTL_S(ctl_local_time(nowt,
	    CTL_TIME, at, sizeof at)));

	t = table_new(8, headers);
	for (i = 0; i < n; i++) {
		d = rows[i].due;
		p = json_object_get(d, "patient");
		last = json_object_get(d, "last_observation");
		if (timefmt_parse_instant(CTL_S(ctl_str(d, "next_due_at")),
		    &ms) == -1)
			ms = now;
		if (ctl_str(d, "away_since") != NULL)	/* none due */
			snprintf(state, sizeof state, "at court since %s",
			    CTL_S(ctl_local_time(ctl_str(d, "away_since"),
			    CTL_TIME, len, sizeof len)));
		else if (rows[i].overdue)
			snprintf(state, sizeof state, "OVERDUE %s",
			    words_minutes((now - ms) / MS_PER_MINUTE, len,
			    sizeof len));
		else if (now >= ms)
			snprintf(state, sizeof state, "due now");
		else
			snprintf(state, sizeof state, "in %s", words_minutes(
			    (ms - now + MS_PER_MINUTE - 1) / MS_PER_MINUTE,
			    len, sizeof len));
		if (json_is_integer(json_object_get(d, "interval_minutes")))
			words_minutes((long long)json_integer_value(
			    json_object_get(d, "interval_minutes")), every,
			    sizeof every);
		else	/* away: due at once on return */
			snprintf(every, sizeof every, "-");
		if (json_is_object(last))
			snprintf(news, sizeof news, "%lld %s at %s",
			    (long long)json_integer_value(json_object_get(last,
			    "total")), obs_band_label(ctl_str(last, "band")),
			    CTL_S(obs_when(ctl_str(last, "taken_at"), now, at,
			    sizeof at)));
		else
			snprintf(news, sizeof news, "none yet");
		cells[0] = obs_when(ctl_str(d, "next_due_at"), now, due,
		    sizeof due);
		cells[1] = state;
		cells[2] = ctl_str(p, "prison_number");
		cells[3] = obs_name(p, name, sizeof name);
		cells[4] = ctl_str(p, "location");
		cells[5] = every;
		cells[6] = news;
		cells[7] = ctl_local_time(ctl_str(json_object_get(d, "plan"),
		    "ends_at"), CTL_DATE_TIME, ends, sizeof ends);
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	free(rows);
}

/* obs due */
int
ctl_obs_due(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer;
	int64_t	 now;
	int	 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl obs due");
	if ((rc = ctl_call_flags(ctl, "GET", "/observations/due", NULL, 200,
	    &answer, CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else if ((rc = ctl_now(ctl, &now)) == CTL_OK)
		obs_due_print(answer, now);
	json_decref(answer);
	return rc;
}

/* --- plans: extend, and flag a stimulant user --------------------------- */

/* A patient's plan in a line, after what was done to it. */
static void
obs_plan_print(const json_t *p, const char *done, int64_t now)
{
	const json_t	*plan = json_object_get(p, "observation_plan");
	char		 name[256], ends[32], from[32], next[32];

	printf("%s  %s: %s\n", CTL_S(ctl_str(p, "prison_number")),
	    obs_name(p, name, sizeof name), done);
	if (!json_is_object(plan)) {
		printf("  no observation plan\n");
		return;
	}
	printf("  observed from %s until %s", CTL_S(ctl_local_time(
	    ctl_str(plan, "starts_at"), CTL_DATE_TIME, from, sizeof from)),
	    CTL_S(ctl_local_time(ctl_str(plan, "ends_at"), CTL_DATE_TIME,
	    ends, sizeof ends)));
	if (ctl_str(plan, "next_due_at") != NULL)
		printf("; next observation due %s\n", CTL_S(obs_when(
		    ctl_str(plan, "next_due_at"), now, next, sizeof next)));
	else
		printf("; no observation due\n");
}

/* obs extend PATIENT --until TIME */
int
ctl_obs_extend(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*until = NULL;
	json_t		*patient, *answer;
	char		 path[128], when[TIMEFMT_INSTANT_LEN];
	int64_t		 now, ms;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'u')
			return ctl_usage("usage: idtsctl obs extend PATIENT "
			    "--until TIME");
		if ((rc = ctl_time_check("--until", optarg)) != CTL_OK)
			return rc;
		until = optarg;
	}
	if (optind != argc - 1 || until == NULL)
		return ctl_usage("usage: idtsctl obs extend PATIENT --until "
		    "TIME");
	if ((rc = ctl_patient_resolve(ctl, argv[optind], &patient)) != CTL_OK)
		return rc;
	if ((rc = ctl_now(ctl, &now)) != CTL_OK ||
	    (rc = ctl_time_arg(ctl, "--until", until, &ms)) != CTL_OK) {
		json_decref(patient);
		return rc;
	}
	timefmt_format_instant(ms, when);
	snprintf(path, sizeof path, "/patients/%s/observation-plan",
	    ctl_str(patient, "id"));
	json_decref(patient);
	if ((rc = ctl_call_flags(ctl, "POST", path, json_pack("{s:s}",
	    "until", when), 200, &answer, CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		obs_plan_print(answer, "observation plan extended", now);
	json_decref(answer);
	return CTL_OK;
}

/* flag PATIENT --stimulant */
int
ctl_flag(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stimulant", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	json_t	*patient, *answer;
	char	 path[128];
	int64_t	 now;
	int	 ch, rc, stimulant = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 's')
			return ctl_usage("usage: idtsctl flag PATIENT "
			    "--stimulant");
		stimulant = 1;
	}
	if (optind != argc - 1 || !stimulant)
		return ctl_usage("usage: idtsctl flag PATIENT --stimulant");
	if ((rc = ctl_patient_resolve(ctl, argv[optind], &patient)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/patients/%s/flags",
	    ctl_str(patient, "id"));
	json_decref(patient);
	if ((rc = ctl_call_flags(ctl, "POST", path, json_pack("{s:b}",
	    "stimulant_user", 1), 200, &answer, CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else {
		if (ctl_now(ctl, &now) != CTL_OK)
			now = (int64_t)time(NULL) * MS_PER_SECOND;
		obs_plan_print(answer, "flagged as a stimulant user", now);
	}
	json_decref(answer);
	return CTL_OK;
}

/* --- the compliance report ------------------------------------------------ */

/* The cells of one set of counts: due, on time, late, late max/mean,
 * missed, pending, % on time; the bar when bar is given. */
struct obs_counts_text {
	char	due[16], on_time[16], late[16], late_minutes[48];
	char	missed[16], pending[16], percent[48];
	char	bar[OBS_BAR_WIDTH + 48];
};

static void
obs_counts(const json_t *c, struct obs_counts_text *t)
{
	const json_t	*pct = json_object_get(c, "on_time_percent");
	long long	 late = json_integer_value(json_object_get(c, "late"));
	long long	 tenths;
	int		 i, full;

#define OBS_COUNT(field, key)	snprintf(t->field, sizeof t->field, "%lld", \
	(long long)json_integer_value(json_object_get(c, key)))
	OBS_COUNT(due, "due");
	OBS_COUNT(on_time, "on_time");
	OBS_COUNT(late, "late");
	OBS_COUNT(missed, "missed");
	OBS_COUNT(pending, "pending");
#undef OBS_COUNT
	if (late > 0)
		snprintf(t->late_minutes, sizeof t->late_minutes,
		    "%lld/%lld min", (long long)json_integer_value(
		    json_object_get(c, "late_minutes_max")),
		    (long long)json_integer_value(json_object_get(c,
		    "late_minutes_mean")));
	else
		snprintf(t->late_minutes, sizeof t->late_minutes, "-");
	if (!json_is_number(pct)) {
		snprintf(t->percent, sizeof t->percent, "    -");
		snprintf(t->bar, sizeof t->bar, "(none due)");
		return;
	}
	tenths = (long long)(json_number_value(pct) * 10.0 + 0.5);
	if (tenths < 0 || tenths > 1000)
		tenths = tenths < 0 ? 0 : 1000;
	snprintf(t->percent, sizeof t->percent, "%5lld.%lld", tenths / 10,
	    tenths % 10);
	/* Only a whole 100% fills the bar. */
	full = (int)(tenths * OBS_BAR_WIDTH / 1000);
	for (i = 0; i < OBS_BAR_WIDTH; i++)
		t->bar[i] = i < full ? '#' : '.';
	snprintf(t->bar + OBS_BAR_WIDTH, sizeof t->bar - OBS_BAR_WIDTH,
	    " %lld.%lld%%", tenths / 10, tenths % 10);
}

static void
obs_report_print(const json_t *rep)
{
	static const char *const pheaders[] = {
		"PRISON NO", "NAME", "DATE", "DUE", "ON TIME", "LATE",
		"LATE MAX/MEAN", "MISSED", "PENDING", "% ON TIME"
	};
	static const char *const uheaders[] = {
		"DATE", "DUE", "ON TIME", "LATE", "LATE MAX/MEAN", "MISSED",
		"PENDING", "ON TIME (20 # = 100%)"
	};
	struct obs_counts_text	 c;
	struct table		*t;
	const json_t		*p, *d, *patients = json_object_get(rep,
				    "patients");
	const char		*cells[10];
	char			 name[256];
	size_t			 i, j;

	printf("observations of stimulant users, %s to %s\n\n",
	    CTL_S(ctl_str(rep, "from")), CTL_S(ctl_str(rep, "to")));
	if (json_array_size(patients) == 0)
		printf("no patient had an observation due\n");
	else {
		t = table_new(10, pheaders);
		json_array_foreach(patients, i, p) {
			cells[0] = ctl_str(json_object_get(p, "patient"),
			    "prison_number");
			cells[1] = obs_name(json_object_get(p, "patient"),
			    name, sizeof name);
			for (j = 0; j <= json_array_size(json_object_get(p,
			    "days")); j++) {
				d = j < json_array_size(json_object_get(p,
				    "days")) ? json_array_get(json_object_get(p,
				    "days"), j) : json_object_get(p, "totals");
				obs_counts(d, &c);
				cells[2] = d == json_object_get(p, "totals") ?
				    "total" : ctl_str(d, "date");
				cells[3] = c.due;
				cells[4] = c.on_time;
				cells[5] = c.late;
				cells[6] = c.late_minutes;
				cells[7] = c.missed;
				cells[8] = c.pending;
				cells[9] = c.percent;
				table_add(t, cells);
			}
		}
		table_print(t, stdout);
		table_free(t);
	}

	printf("\nthe unit, day by day\n");
	t = table_new(8, uheaders);
	for (j = 0; j <= json_array_size(json_object_get(rep, "days")); j++) {
		d = j < json_array_size(json_object_get(rep, "days")) ?
		    json_array_get(json_object_get(rep, "days"), j) :
		    json_object_get(rep, "totals");
		obs_counts(d, &c);
		cells[0] = d == json_object_get(rep, "totals") ? "TOTAL" :
		    ctl_str(d, "date");
		cells[1] = c.due;
		cells[2] = c.on_time;
		cells[3] = c.late;
		cells[4] = c.late_minutes;
		cells[5] = c.missed;
		cells[6] = c.pending;
		cells[7] = c.bar;
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
}


#define OBS_REPORT_USAGE "usage: idtsctl report obs --from YYYY-MM-DD " \
	"--to YYYY-MM-DD [--csv]"

/* report obs --from YYYY-MM-DD --to YYYY-MM-DD [--csv] */
int
ctl_report_obs(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "csv", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct civil_date	 from, to;
	const char		*from_s = NULL, *to_s = NULL;
	char			 path[128], from_d[TIMEFMT_DATE_LEN];
	char			 to_d[TIMEFMT_DATE_LEN];
	int			 ch, rc, csv = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			from_s = optarg;
			break;
		case 't':
			to_s = optarg;
			break;
		case 'c':
			csv = 1;
			break;
		default:
			return ctl_usage(OBS_REPORT_USAGE);
		}
	}
	if (optind != argc || from_s == NULL || to_s == NULL)
		return ctl_usage(OBS_REPORT_USAGE);
	if (csv && ctl->json)
		return ctl_usage("--csv and --json do not go together");
	/* The one date grammar: YYYY-MM-DD, today, yesterday. */
	if ((rc = ctl_date_arg(ctl, "--from", from_s, &from)) != CTL_OK ||
	    (rc = ctl_date_arg(ctl, "--to", to_s, &to)) != CTL_OK)
		return rc;
	if (timefmt_date_cmp(to, from) < 0)
		return ctl_usage("--to must not be before --from");
	timefmt_format_date(from, from_d);
	timefmt_format_date(to, to_d);
	snprintf(path, sizeof path, "/reports/observations?from=%s&to=%s",
	    from_d, to_d);
	return ctl_report_run(ctl, path, csv, obs_report_print);
}
