/* idtsctl: the command-line client of idtsd.  Every command is one line of
 * the table below, so the help text and the parser cannot drift apart. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idtsctl.h"
#include "prompt.h"
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
	{ "patient add", "--number A1234BC --given NAME --family NAME "
	    "--dob YYYY-MM-DD --location LOC [--arrived TIME] [--stimulant] "
	    "[--treatment DRUG --dose N --unit UNIT --prescriber NAME "
	    "[--last-dose TIME]]",
	    "register an arrival (asks for what is missing)", ctl_patient_add },
	{ "arrive", "(the same options as patient add)",
	    "reception's arrival form: asks for what is missing",
	    ctl_patient_add },
	{ "clocks", "[--state running,met,breached] [--patient P]",
	    "the 24-hour continuity-of-care clocks", ctl_clocks },
	{ "keyworker", "PATIENT USERNAME",
	    "allocate a CARAT keyworker (meets the keyworker clock)",
	    ctl_keyworker },
	{ "alerts", "[--all] [--follow [--after ID]]",
	    "open alerts; --follow prints the stream live", ctl_alerts },
	{ "ack", "ALERT [--note TEXT]", "acknowledge an alert", ctl_ack },
	{ "patient list", "[--status in_custody|released|transferred]",
	    "list patients", ctl_patient_list },
	{ "patient show", "ID|PRISON_NUMBER", "show one patient",
	    ctl_patient_show },
	{ "audit verify", "", "walk the audit chain", ctl_audit_verify },
	{ "audit list", "[--after SEQ] [--limit N]", "read the audit log",
	    ctl_audit_list },
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

/* Print a usage error; returns CTL_USAGE. */
int
ctl_usage(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "idtsctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return CTL_USAGE;
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

void
ctl_print_json(const json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
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
	struct client_reply	 reply;
	char			 key[UUID_STR_LEN], *cause = NULL;
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
	json_decref(body);
	if (rc == -1) {
		fprintf(stderr, "idtsctl: %s\n", cause ? cause :
		    "cannot reach the daemon");
		free(cause);
		return CTL_UNREACHABLE;
	}
	if (reply.status != expect) {
		fprintf(stderr, "idtsctl: %s: %s\n", client_error_code(&reply),
		    client_error_message(&reply));
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
