/* idtsctl movement add, depart, return, cancel, summary and list, and
 * court-list: court escorts, releases and transfers as reception books
 * them and as the night staff read them.  The daemon moves the morning
 * dose and raises the alerts; this file only asks and shows its answer. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"
#include "timefmt.h"
#include "validate.h"

#define MV_ADD_USAGE "usage: idtsctl movement add PRISON_NUMBER|PATIENT_ID " \
	"--kind court|release|transfer --departs TIME --to DESTINATION " \
	"[--follow-up TEXT]"

/* --- times ---------------------------------------------------------- */

/* The --departs or --at option (the one local time grammar) as the
 * API's RFC 3339. */
static int
mv_time_arg(struct ctl *ctl, const char *s, int past,
    char out[TIMEFMT_INSTANT_LEN])
{
	int64_t	ms;
	int	rc;

	if ((rc = ctl_time_arg(ctl, past ? "--at" : "--departs", s, &ms)) !=
	    CTL_OK)
		return rc;
	timefmt_format_instant(ms, out);
	return CTL_OK;
}

/* DATE: YYYY-MM-DD, today, tomorrow or yesterday (the unit's, by the
 * daemon's clock), as YYYY-MM-DD. */
static int
mv_date_arg(struct ctl *ctl, const char *s, char out[TIMEFMT_DATE_LEN])
{
	struct civil_date	day;
	int			rc;

	if ((rc = ctl_date_arg(ctl, "DATE", s, &day)) != CTL_OK)
		return rc;
	timefmt_format_date(day, out);
	return CTL_OK;
}

/* --- words ---------------------------------------------------------- */

/* "Smith, John" */
static const char *
mv_name(const json_t *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s", CTL_S(ctl_str(p, "family_name")),
	    CTL_S(ctl_str(p, "given_name")));
	return buf;
}

/* "Methadone 1mg/ml", as the round names a drug. */
static const char *
mv_drug(const json_t *product, char *buf, size_t size)
{
	const char	*strength = ctl_str(product, "strength");

	snprintf(buf, size, "%s%s%s", CTL_S(ctl_str(product, "name")),
	    strength && *strength ? " " : "", strength ? strength : "");
	return buf;
}

/* "60 ml Methadone 1mg/ml" */
static const char *
mv_dose_what(const json_t *d, char *buf, size_t size)
{
	char	amount[64], drug[256];

	snprintf(buf, size, "%s %s", CTL_S(ctl_amount_text(json_object_get(d,
	    "dose"), ctl_str(d, "unit"), amount, sizeof amount)),
	    mv_drug(json_object_get(d, "product"), drug, sizeof drug));
	return buf;
}

/* "08:00", or "08:00 (moved from 09:00)" while the booking's move
 * stands (a cancelled one has put it back). */
static const char *
mv_dose_due(const json_t *d, char *buf, size_t size)
{
	char	due[32], from[32];

	ctl_local_time(ctl_str(d, "due_at"), CTL_TIME, due, sizeof due);
	if (json_is_true(json_object_get(d, "moved")) &&
	    strcmp(CTL_S(ctl_str(d, "due_at")),
	    CTL_S(ctl_str(d, "original_due_at"))) != 0)
		snprintf(buf, size, "%s (moved from %s)", due,
		    CTL_S(ctl_local_time(ctl_str(d, "original_due_at"),
		    CTL_TIME, from, sizeof from)));
	else
		snprintf(buf, size, "%s", due);
	return buf;
}

/* A morning dose not given when the escort left. */
static int
mv_left_without(const json_t *d)
{
	const char	*state = ctl_str(d, "state");

	return state == NULL || strcmp(state, "given") != 0;
}

/* "Rita Reception (rita)" */
static const char *
mv_person(const json_t *p, char *buf, size_t size)
{
	if (!json_is_object(p))
		return NULL;
	snprintf(buf, size, "%s (%s)", CTL_S(ctl_str(p, "display_name")),
	    CTL_S(ctl_str(p, "username")));
	return buf;
}

/* --- one movement --------------------------------------------------- */

/* The movement's morning doses, a line each, or that there is none. */
static void
mv_print_doses(const json_t *m)
{
	const json_t	*doses = json_object_get(m, "morning_doses"), *d;
	char		 what[512], due[96];
	size_t		 i;

	if (json_array_size(doses) == 0) {
		printf("  morning dose  none: no dose today\n");
		return;
	}
	json_array_foreach(doses, i, d)
		printf("  morning dose  %s, due %s: %s\n", mv_dose_what(d, what,
		    sizeof what), mv_dose_due(d, due, sizeof due),
		    CTL_S(ctl_str(d, "state")));
}

/* A morning dose that can still be given. */
static int
mv_dose_open(const json_t *d)
{
	const char	*state = ctl_str(d, "state");

	return state != NULL && (strcmp(state, "scheduled") == 0 ||
	    strcmp(state, "due") == 0);
}

/* When the ward is alerted if the morning dose is still not given.  The
 * daemon forgets the time once the alert is raised (or was not needed),
 * and raises it at once when the booking leaves too little time: a
 * planned movement with no time and a dose still open has had it. */
static void
mv_print_lead(const json_t *m)
{
	const json_t	*doses = json_object_get(m, "morning_doses"), *d;
	const char	*lead = ctl_str(m, "lead_alert_at");
	const char	*state = ctl_str(m, "state");
	int64_t		 at, created;
	size_t		 i, open = 0;
	char		 when[32];

	if (lead != NULL) {
		ctl_local_time(lead, CTL_DATE_TIME, when, sizeof when);
		if (timefmt_parse_instant(lead, &at) == 0 &&
		    timefmt_parse_instant(CTL_S(ctl_str(m, "created_at")),
		    &created) == 0 && at <= created)
			printf("  lead alert    %s: raised at once\n", when);
		else
			printf("  lead alert    %s, if the morning dose is "
			    "not given by then\n", when);
		return;
	}
	if (json_array_size(doses) == 0) {
		printf("  lead alert    none (no morning dose)\n");
		return;
	}
	json_array_foreach(doses, i, d)
		open += mv_dose_open(d);
	if (open > 0 && state != NULL && strcmp(state, "planned") == 0)
		printf("  lead alert    raised: the ward has been told the "
		    "morning dose is not given\n");
}

/* A movement as reception and the ward read it. */
static void
mv_print(const json_t *m)
{
	const json_t	*p = json_object_get(m, "patient");
	char		 when[32], name[256], by[300];

	printf("%s to %s, departs %s: %s\n", CTL_S(ctl_str(m, "kind")),
	    CTL_S(ctl_str(m, "destination")), CTL_S(ctl_local_time(
	    ctl_str(m, "departs_at"), CTL_DATE_TIME, when, sizeof when)),
	    CTL_S(ctl_str(m, "state")));
	printf("  patient       %s  %s  %s\n",
	    CTL_S(ctl_str(p, "prison_number")), mv_name(p, name, sizeof name),
	    ctl_str(p, "location") ? ctl_str(p, "location") : "");
	if (ctl_str(m, "follow_up") != NULL)
		printf("  follow-up     %s\n", ctl_str(m, "follow_up"));
	mv_print_doses(m);
	mv_print_lead(m);
	if (ctl_str(m, "departed_at") != NULL)
		printf("  departed      %s%s%s\n", CTL_S(ctl_local_time(
		    ctl_str(m, "departed_at"), CTL_DATE_TIME, when,
		    sizeof when)), json_is_object(json_object_get(m,
		    "departed_by")) ? " by " : "", mv_person(json_object_get(m,
		    "departed_by"), by, sizeof by) ? by : "");
	if (ctl_str(m, "returned_at") != NULL)
		printf("  returned      %s\n", CTL_S(ctl_local_time(
		    ctl_str(m, "returned_at"), CTL_DATE_TIME, when,
		    sizeof when)));
	if (ctl_str(m, "cancelled_at") != NULL)
		printf("  cancelled     %s: %s\n", CTL_S(ctl_local_time(
		    ctl_str(m, "cancelled_at"), CTL_DATE_TIME, when,
		    sizeof when)), CTL_S(ctl_str(m, "cancel_reason")));
	printf("  id            %s\n", CTL_S(ctl_str(m, "id")));
}

/* After a departure: each morning dose the patient left without, which
 * the daemon has recorded as missed and told the managers of. */
static void
mv_print_departure(const json_t *m)
{
	const json_t	*doses = json_object_get(m, "morning_doses"), *d;
	char		 what[512], due[96];
	size_t		 i, left = 0;

	json_array_foreach(doses, i, d)
		if (mv_left_without(d)) {
			printf("LEFT WITHOUT DOSE: %s, due %s: %s\n",
			    mv_dose_what(d, what, sizeof what),
			    mv_dose_due(d, due, sizeof due),
			    CTL_S(ctl_str(d, "state")));
			left++;
		}
	if (left > 0)
		printf("  the managers have been alerted\n");
	else if (json_array_size(doses) > 0)
		printf("the morning dose was given before the escort left\n");
	if (ctl_str(m, "kind") != NULL && strcmp(ctl_str(m, "kind"),
	    "court") != 0)
		printf("care here ends: prescriptions are stopped, and the "
		    "observation plan and clocks ended, from the departure\n"
		    "  the %s: idtsctl movement summary %s\n",
		    strcmp(ctl_str(m, "kind"), "release") == 0 ?
		    "discharge letter" : "prescription summary",
		    CTL_S(ctl_str(m, "id")));
}

/* --- resolving ------------------------------------------------------ */

/* The patient a movement is for: an id as given (the daemon says if it
 * names nobody), or a prison number, the one in custody if any; one no
 * longer in custody is sent on, for the daemon to say so. */
static int
mv_patient(struct ctl *ctl, const char *arg, char id[UUID_STR_LEN])
{
	char		 number[PRISON_NUMBER_LEN];
	json_t		*all, *p;
	const char	*found = NULL;
	size_t		 i;
	int		 rc;

	if (validate_uuid(arg) == 0) {
		snprintf(id, UUID_STR_LEN, "%s", arg);
		return CTL_OK;
	}
	if (validate_prison_number(arg, number) == -1)
		return ctl_usage("%s is neither a prison number (A1234BC) nor "
		    "a patient's id", arg);	/* checked before, by add */
	if ((rc = ctl_call_flags(ctl, "GET", "/patients", NULL, 200, &all,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	json_array_foreach(all, i, p) {
		if (ctl_str(p, "prison_number") == NULL ||
		    strcmp(ctl_str(p, "prison_number"), number) != 0)
			continue;
		if (found == NULL || (ctl_str(p, "status") != NULL &&
		    strcmp(ctl_str(p, "status"), "in_custody") == 0))
			found = ctl_str(p, "id");
	}
	if (found != NULL)
		snprintf(id, UUID_STR_LEN, "%s", found);
	json_decref(all);
	if (found == NULL) {
		/* The daemon's code for a patient it does not know. */
		fprintf(stderr, "idtsctl: there is no patient with prison "
		    "number %s [unknown_patient]\n", number);
		return CTL_REFUSED;
	}
	return CTL_OK;
}

/* MOVEMENT_ID, as add and list print it, or its start. */
static int
mv_id_arg(const char *arg, const char *usage)
{
	if (ctl_id_arg("a movement", arg) != CTL_OK)
		return ctl_usage("%s", usage);
	return CTL_OK;
}

/* --- add, depart, return, cancel ------------------------------------ */

/* Print a movement the daemon answered with. */
static void
mv_answer(struct ctl *ctl, json_t *answer, int departed)
{
	if (ctl->json) {
		ctl_print_json(answer);
		return;
	}
	mv_print(answer);
	if (departed)
		mv_print_departure(answer);
}

/* movement add PATIENT --kind K --departs TIME --to DEST [--follow-up T] */
int
ctl_movement_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "departs", required_argument, NULL, 'd' },
		{ "to", required_argument, NULL, 't' },
		{ "follow-up", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*kind = NULL, *departs = NULL, *to = NULL;
	const char	*follow_up = NULL;
	char		 id[UUID_STR_LEN], at[TIMEFMT_INSTANT_LEN];
	char		 number[PRISON_NUMBER_LEN];
	json_t		*body, *answer;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'k': kind = optarg; break;
		case 'd': departs = optarg; break;
		case 't': to = optarg; break;
		case 'f': follow_up = optarg; break;
		default: return ctl_usage(MV_ADD_USAGE);
		}
	}
	if (optind != argc - 1 || kind == NULL || departs == NULL ||
	    to == NULL || *to == '\0')
		return ctl_usage(MV_ADD_USAGE);
	if (strcmp(kind, "court") != 0 && strcmp(kind, "release") != 0 &&
	    strcmp(kind, "transfer") != 0)
		return ctl_usage("--kind is court, release or transfer");
	if (follow_up != NULL && strcmp(kind, "release") != 0)
		return ctl_usage("--follow-up is the community follow-up of a "
		    "release");
	if (validate_uuid(argv[optind]) == -1 &&
	    validate_prison_number(argv[optind], number) == -1)
		return ctl_usage("%s is neither a prison number (A1234BC) nor "
		    "a patient's id", argv[optind]);
	if ((rc = mv_time_arg(ctl, departs, 0, at)) != CTL_OK ||
	    (rc = mv_patient(ctl, argv[optind], id)) != CTL_OK)
		return rc;
	body = json_pack("{s:s,s:s,s:s,s:s}", "patient_id", id, "kind", kind,
	    "departs_at", at, "destination", to);
	if (follow_up != NULL)
		json_object_set_new(body, "follow_up", json_string(follow_up));
	if ((rc = ctl_call_flags(ctl, "POST", "/movements", body, 201, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (!ctl->json)
		printf("booked: ");
	mv_answer(ctl, answer, 0);
	json_decref(answer);
	return CTL_OK;
}

/* depart and return: MOVEMENT_ID [--at TIME], by default now. */
static int
mv_step(struct ctl *ctl, int argc, char **argv, const char *action)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*at_arg = NULL;
	char		 usage[128], path[128], at[TIMEFMT_INSTANT_LEN];
	json_t		*body, *answer;
	int		 ch, rc;

	snprintf(usage, sizeof usage, "usage: idtsctl movement %s MOVEMENT_ID "
	    "[--at TIME]", action);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'a')
			return ctl_usage("%s", usage);
		at_arg = optarg;
	}
	if (optind != argc - 1)
		return ctl_usage("%s", usage);
	if ((rc = mv_id_arg(argv[optind], usage)) != CTL_OK)
		return rc;
	body = json_object();
	if (at_arg != NULL) {
		if ((rc = mv_time_arg(ctl, at_arg, 1, at)) != CTL_OK) {
			json_decref(body);
			return rc;
		}
		json_object_set_new(body, "at", json_string(at));
	}
	snprintf(path, sizeof path, "/movements/%s/%s", argv[optind], action);
	if ((rc = ctl_call_flags(ctl, "POST", path, body, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	mv_answer(ctl, answer, strcmp(action, "depart") == 0);
	json_decref(answer);
	return CTL_OK;
}

int
ctl_movement_depart(struct ctl *ctl, int argc, char **argv)
{
	return mv_step(ctl, argc, argv, "depart");
}

int
ctl_movement_return(struct ctl *ctl, int argc, char **argv)
{
	return mv_step(ctl, argc, argv, "return");
}

/* movement cancel MOVEMENT_ID --reason TEXT */
int
ctl_movement_cancel(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	static const char usage[] = "usage: idtsctl movement cancel "
	    "MOVEMENT_ID --reason TEXT";
	const char	*reason = NULL;
	char		 path[128];
	json_t		*answer;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'r')
			return ctl_usage(usage);
		reason = optarg;
	}
	if (optind != argc - 1 || reason == NULL || *reason == '\0')
		return ctl_usage(usage);
	if ((rc = mv_id_arg(argv[optind], usage)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/movements/%s/cancel", argv[optind]);
	if ((rc = ctl_call_flags(ctl, "POST", path, json_pack("{s:s}",
	    "reason", reason), 200, &answer, CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	mv_answer(ctl, answer, 0);
	if (!ctl->json && json_array_size(json_object_get(answer,
	    "morning_doses")) > 0)
		printf("the morning doses are back at their own times\n");
	json_decref(answer);
	return CTL_OK;
}

/* The parts of movement follow-up's answer a person reads. */
static void
mv_follow_up_print(const json_t *f)
{
	const char	*state = CTL_S(ctl_str(f, "state"));

	printf("follow-up %s: %s on %s (the 21 days end with %s)\n",
	    strcmp(state, "met") == 0 ? "met" : "NOT met",
	    json_is_true(json_object_get(f, "attended")) ? "attended" :
	    "not attended", CTL_S(ctl_str(f, "on")),
	    CTL_S(ctl_str(f, "last_day")));
}

#define MV_FOLLOW_UP_USAGE "usage: idtsctl movement follow-up MOVEMENT_ID " \
	"--attended yes|no --on YYYY-MM-DD [--note TEXT]"

/* movement follow-up MOVEMENT_ID --attended yes|no --on DATE [--note] */
int
ctl_movement_follow_up(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "attended", required_argument, NULL, 'a' },
		{ "on", required_argument, NULL, 'o' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*attended = NULL, *on = NULL, *note = NULL;
	char		 path[128];
	json_t		*body, *answer;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'a':
			attended = optarg;
			break;
		case 'o':
			on = optarg;
			break;
		case 'n':
			note = optarg;
			break;
		default:
			return ctl_usage(MV_FOLLOW_UP_USAGE);
		}
	if (optind != argc - 1 || on == NULL || attended == NULL ||
	    (strcmp(attended, "yes") != 0 && strcmp(attended, "no") != 0))
		return ctl_usage(MV_FOLLOW_UP_USAGE);
	if ((rc = mv_id_arg(argv[optind], MV_FOLLOW_UP_USAGE)) != CTL_OK)
		return rc;
	body = json_pack("{s:b,s:s}", "attended", strcmp(attended, "yes") == 0,
	    "on", on);
	if (note != NULL)
		json_object_set_new(body, "note", json_string(note));
	snprintf(path, sizeof path, "/movements/%s/follow-up", argv[optind]);
	if ((rc = ctl_call_flags(ctl, "POST", path, body, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		mv_follow_up_print(answer);
	json_decref(answer);
	return CTL_OK;
}

/* --- summary -------------------------------------------------------- */


/* movement summary MOVEMENT_ID [--json]: the escort's prescription
 * summary or the discharge letter, ready to print. */
int
ctl_movement_summary(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "print", no_argument, NULL, 'p' },
		{ "html", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char usage[] = "usage: idtsctl movement summary "
	    "MOVEMENT_ID [--json|--print|--html]";
	char	 path[128], title[80];
	json_t	*answer;
	int	 ch, rc, how = 't';

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'j' && ch != 'p' && ch != 'h')
			return ctl_usage(usage);
		how = ch;
	}
	if (optind != argc - 1)
		return ctl_usage(usage);
	if ((rc = mv_id_arg(argv[optind], usage)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/movements/%s/summary", argv[optind]);
	snprintf(title, sizeof title, "idtsd movement %.8s", argv[optind]);
	if (how == 'p')
		return ctl_print_text(ctl, path, title);
	if (how == 'h')	/* the printable page, for a browser */
		return ctl_get_text(ctl, path, "text/html");
	if (how == 't' && !ctl->json)
		return ctl_get_text(ctl, path, "text/plain");
	if ((rc = ctl_call_flags(ctl, "GET", path, NULL, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	ctl_print_json(answer);
	json_decref(answer);
	return CTL_OK;
}

/* --- the list ------------------------------------------------------- */

#define MV_NCOLUMNS	11

/* The dose cells of a row: a morning dose, or "no dose today". */
static void
mv_list_dose(const json_t *d, const char *cells[MV_NCOLUMNS],
    char *what, size_t wsize, char *due, size_t dsize)
{
	if (d == NULL) {
		cells[7] = "no dose today";
		cells[8] = "";
		cells[9] = "";
		return;
	}
	cells[7] = mv_dose_what(d, what, wsize);
	cells[8] = mv_dose_due(d, due, dsize);
	cells[9] = ctl_str(d, "state");
}

/* A table row for each movement, and one more for each morning dose
 * after its first (a second prescription), under the first. */
static void
mv_list_print(const json_t *list, const char *date, const char *what)
{
	static const char *const headers[MV_NCOLUMNS] = {
		"DEPARTS", "PRISON NO", "NAME", "LOCATION", "DESTINATION",
		"KIND", "STATE", "MORNING DOSE", "DUE", "DOSE STATE", "ID"
	};
	struct table	*t;
	const json_t	*m, *p, *doses;
	const char	*cells[MV_NCOLUMNS];
	char		 departs[32], name[256], dwhat[512], due[96];
	size_t		 i, j, c, n = json_array_size(list);

	if (n == 0) {
		printf("%s on %s: nobody\n", what, date);
		return;
	}
	printf("%s on %s: %zu %s\n\n", what, date, n,
	    n == 1 ? "person" : "people");
	t = table_new(MV_NCOLUMNS, headers);
	json_array_foreach(list, i, m) {
		p = json_object_get(m, "patient");
		doses = json_object_get(m, "morning_doses");
		cells[0] = ctl_local_time(ctl_str(m, "departs_at"), CTL_TIME,
		    departs, sizeof departs);
		cells[1] = ctl_str(p, "prison_number");
		cells[2] = mv_name(p, name, sizeof name);
		cells[3] = ctl_str(p, "location");
		cells[4] = ctl_str(m, "destination");
		cells[5] = ctl_str(m, "kind");
		cells[6] = ctl_str(m, "state");
		cells[10] = ctl_str(m, "id");
		mv_list_dose(json_array_get(doses, 0), cells, dwhat,
		    sizeof dwhat, due, sizeof due);
		table_add(t, cells);
		for (j = 1; j < json_array_size(doses); j++) {
			for (c = 0; c < MV_NCOLUMNS; c++)
				cells[c] = "";
			mv_list_dose(json_array_get(doses, j), cells, dwhat,
			    sizeof dwhat, due, sizeof due);
			table_add(t, cells);
		}
	}
	table_print(t, stdout);
	table_free(t);
}

/* movement list [DATE] and court-list [DATE]. */
static int
mv_list(struct ctl *ctl, int argc, char **argv, const char *kind,
    const char *dflt, const char *usage, const char *what)
{
	char	 date[TIMEFMT_DATE_LEN], path[128];
	json_t	*answer;
	int	 rc;

	/* No options; "--" ends them as usual. */
	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return ctl_usage("%s", usage);
	if ((rc = mv_date_arg(ctl, argc == 2 ? argv[1] : dflt, date)) !=
	    CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/movements?date=%s%s%s", date,
	    kind ? "&kind=" : "", kind ? kind : "");
	if ((rc = ctl_call_flags(ctl, "GET", path, NULL, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		mv_list_print(answer, date, what);
	json_decref(answer);
	return CTL_OK;
}

int
ctl_movement_list(struct ctl *ctl, int argc, char **argv)
{
	return mv_list(ctl, argc, argv, NULL, "today",
	    "usage: idtsctl movement list [YYYY-MM-DD|today|tomorrow]",
	    "movements");
}

int
ctl_court_list(struct ctl *ctl, int argc, char **argv)
{
	return mv_list(ctl, argc, argv, "court", "tomorrow",
	    "usage: idtsctl court-list [YYYY-MM-DD|today|tomorrow]",
	    "court list");
}
