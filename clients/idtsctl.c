/* idtsctl: the command-line client of idtsd.  Every command is one line of
 * the table below, so the help text and the parser cannot drift apart. */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "idtsctl.h"
#include "prompt.h"
#include "timefmt.h"
#include "validate.h"

static const struct ctl_command {
	const char	*words;
	const char	*args;
	const char	*help;
	int		(*run)(struct ctl *, int, char **);
} ctl_commands[] = {
	{ "login", "USERNAME", "sign in (PIN asked without echo)", ctl_login },
	{ "logout", "", "sign out and forget the token", ctl_logout },
	{ "health", "", "is the daemon up, and its time", ctl_health },
	{ "staff add", "USERNAME --name NAME --roles ROLE[,ROLE...]",
	    "add a member of staff (PIN asked twice)", ctl_staff_add },
	{ "staff list", "", "list staff", ctl_staff_list },
	{ "staff set", "USERNAME [--name NAME] [--roles ROLES] "
	    "[--active yes|no] [--unlock] [--pin]",
	    "change a member of staff", ctl_staff_set },
	{ "staff changes", "",
	    "grants and PIN resets waiting for a second person, and decided",
	    ctl_staff_changes },
	{ "staff approve", "ID", "approve a waiting grant or PIN reset "
	    "(not one's own)", ctl_staff_approve },
	{ "staff decline", "ID", "decline or withdraw a waiting grant or PIN "
	    "reset", ctl_staff_decline },
	{ "pin", "", "change your own PIN (old and new asked without echo)",
	    ctl_pin },
	{ "terminal enrol", "NAME --location LOCATION",
	    "enrol a ward terminal: its credential, shown once",
	    ctl_terminal_enrol },
	{ "terminal list", "", "the enrolled terminals", ctl_terminal_list },
	{ "terminal revoke", "ID",
	    "revoke a terminal: its credential and sessions end",
	    ctl_terminal_revoke },
	{ "patient add", "--number A1234BC --given NAME --family NAME "
	    "--dob YYYY-MM-DD --location LOC [--arrived TIME] [--stimulant] "
	    "[--treatment DRUG --dose N --unit UNIT --prescriber NAME "
	    "[--last-dose TIME]]",
	    "register an arrival (asks for what is missing)", ctl_patient_add },
	/* Before "arrive", which would take --import as an option. */
	{ "arrive --import", "FILE", "the same as import FILE", ctl_import },
	{ "arrive", "(the same options as patient add)",
	    "reception's arrival form: asks for what is missing",
	    ctl_patient_add },
	{ "import", "FILE",
	    "an arrival from a signed transfer document (- reads stdin)",
	    ctl_import },
	{ "clocks", "[--state running,met,breached] [--breached] "
	    "[--patient P]",
	    "the 24-hour continuity-of-care clocks", ctl_clocks },
	{ "keyworker", "PATIENT USERNAME",
	    "allocate a CARAT keyworker (meets the keyworker clock)",
	    ctl_keyworker },
	{ "alerts", "[--all] [--follow [--after ID]]",
	    "open alerts; --follow prints the stream live", ctl_alerts },
	{ "ack", "ALERT [--note TEXT]", "acknowledge an alert", ctl_ack },
	{ "patient list", "[--status in_custody|released|transferred]",
	    "list patients", ctl_patient_list },
	{ "patient show", "ID|PRISON_NUMBER",
	    "one patient's whole record on one screen", ctl_patient_show },
	{ "patient edit", "PATIENT --reason TEXT [--location LOC] "
	    "[--given NAME] [--family NAME] [--dob YYYY-MM-DD] "
	    "[--nhs NUMBER|none]",
	    "correct a patient's record, saying why", ctl_patient_edit },
	{ "patient history", "ID|PRISON_NUMBER",
	    "every correction of a patient's record", ctl_patient_history },
	{ "handover", "[--shift day|night] [--json|--print|--html]",
	    "the handover sheet for the next shift", ctl_handover },
	{ "audit verify", "", "walk the audit chain", ctl_audit_verify },
	{ "audit list", "[--after SEQ] [--limit N]", "read the audit log",
	    ctl_audit_list },
	{ "backup list", "", "the latest backups: verified, failed, pruned",
	    ctl_backup_list },
	{ "backup", "", "an online backup now, verified (admins)",
	    ctl_backup },
	{ "products add", "--name NAME --form FORM --strength STRENGTH "
	    "--unit UNIT", "add a product: a page of the CD register",
	    ctl_product_add },
	{ "products set", "PRODUCT [--active \"1 mg\"|none] "
	    "[--max-dose N|none] [--max-daily N|none] "
	    "[--opioid-substitute yes|no]",
	    "a product's strength (active amount per unit) and limits",
	    ctl_product_set },
	{ "products", "", "the products and their register balances",
	    ctl_products },
	{ "prescribe", "PATIENT --product PRODUCT --dose N "
	    "--times HH:MM[,HH:MM...] --start YYYY-MM-DD [--end YYYY-MM-DD] "
	    "[--every-days N] [--reducing --step YYYY-MM-DD=DOSE ...] "
	    "[--override REASON]",
	    "write a prescription (maintenance, or reducing)", ctl_prescribe },
	{ "prescriptions", "PATIENT [--state active,held,stopped,ended]",
	    "a patient's prescriptions", ctl_prescriptions },
	{ "stop", "PRESCRIPTION --reason TEXT",
	    "stop a prescription (its doses not yet given go)", ctl_stop },
	{ "review", "PRESCRIPTION --note TEXT",
	    "record a review: lifts a missed-dose hold", ctl_review },
	{ "confirm", "PRESCRIPTION [--override REASON]",
	    "confirm a prescription a transfer document brought",
	    ctl_confirm },
	{ "round", "[--date YYYY-MM-DD] [--state due,scheduled,...]",
	    "the day's doses, due first", ctl_round },
	{ "give", "DOSE --witness USERNAME [--confirm CODE]... [--note TEXT]",
	    "give a dose, signed by a witness (their PIN asked)", ctl_give },
	{ "refuse", "DOSE --reason TEXT", "record a dose refused",
	    ctl_refuse },
	{ "withhold", "DOSE --reason TEXT", "record a dose withheld",
	    ctl_withhold },
	{ "register", "PRODUCT [--after SEQ] [--limit N]",
	    "a product's page of the CD register", ctl_register },
	{ "receive", "PRODUCT --quantity N --supplier S --reference R "
	    "--witness USER", "record stock received (witnessed)",
	    ctl_receive },
	{ "check", "PRODUCT --counted N --witness USER",
	    "record a stock check (witnessed); a difference alerts",
	    ctl_check },
	{ "correct", "PRODUCT --entry SEQ|ID --delta N --reason TEXT "
	    "--witness USER", "correct a register entry with a new one",
	    ctl_correct },
	{ "return", "PRODUCT --quantity N --reason TEXT --witness USER",
	    "record stock sent back (witnessed)", ctl_return },
	{ "destroy", "PRODUCT --quantity N --reason TEXT --witness USER",
	    "record stock destroyed (witnessed)", ctl_destroy },
	{ "obs due", "", "observations due, OVERDUE first", ctl_obs_due },
	{ "obs record", "PATIENT [--at TIME] [--rr N] [--spo2 N] "
	    "[--scale 1|2] [--oxygen|--air] [--bp N] [--pulse N] "
	    "[--acvpu A|C|V|P|U] [--temp 37.2]",
	    "record an observation (asks for what is missing); NEWS2",
	    ctl_obs_record },
	{ "obs extend", "PATIENT --until TIME",
	    "extend a patient's observation plan", ctl_obs_extend },
	{ "flag", "PATIENT --stimulant",
	    "flag a stimulant user: observations start now", ctl_flag },
	{ "report obs", "--from YYYY-MM-DD --to YYYY-MM-DD [--csv]",
	    "observations on time, late and missed (managers)",
	    ctl_report_obs },
	{ "report doses", "--from YYYY-MM-DD --to YYYY-MM-DD [--csv]",
	    "dose rounds: given on time, late, refused, missed; holds "
	    "(managers)", ctl_report_doses },
	{ "report clocks", "--from YYYY-MM-DD --to YYYY-MM-DD [--csv]",
	    "continuity clocks met, late and breached, per month (managers)",
	    ctl_report_clocks },
	{ "report register", "--from YYYY-MM-DD --to YYYY-MM-DD [--csv]",
	    "the register per product: stock in and out, check differences",
	    ctl_report_register },
	{ "report alerts", "--from YYYY-MM-DD --to YYYY-MM-DD [--csv]",
	    "alerts raised and minutes to acknowledge (managers)",
	    ctl_report_alerts },
	{ "report governance", "--month YYYY-MM [--csv --section NAME]",
	    "the month's governance pack (managers)", ctl_report_governance },
	{ "report continuity", "--month YYYY-MM [--csv]",
	    "the month's continuity of care beyond the unit (managers)",
	    ctl_report_continuity },
	{ "export episodes", "--month YYYY-MM [--out FILE]",
	    "the month's treatment episodes as CSV, for the national returns "
	    "(managers)", ctl_export_episodes },
	{ "movement add", "PATIENT --kind court|release|transfer "
	    "--departs TIME --to DESTINATION [--follow-up TEXT]",
	    "book a court escort, release or transfer: the morning dose is "
	    "moved before it", ctl_movement_add },
	{ "movement depart", "MOVEMENT [--at TIME]",
	    "the escort has left (a morning dose not given is missed)",
	    ctl_movement_depart },
	{ "movement return", "MOVEMENT [--at TIME]",
	    "back from court: the round goes on", ctl_movement_return },
	{ "movement cancel", "MOVEMENT --reason TEXT",
	    "cancel a booking: the morning doses go back to their times",
	    ctl_movement_cancel },
	{ "movement follow-up", "MOVEMENT --attended yes|no --on DATE "
	    "[--note TEXT]", "record the community appointment after a "
	    "release", ctl_movement_follow_up },
	{ "movement summary", "MOVEMENT [--json]",
	    "the escort's prescription summary, or the discharge letter",
	    ctl_movement_summary },
	{ "movement list", "[YYYY-MM-DD|today|tomorrow]",
	    "the day's movements and their morning doses (today's)",
	    ctl_movement_list },
	{ "court-list", "[YYYY-MM-DD|today|tomorrow]",
	    "the court escorts of a day, with each dose plan (tomorrow's)",
	    ctl_court_list },
	{ "readiness set", "N --status red|amber|green [--evidence TEXT] "
	    "[--owner USERNAME] [--target YYYY-MM-DD]",
	    "record a section's status (managers, the IDTS lead)",
	    ctl_readiness_set },
	{ "readiness history", "[N]", "every change of the readiness register",
	    ctl_readiness_history },
	{ "readiness statement", "",
	    "the printable Statement of Readiness, as HTML",
	    ctl_readiness_statement },
	{ "readiness", "[--csv] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
	    "the IDTS toolkit's 35 sections, those blocking go-live first",
	    ctl_readiness },
	{ "rota show", "[--from YYYY-MM-DD] [--to YYYY-MM-DD]",
	    "the duty rota and the controlled-drug cover of each round",
	    ctl_rota_show },
	{ "rota set", "YYYY-MM-DD [--shift \"NAME,START,END,USER,...\"]...",
	    "put a day's shifts on the rota (managers)", ctl_rota_set },
};

#define CTL_NCOMMANDS	(sizeof ctl_commands / sizeof ctl_commands[0])

static void
ctl_help(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: idtsctl [-s URL] [--json] COMMAND [ARGS]\n\n"
	    "  -s, --server URL  the daemon (IDTS_SERVER; default %s)\n"
	    "  --json            print answers as JSON, for scripts\n\n"
	    "commands:\n", CLIENT_DEFAULT_SERVER);
	for (i = 0; i < CTL_NCOMMANDS; i++)
		fprintf(f, "  %s %s\n      %s\n", ctl_commands[i].words,
		    ctl_commands[i].args, ctl_commands[i].help);
}

/* Print a usage error (ctl_usage() adds the CTL_USAGE). */
void
ctl_say_usage(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "idtsctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

/* Ask at the terminal; -1 if standard input is not one or is closed. */
int
ctl_ask(const char *prompt, char *buf, size_t size, int secret)
{
	if (!isatty(STDIN_FILENO))
		return -1;
	return prompt_line(stdin, prompt, buf, size, secret);
}

/* A string member, or NULL. */
const char *
ctl_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* A quantity as the user typed it, [+-]digits[.digits], at most 3
 * decimals (signed only when signed_ok), as a JSON number: an integer
 * when whole, otherwise the double nearest the decimal, which is what
 * the daemon's own parse of the text would give.  -1 if malformed. */
int
ctl_quantity_arg(const char *s, int signed_ok, json_t **out)
{
	const char	*p = s;
	int64_t		 whole = 0, frac = 0, th;
	int		 neg = 0, decimals = 0;

	if (signed_ok && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (!(*p >= '0' && *p <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((whole = whole * 10 + (*p - '0')) >= 1000000000)
			return -1;	/* beyond any stock (QUANTITY_MAX) */
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++decimals > 3)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (decimals == 0)
			return -1;
		for (; decimals < 3; decimals++)
			frac *= 10;
	}
	if (*p != '\0')
		return -1;
	th = whole * 1000 + frac;
	if (neg)
		th = -th;
	*out = th % 1000 == 0 ? json_integer(th / 1000) :
	    json_real((double)th / 1000.0);
	return 0;
}

/* A quantity from an answer as people read it ("30", "35.5", with
 * sign "+500" or "-2.25"); NULL if v is not a number. */
const char *
ctl_quantity_text(const json_t *v, int sign, char *buf, size_t size)
{
	long long	th, a;
	int		n;

	if (json_is_integer(v))
		th = (long long)json_integer_value(v) * 1000;
	else if (json_is_real(v))
		th = llround(json_real_value(v) * 1000.0);
	else
		return NULL;
	a = th < 0 ? -th : th;
	n = snprintf(buf, size, "%s%lld", th < 0 ? "-" : sign && th > 0 ?
	    "+" : "", a / 1000);
	if (a % 1000 != 0 && n > 0 && (size_t)n < size) {
		snprintf(buf + n, size - (size_t)n, ".%03lld", a % 1000);
		n = (int)strlen(buf);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
	}
	return buf;
}

/* A quantity and its unit: "30 ml". */
const char *
ctl_amount_text(const json_t *v, const char *unit, char *buf, size_t size)
{
	char	q[48];

	if (ctl_quantity_text(v, 0, q, sizeof q) == NULL)
		return NULL;
	snprintf(buf, size, "%s%s%s", q, unit ? " " : "", unit ? unit : "");
	return buf;
}

/* An RFC 3339 instant from an answer in the local time zone (TZ): HH:MM
 * (CTL_TIME) in a list of one day; YYYY-MM-DD HH:MM GMT (CTL_DATE_TIME);
 * or as the daemon's own messages write it (CTL_LOCAL: "Mon 07 Dec 19:57
 * GMT", "Tue 16 Jun 10:00 BST").  The text as it came if it does not
 * parse; NULL if instant is. */
const char *
ctl_local_time(const char *instant, int how, char *buf, size_t size)
{
	struct tm	tm;
	char		local[CALENDAR_LOCAL_LEN];
	int64_t		ms;
	time_t		t;

	if (instant == NULL)
		return NULL;
	if (timefmt_parse_instant(instant, &ms) == -1) {
		snprintf(buf, size, "%s", instant);
		return buf;
	}
	if (how == CTL_LOCAL) {
		calendar_format_local(ms, local);
		snprintf(buf, size, "%s", local[0] ? local : instant);
		return buf;
	}
	t = (time_t)(ms / 1000);
	if (localtime_r(&t, &tm) == NULL || strftime(buf, size,
	    how == CTL_TIME ? "%H:%M" : "%Y-%m-%d %H:%M %Z", &tm) == 0)
		snprintf(buf, size, "%s", instant);
	return buf;
}

/* The witness of a controlled-drug record: their username and their PIN,
 * from IDTS_WITNESS_PIN or asked at this terminal without echo, after
 * what is being witnessed (on standard error).  *out is the API's
 * witness object. */
int
ctl_witness(const char *username, const char *what, json_t **out)
{
	const char	*env = getenv("IDTS_WITNESS_PIN");
	char		 pin[64], prompt[128];

	*out = NULL;
	if (username == NULL)
		return ctl_usage("a witness is needed: --witness USERNAME");
	if (validate_username(username) == -1)
		return ctl_usage("--witness takes a username, such as carl");
	if (env != NULL)
		snprintf(pin, sizeof pin, "%s", env);
	else {
		if (what != NULL && isatty(STDIN_FILENO))
			fprintf(stderr, "witnessing: %s\n", what);
		snprintf(prompt, sizeof prompt, "PIN of %s (witness): ",
		    username);
		if (ctl_ask(prompt, pin, sizeof pin, 1) == -1)
			return ctl_usage("give the witness's PIN at a terminal "
			    "or in IDTS_WITNESS_PIN");
	}
	*out = json_pack("{s:s,s:s}", "username", username, "pin", pin);
	explicit_bzero(pin, sizeof pin);
	return CTL_OK;
}

/* Print an answer as JSON.  Reals with 15 significant digits, as the
 * daemon writes them: a quantity such as 328.85 stays 328.85 rather than
 * becoming 328.85000000000002. */
void
ctl_print_json(const json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS |
	    JSON_REAL_PRECISION(15));
	fputc('\n', stdout);
}

/* Make a call and check its status.  A POST carries a fresh
 * Idempotency-Key, and is retried with it if the daemon could not be
 * reached, so a retry never doubles a record.  On success *answer (if
 * asked for) holds the body. */
int
ctl_call(struct ctl *ctl, const char *method, const char *path, json_t *body,
    int expect, json_t **answer)
{
	return ctl_call_flags(ctl, method, path, body, expect, answer, 0);
}

/* Each of a refusal's reasons, when it lists them (422 override_required:
 * why a prescription needs an override). */
static void
ctl_say_reasons(const struct client_reply *reply)
{
	const json_t	*r;
	size_t		 i;

	json_array_foreach(json_object_get(json_object_get(reply->body,
	    "error"), "reasons"), i, r)
		fprintf(stderr, "idtsctl:   - %s [%s]\n",
		    CTL_S(ctl_str(r, "message")), CTL_S(ctl_str(r, "code")));
}

/* ctl_call, with CTL_SAY_MESSAGE: a refusal is printed as the daemon's
 * message with its code in brackets, for the ward's commands. */
int
ctl_call_flags(struct ctl *ctl, const char *method, const char *path,
    json_t *body, int expect, json_t **answer, int flags)
{
	struct client_reply	 reply;
	char			 key[UUID_STR_LEN], *cause = NULL, told[64];
	int			 attempt, post = strcmp(method, "POST") == 0;
	int			 rc = -1;

	if (answer != NULL)
		*answer = NULL;
	validate_new_uuid(key);
	for (attempt = 0; attempt < (post ? 3 : 1); attempt++) {
		if (attempt > 0)
			sleep(1);
		free(cause);
		rc = client_call(&ctl->client, method, path, body,
		    post ? key : NULL, &reply, &cause);
		if (rc == 0)
			break;
	}
	client_json_wipe(body);		/* a PIN */
	json_decref(body);
	if (rc == -1) {
		fprintf(stderr, "idtsctl: %s\n", cause ? cause :
		    "cannot reach the daemon");
		free(cause);
		return CTL_UNREACHABLE;
	}
	if (reply.status != expect) {
		if (flags & CTL_SAY_MESSAGE) {
			fprintf(stderr, "idtsctl: %s [%s]\n",
			    client_error_message(&reply),
			    client_error_code(&reply));
			ctl_say_reasons(&reply);
		} else
			fprintf(stderr, "idtsctl: %s: %s\n",
			    client_error_code(&reply),
			    client_error_message(&reply));
		if (client_pin_told(&reply, told, sizeof told) != NULL)
			fprintf(stderr, "idtsctl: %s\n", told);
		if (reply.status == 401 && strcmp(path, "/sessions") != 0)
			fprintf(stderr, "idtsctl: sign in with: idtsctl login "
			    "USERNAME\n");
		client_reply_free(&reply);
		return CTL_REFUSED;
	}
	if (answer != NULL)
		*answer = reply.body;
	else
		client_reply_free(&reply);
	return CTL_OK;
}

/* Find the command whose words begin argv; *used says how many. */
static const struct ctl_command *
ctl_find(int argc, char **argv, int *used)
{
	size_t	 i;
	char	 words[64];

	for (i = 0; i < CTL_NCOMMANDS; i++) {
		const char	*w = ctl_commands[i].words;
		int		 n = 1 + (strchr(w, ' ') != NULL);

		if (argc < n)
			continue;
		if (n == 1)
			snprintf(words, sizeof words, "%s", argv[0]);
		else
			snprintf(words, sizeof words, "%s %s", argv[0], argv[1]);
		if (strcmp(words, w) == 0) {
			*used = n;
			return &ctl_commands[i];
		}
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_command	*cmd;
	struct ctl			 ctl;
	const char			*server = getenv("IDTS_SERVER");
	char				*cause = NULL;
	int				 ch, used, rc, json = 0;

	client_memory_wipe();
	while ((ch = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			server = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			ctl_help(stdout);
			return CTL_OK;
		default:
			ctl_help(stderr);
			return CTL_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		ctl_help(stderr);
		return CTL_USAGE;
	}
	if ((cmd = ctl_find(argc, argv, &used)) == NULL) {
		ctl_help(stderr);
		return ctl_usage("unknown command: %s", argv[0]);
	}

	memset(&ctl, 0, sizeof ctl);
	if (client_init(&ctl.client, server && *server ? server :
	    CLIENT_DEFAULT_SERVER, &cause) == -1) {
		fprintf(stderr, "idtsctl: %s\n", cause ? cause : "cannot start");
		free(cause);
		client_free(&ctl.client);
		return CTL_USAGE;
	}
	ctl.json = json;
	client_token_load(&ctl.client);
	/* Each command parses its own options from argv[0] on; optind 0
	 * makes GNU getopt start afresh. */
	optind = 0;
	rc = cmd->run(&ctl, argc - used + 1, argv + used - 1);
	client_free(&ctl.client);
	return rc;
}
