/* idtsctl round (the day's doses as the nurse sees them), give, refuse
 * and withhold. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "idtsctl.h"
#include "table.h"
#include "timefmt.h"
#include "validate.h"
#include "words.h"

#define DOSE_PREFIX_MIN	8
#define DOSE_NOTE_MAX	(500 * 4 + 1)	/* characters, as the daemon takes */

/* "Smith, John" */
static const char *
ctl_person_name(const json_t *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s", ctl_str(p, "family_name") ?
	    ctl_str(p, "family_name") : "?", ctl_str(p, "given_name") ?
	    ctl_str(p, "given_name") : "?");
	return buf;
}

/* "Methadone 1mg/ml": the drug as the round names it (the form is on
 * the register's page). */
static const char *
ctl_drug(const json_t *product, char *buf, size_t size)
{
	const char	*strength = ctl_str(product, "strength");

	snprintf(buf, size, "%s%s%s", ctl_str(product, "name") ?
	    ctl_str(product, "name") : "?", strength && *strength ? " " : "",
	    strength ? strength : "");
	return buf;
}

/* What a dose's record says: who gave and witnessed it, or why not. */
static const char *
ctl_dose_detail(const json_t *d, char *buf, size_t size)
{
	const json_t	*by = json_object_get(d, "administered_by");
	const json_t	*wit = json_object_get(d, "witnessed_by");
	const json_t	*rec = json_object_get(d, "recorded_by");
	const char	*reason = ctl_str(d, "reason");
	const char	*note = ctl_str(d, "note");
	char		 at[16] = "";

	buf[0] = '\0';
	ctl_local_time(ctl_str(d, "recorded_at"), CTL_TIME, at, sizeof at);
	if (json_is_object(by))
		snprintf(buf, size, "%s%sby %s, witness %s%s%s", at,
		    *at ? " " : "", ctl_str(by, "username"),
		    json_is_object(wit) ? ctl_str(wit, "username") : "?",
		    note ? ": " : "", note ? note : "");
	else if (reason != NULL)
		snprintf(buf, size, "%s%s%s%s%s", at, *at ? " " : "",
		    json_is_object(rec) ? CTL_S(ctl_str(rec, "username")) : "",
		    json_is_object(rec) ? ": " : "", reason);
	else if (ctl_str(d, "state") && strcmp(ctl_str(d, "state"),
	    "held") == 0)
		snprintf(buf, size, "prescription held for review");
	return *buf ? buf : NULL;
}

/* A dose in a sentence: "30 ml Methadone 1mg/ml for D1001AA Smith, John
 * (A1-01), due 08:00". */
static const char *
ctl_dose_text(const json_t *d, char *buf, size_t size)
{
	const json_t	*p = json_object_get(d, "patient");
	char		 amount[AMOUNT_TEXT_LEN], drug[256], name[256];
	char		 due[16];

	snprintf(buf, size, "%s %s for %s %s (%s), due %s",
	    amount_json_text(json_object_get(d, "dose"), ctl_str(d, "unit"),
	    json_object_get(d, "active"), amount) == 0 ? amount : "?",
	    ctl_drug(json_object_get(d, "product"), drug, sizeof drug),
	    ctl_str(p, "prison_number") ? ctl_str(p, "prison_number") : "?",
	    ctl_person_name(p, name, sizeof name),
	    ctl_str(p, "location") ? ctl_str(p, "location") : "?",
	    ctl_local_time(ctl_str(d, "due_at"), CTL_TIME, due, sizeof due) ?
	    due : "?");
	return buf;
}

static void
ctl_round_print(json_t *doses, const char *date)
{
	static const char *const headers[] = {
		"TIME", "LOCATION", "PRISON NO", "NAME", "DRUG", "DOSE",
		"STATE", "DETAIL", "ID"
	};
	struct table		*t;
	json_t			*rows;
	json_t			*d, *p;
	const char		*cells[9];
	char			 time[16], name[256], drug[256];
	char			 amount[AMOUNT_TEXT_LEN];
	char			 detail[1024], id[DOSE_PREFIX_MIN + 1];
	size_t			 i, n = json_array_size(doses);
	size_t			 count[WORDS_ROUND_NSTATES + 1] = { 0 }, c;

	if (n == 0) {
		printf("no doses %s%s\n", date ? "on " : "today",
		    date ? date : "");
		return;
	}
	if ((rows = words_round_sort(doses)) == NULL)
		return;
	json_array_foreach(rows, i, d)
		count[words_round_rank(ctl_str(d, "state"))]++;

	printf("round %s%s:", date ? "of " : "today", date ? date : "");
	for (i = 0, c = 0; i <= WORDS_ROUND_NSTATES; i++)
		if (count[i] > 0)
			printf("%s %zu %s", c++ > 0 ? "," : "", count[i],
			    words_round_state(i));
	printf("\n\n");

	t = table_new(9, headers);
	json_array_foreach(rows, i, d) {
		p = json_object_get(d, "patient");
		snprintf(id, sizeof id, "%s", ctl_str(d, "id") ?
		    ctl_str(d, "id") : "");
		cells[0] = ctl_local_time(ctl_str(d, "due_at"), CTL_TIME, time,
		    sizeof time);
		cells[1] = ctl_str(p, "location");
		cells[2] = ctl_str(p, "prison_number");
		cells[3] = ctl_person_name(p, name, sizeof name);
		cells[4] = ctl_drug(json_object_get(d, "product"), drug,
		    sizeof drug);
		cells[5] = amount_json_text(json_object_get(d, "dose"),
		    ctl_str(d, "unit"), json_object_get(d, "active"),
		    amount) == 0 ? amount : NULL;
		cells[6] = ctl_str(d, "state");
		cells[7] = ctl_dose_detail(d, detail, sizeof detail);
		cells[8] = id;
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	ctl_rota_on_duty_say(rows, stdout);
	json_array_foreach(rows, i, d)
		ctl_override_say(d, "FIRST DOSE of a prescription ", stdout);
	json_decref(rows);
}

/* round [--date YYYY-MM-DD] [--state due,...] */
int
ctl_round(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct civil_date	 day;
	const char		*date = NULL, *state = NULL;
	char			 path[256], date_buf[TIMEFMT_DATE_LEN];
	json_t			*answer;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			date = optarg;
		else if (ch == 's')
			state = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc || (state != NULL &&
	    (strlen(state) > 100 || strspn(state,
	    "abcdefghijklmnopqrstuvwxyz,") != strlen(state))))
		return ctl_usage("usage: idtsctl round [--date DATE] "
		    "[--state due,scheduled,given,...]");
	/* The one date grammar: YYYY-MM-DD, today, yesterday, tomorrow. */
	if (date != NULL) {
		if ((rc = ctl_date_arg(ctl, "--date", date, &day)) != CTL_OK)
			return rc;
		timefmt_format_date(day, date_buf);
		date = date_buf;
	}
	snprintf(path, sizeof path, "/doses%s%s%s%s", date ? "?date=" : "",
	    date ? date : "", state ? (date ? "&state=" : "?state=") : "",
	    state ? state : "");
	if ((rc = ctl_call_flags(ctl, "GET", path, NULL, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		ctl_round_print(answer, date);
	json_decref(answer);
	return CTL_OK;
}

/* A dose by its id, or any unique start of it of 8 or more characters
 * as round shows it: the daemon expands it (short_id.c). */
static int
ctl_dose_resolve(struct ctl *ctl, const char *arg, json_t **dose)
{
	char	path[128];
	int	rc;

	*dose = NULL;
	if ((rc = ctl_id_arg("a dose", arg)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/doses/%s", arg);
	return ctl_call_flags(ctl, "GET", path, NULL, 200, dose,
	    CTL_SAY_MESSAGE);
}

/* A dose given, for people: what, when, by whom, the register. */
static void
ctl_give_print(const json_t *answer, const char *text)
{
	const json_t	*by = json_object_get(answer, "administered_by");
	const json_t	*w = json_object_get(answer, "witnessed_by");
	char		 when[32], amount[64];

	printf("given: %s\n", text);
	printf("  at            %s\n", CTL_S(ctl_local_time(ctl_str(answer,
	    "at"), CTL_DATE_TIME, when, sizeof when)));
	printf("  given by      %s (%s)\n", CTL_S(ctl_str(by, "display_name")),
	    CTL_S(ctl_str(by, "username")));
	printf("  witnessed by  %s (%s)\n", CTL_S(ctl_str(w, "display_name")),
	    CTL_S(ctl_str(w, "username")));
	printf("  register      entry %s, balance after %s\n",
	    CTL_S(ctl_str(answer, "register_entry_id")),
	    CTL_S(ctl_amount_text(json_object_get(answer, "balance_after"),
	    ctl_str(answer, "unit"), amount, sizeof amount)));
}

/* Whether code is among the --confirm flags (a list of codes). */
static int
ctl_give_flagged(const json_t *flags, const char *code)
{
	const json_t	*v;
	size_t		 i;

	json_array_foreach(flags, i, v)
		if (strcmp(json_string_value(v), code) == 0)
			return 1;
	return 0;
}

/* The dose's cautions, each in full, before the witness's PIN: one not
 * confirmed by --confirm is asked about at a terminal (y to confirm),
 * and a note asked for if there is none.  Any answer but y stops, with
 * nothing sent; without a terminal the daemon's 409 says what is
 * missing. */
static int
ctl_give_cautions(const json_t *dose, json_t *flags, char *note,
    size_t size)
{
	const json_t	*c;
	char		 prompt[128], yes[8];
	size_t		 i;

	json_array_foreach(json_object_get(dose, "cautions"), i, c) {
		fprintf(stderr, "CAUTION %s: %s\n", CTL_S(ctl_str(c, "code")),
		    CTL_S(ctl_str(c, "message")));
		if (ctl_str(c, "code") == NULL ||
		    ctl_give_flagged(flags, ctl_str(c, "code")))
			continue;
		snprintf(prompt, sizeof prompt, "confirm %s: considered, and "
		    "safe to give? [y/N] ", ctl_str(c, "code"));
		if (ctl_ask(prompt, yes, sizeof yes, 0) == -1)
			continue;
		if (strcmp(yes, "y") != 0 && strcmp(yes, "yes") != 0) {
			fprintf(stderr, "idtsctl: not given: a caution was not "
			    "confirmed\n");
			return CTL_REFUSED;
		}
		json_array_append_new(flags, json_string(ctl_str(c, "code")));
	}
	if (i > 0 && note[0] == '\0')
		(void)ctl_ask("note (why it is safe to give): ", note, size, 0);
	return CTL_OK;
}

/* A dose held for review cannot go ahead: said before anyone is asked for
 * a witness PIN (the daemon would refuse it after). */
static int
ctl_give_not_held(const json_t *dose)
{
	if (ctl_str(dose, "state") == NULL ||
	    strcmp(ctl_str(dose, "state"), "held") != 0)
		return CTL_OK;
	fprintf(stderr, "idtsctl: the prescription is held for review after "
	    "doses not taken; a prescriber must review it first; no witness "
	    "PIN asked [held_for_review]\n");
	return CTL_REFUSED;
}

/* give DOSE --witness USERNAME [--confirm CODE]... [--note TEXT] */
int
ctl_give(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "witness", required_argument, NULL, 'w' },
		{ "note", required_argument, NULL, 'n' },
		{ "confirm", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*witness = NULL;
	json_t		*dose = NULL, *wit, *body, *answer;
	json_t		*flags = json_array();
	char		 path[128], text[1024], note[DOSE_NOTE_MAX] = "";
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'w')
			witness = optarg;
		else if (ch == 'n')
			snprintf(note, sizeof note, "%s", optarg);
		else if (ch == 'c')
			json_array_append_new(flags, json_string(optarg));
		else {
			json_decref(flags);
			return CTL_USAGE;
		}
	}
	if (optind != argc - 1 || witness == NULL ||
	    validate_username(witness) == -1) {
		json_decref(flags);
		return ctl_usage("usage: idtsctl give DOSE --witness USERNAME "
		    "[--confirm CODE]... [--note TEXT]");
	}
	if ((rc = ctl_dose_resolve(ctl, argv[optind], &dose)) != CTL_OK ||
	    (rc = ctl_give_not_held(dose)) != CTL_OK ||
	    (rc = ctl_give_cautions(dose, flags, note, sizeof note)) !=
	    CTL_OK) {
		json_decref(dose);
		json_decref(flags);
		return rc;
	}
	ctl_dose_text(dose, text, sizeof text);
	ctl_override_say(dose, "FIRST DOSE of a prescription ", stderr);
	if ((rc = ctl_witness(witness, text, &wit)) != CTL_OK) {
		json_decref(dose);
		json_decref(flags);
		return rc;
	}
	body = json_pack("{s:o,s:o}", "witness", wit, "confirm_cautions",
	    flags);
	if (note[0] != '\0')
		json_object_set_new(body, "note", json_string(note));
	snprintf(path, sizeof path, "/doses/%s/administer",
	    ctl_str(dose, "id"));
	if ((rc = ctl_call_flags(ctl, "POST", path, body, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK) {
		json_decref(dose);
		return rc;
	}
	if (ctl->json)
		ctl_print_json(answer);
	else
		ctl_give_print(answer, text);
	json_decref(answer);
	json_decref(dose);
	return CTL_OK;
}

/* refuse and withhold: a dose not given, with the reason. */
static int
ctl_dose_not_given(struct ctl *ctl, int argc, char **argv,
    const char *action, const char *done)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*reason = NULL;
	json_t		*dose, *answer;
	char		 path[128], text[1024];
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'r')
			return CTL_USAGE;
		reason = optarg;
	}
	if (optind != argc - 1 || reason == NULL || *reason == '\0')
		return ctl_usage("usage: idtsctl %s DOSE --reason TEXT", action);
	if ((rc = ctl_dose_resolve(ctl, argv[optind], &dose)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/doses/%s/%s", ctl_str(dose, "id"),
	    action);
	json_decref(dose);
	if ((rc = ctl_call_flags(ctl, "POST", path, json_pack("{s:s}",
	    "reason", reason), 200, &answer, CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		printf("%s: %s: %s\n", done, ctl_dose_text(answer, text,
		    sizeof text), ctl_str(answer, "reason") ?
		    ctl_str(answer, "reason") : reason);
	json_decref(answer);
	return CTL_OK;
}

int
ctl_refuse(struct ctl *ctl, int argc, char **argv)
{
	return ctl_dose_not_given(ctl, argc, argv, "refuse", "refused");
}

int
ctl_withhold(struct ctl *ctl, int argc, char **argv)
{
	return ctl_dose_not_given(ctl, argc, argv, "withhold", "withheld");
}
