/* idtsctl patient add (reception's form), list and show. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idtsctl.h"
#include "table.h"
#include "validate.h"

/* The fields of reception's form, as options or answers to prompts. */
struct ctl_arrival {
	const char	*number, *given, *family, *dob, *location, *arrived;
	const char	*drug, *dose, *unit, *prescriber, *last_dose;
	int		 stimulant;	/* -1: not said */
	char		 answers[11][128];
};

/* Ask for a field the options did not give; -1 if it cannot be asked. */
static int
ctl_arrival_ask(struct ctl_arrival *a, const char **field, int slot,
    const char *prompt)
{
	if (*field != NULL)
		return 0;
	if (ctl_ask(prompt, a->answers[slot], sizeof a->answers[slot], 0) ==
	    -1 || a->answers[slot][0] == '\0')
		return -1;
	*field = a->answers[slot];
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

/* The arrival time: what was given, or the daemon's now (which is the
 * test clock's time when one runs). */
static int
ctl_arrival_now(struct ctl *ctl, struct ctl_arrival *a)
{
	json_t	*health;
	int	 rc;

	if (a->arrived != NULL)
		return CTL_OK;
	if ((rc = ctl_call(ctl, "GET", "/health", NULL, 200, &health)) !=
	    CTL_OK)
		return rc;
	snprintf(a->answers[10], sizeof a->answers[10], "%s",
	    ctl_str(health, "now"));
	a->arrived = a->answers[10];
	json_decref(health);
	return CTL_OK;
}

/* Fill in what is missing, at a terminal; a usage error otherwise. */
static int
ctl_arrival_complete(struct ctl_arrival *a)
{
	int	in_treatment = a->drug != NULL;

	if (ctl_arrival_ask(a, &a->number, 0, "prison number: ") == -1 ||
	    ctl_arrival_ask(a, &a->given, 1, "given name: ") == -1 ||
	    ctl_arrival_ask(a, &a->family, 2, "family name: ") == -1 ||
	    ctl_arrival_ask(a, &a->dob, 3, "date of birth (YYYY-MM-DD): ") ==
	    -1 ||
	    ctl_arrival_ask(a, &a->location, 4, "location (cell): ") == -1)
		return ctl_usage("missing --number, --given, --family, --dob or "
		    "--location (and no terminal to ask at)");
	if (a->stimulant == -1)
		a->stimulant = ctl_arrival_yes("current stimulant user? [y/n] ")
		    == 1;
	if (!in_treatment && a->dose == NULL && isatty(0))
		in_treatment = ctl_arrival_yes("already in treatment in the "
		    "community? [y/n] ") == 1;
	if (!in_treatment)
		return 0;
	if (ctl_arrival_ask(a, &a->drug, 5, "drug: ") == -1 ||
	    ctl_arrival_ask(a, &a->dose, 6, "dose: ") == -1 ||
	    ctl_arrival_ask(a, &a->unit, 7, "unit (ml, mg, tablet): ") == -1 ||
	    ctl_arrival_ask(a, &a->prescriber, 8, "community prescriber: ") ==
	    -1)
		return ctl_usage("community treatment needs --treatment, --dose, "
		    "--unit and --prescriber");
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
		    "last_dose_at", a->last_dose);
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}",
	    "prison_number", a->number, "given_name", a->given,
	    "family_name", a->family, "date_of_birth", a->dob,
	    "arrived_at", a->arrived, "location", a->location,
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
	if ((rc = ctl_arrival_complete(&a)) != 0 ||
	    (rc = ctl_arrival_now(ctl, &a)) != CTL_OK)
		return rc;
	if ((rc = ctl_call(ctl, "POST", "/patients", ctl_arrival_json(&a), 201,
	    &answer)) != CTL_OK)
		return rc;
	ctl_patient_print(ctl, answer);
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

/* show ID or PRISON_NUMBER (of someone in custody). */
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
	else {
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
