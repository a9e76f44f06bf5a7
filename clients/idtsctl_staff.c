/* idtsctl staff add, list, set, changes, approve and decline, and pin
 * (one's own PIN). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"

/* "nurse,competent" as a JSON array of role names. */
static json_t *
ctl_staff_roles(const char *list)
{
	json_t	*a = json_array();
	char	*copy = strdup(list), *p, *role;

	for (p = copy; p != NULL && (role = strsep(&p, ",")) != NULL;)
		if (*role != '\0')
			json_array_append_new(a, json_string(role));
	free(copy);
	return a;
}

/* A new PIN from IDTS_NEW_PIN, or asked twice without echo. */
static int
ctl_staff_new_pin(char *pin, size_t size)
{
	const char	*env = getenv("IDTS_NEW_PIN");
	char		 again[64];

	if (env != NULL) {
		snprintf(pin, size, "%s", env);
		return 0;
	}
	if (ctl_ask("new PIN: ", pin, size, 1) == -1 ||
	    ctl_ask("new PIN again: ", again, sizeof again, 1) == -1)
		return ctl_usage("give the new PIN at a terminal or in "
		    "IDTS_NEW_PIN");
	if (strcmp(pin, again) != 0)
		return ctl_usage("the PINs differ");
	return 0;
}

/* Print one staff record as a line of a table. */
static void
ctl_staff_row(struct table *t, const json_t *s)
{
	json_t		*roles = json_object_get(s, "roles"), *v;
	char		 list[200] = "";
	size_t		 i;
	const char	*cells[5];

	json_array_foreach(roles, i, v) {
		if (i > 0)
			strncat(list, ",", sizeof list - strlen(list) - 1);
		strncat(list, json_string_value(v), sizeof list -
		    strlen(list) - 1);
	}
	cells[0] = ctl_str(s, "username");
	cells[1] = ctl_str(s, "display_name");
	cells[2] = list;
	cells[3] = json_is_true(json_object_get(s, "active")) ?
	    (json_is_true(json_object_get(s, "locked")) ? "locked" : "active") :
	    "inactive";
	cells[4] = ctl_str(s, "id");
	table_add(t, cells);
}

/* Print an answer, an array or one object, as JSON with --json, else as
 * a table a row() a record. */
static void
ctl_staff_table(struct ctl *ctl, json_t *answer, int columns,
    const char *const headers[], void (*row)(struct table *, const json_t *))
{
	struct table	*t;
	json_t		*s;
	size_t		 i;

	if (ctl->json) {
		ctl_print_json(answer);
		return;
	}
	t = table_new(columns, headers);
	if (json_is_array(answer))
		json_array_foreach(answer, i, s)
			row(t, s);
	else
		row(t, answer);
	table_print(t, stdout);
	table_free(t);
}

/* Print staff records (an array or one object). */
static void
ctl_staff_print(struct ctl *ctl, json_t *answer)
{
	static const char *const headers[] = {
		"USERNAME", "NAME", "ROLES", "STATE", "ID"
	};

	ctl_staff_table(ctl, answer, 5, headers, ctl_staff_row);
}

/* Say that a change waits, and how a second person approves it. */
static void
ctl_staff_pending(const json_t *c)
{
	printf("%s\napprove as a second admin or manager: idtsctl staff "
	    "approve %s\n", CTL_S(ctl_str(c, "note")), CTL_S(ctl_str(c, "id")));
}

/* Print a changed account, and what of the change waits for a second
 * person (its pending_change, or each of its pending_changes). */
static void
ctl_staff_print_changed(struct ctl *ctl, json_t *answer)
{
	json_t	*c;
	size_t	 i;

	ctl_staff_print(ctl, answer);
	if (ctl->json)
		return;
	if ((c = json_object_get(answer, "pending_change")) != NULL)
		ctl_staff_pending(c);
	json_array_foreach(json_object_get(answer, "pending_changes"), i, c)
		ctl_staff_pending(c);
}

int
ctl_staff_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "roles", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*name = NULL, *roles = NULL;
	char		 pin[64];
	json_t		*answer;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n')
			name = optarg;
		else if (ch == 'r')
			roles = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc - 1 || name == NULL || roles == NULL)
		return ctl_usage("usage: idtsctl staff add USERNAME --name NAME "
		    "--roles ROLE[,ROLE...]");
	if ((rc = ctl_staff_new_pin(pin, sizeof pin)) != 0)
		return rc;
	rc = ctl_call(ctl, "POST", "/staff", json_pack("{s:s,s:s,s:o,s:s}",
	    "username", argv[optind], "display_name", name, "roles",
	    ctl_staff_roles(roles), "pin", pin), 201, &answer);
	explicit_bzero(pin, sizeof pin);
	if (rc != CTL_OK)
		return rc;
	ctl_staff_print_changed(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}

int
ctl_staff_list(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer;
	int	 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl staff list");
	if ((rc = ctl_call(ctl, "GET", "/staff", NULL, 200, &answer)) != CTL_OK)
		return rc;
	ctl_staff_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}

int
ctl_staff_set(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "roles", required_argument, NULL, 'r' },
		{ "active", required_argument, NULL, 'a' },
		{ "unlock", no_argument, NULL, 'u' },
		{ "pin", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	json_t		*change = json_object(), *all, *s, *found = NULL;
	char		 pin[64], path[128];
	size_t		 i;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			json_object_set_new(change, "display_name",
			    json_string(optarg));
			break;
		case 'r':
			json_object_set_new(change, "roles",
			    ctl_staff_roles(optarg));
			break;
		case 'a':
			if (strcmp(optarg, "yes") != 0 &&
			    strcmp(optarg, "no") != 0) {
				json_decref(change);
				return ctl_usage("--active takes yes or no");
			}
			json_object_set_new(change, "active",
			    json_boolean(strcmp(optarg, "yes") == 0));
			break;
		case 'u':
			json_object_set_new(change, "unlock", json_true());
			break;
		case 'p':
			if ((rc = ctl_staff_new_pin(pin, sizeof pin)) != 0) {
				json_decref(change);
				return rc;
			}
			json_object_set_new(change, "pin", json_string(pin));
			explicit_bzero(pin, sizeof pin);
			break;
		default:
			json_decref(change);
			return CTL_USAGE;
		}
	}
	if (optind != argc - 1 || json_object_size(change) == 0) {
		json_decref(change);
		return ctl_usage("usage: idtsctl staff set USERNAME [--name NAME] "
		    "[--roles ROLES] [--active yes|no] [--unlock] [--pin]");
	}
	if ((rc = ctl_call(ctl, "GET", "/staff", NULL, 200, &all)) != CTL_OK) {
		json_decref(change);
		return rc;
	}
	json_array_foreach(all, i, s)
		if (strcmp(ctl_str(s, "username"), argv[optind]) == 0)
			found = s;
	if (found == NULL) {
		fprintf(stderr, "idtsctl: there is no staff member called %s\n",
		    argv[optind]);
		json_decref(all);
		json_decref(change);
		return CTL_REFUSED;
	}
	snprintf(path, sizeof path, "/staff/%s", ctl_str(found, "id"));
	json_decref(all);
	if ((rc = ctl_call(ctl, "PATCH", path, change, 200, &s)) != CTL_OK)
		return rc;
	ctl_staff_print_changed(ctl, s);
	json_decref(s);
	return CTL_OK;
}

/* One change of access as a line of a table. */
static void
ctl_staff_change_row(struct table *t, const json_t *c)
{
	json_t		*roles = json_object_get(c, "roles"), *v;
	char		 what[200] = "PIN", at[CTL_LOCAL_LEN];
	const char	*cells[7];
	size_t		 i, used;

	if (json_is_array(roles)) {
		what[0] = '\0';
		json_array_foreach(roles, i, v) {
			used = strlen(what);
			snprintf(what + used, sizeof what - used, "%s%s",
			    i ? "," : "", json_string_value(v));
		}
	}
	cells[0] = ctl_str(c, "id");
	cells[1] = ctl_str(json_object_get(c, "staff"), "username");
	cells[2] = what;
	cells[3] = ctl_str(c, "state");
	cells[4] = ctl_str(json_object_get(c, "requested_by"), "username");
	cells[5] = ctl_local_time(ctl_str(c, "requested_at"), CTL_LOCAL, at,
	    sizeof at);
	cells[6] = json_is_object(json_object_get(c, "decided_by")) ?
	    ctl_str(json_object_get(c, "decided_by"), "username") : "";
	table_add(t, cells);
}

/* Print changes of access (an array or one object). */
static void
ctl_staff_changes_print(struct ctl *ctl, json_t *answer)
{
	static const char *const headers[] = {
		"ID", "FOR", "GRANT", "STATE", "ASKED BY", "ASKED", "DECIDED BY"
	};

	ctl_staff_table(ctl, answer, 7, headers, ctl_staff_change_row);
}

int
ctl_staff_changes(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer;
	int	 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl staff changes");
	if ((rc = ctl_call(ctl, "GET", "/staff/changes", NULL, 200, &answer))
	    != CTL_OK)
		return rc;
	ctl_staff_changes_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}

/* staff approve|decline ID: a second person's decision on a change. */
static int
ctl_staff_decide(struct ctl *ctl, int argc, char **argv, const char *verb)
{
	char	 path[160];
	json_t	*answer;
	int	 rc;

	if (argc != 2)
		return ctl_usage("usage: idtsctl staff %s ID", verb);
	if ((rc = ctl_id_arg("a waiting change", argv[1])) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/staff/changes/%s/%s", argv[1], verb);
	if ((rc = ctl_call(ctl, "POST", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	ctl_staff_changes_print(ctl, answer);
	if (!ctl->json)
		ctl_staff_print(ctl, json_object_get(answer, "account"));
	json_decref(answer);
	return CTL_OK;
}

int
ctl_staff_approve(struct ctl *ctl, int argc, char **argv)
{
	return ctl_staff_decide(ctl, argc, argv, "approve");
}

int
ctl_staff_decline(struct ctl *ctl, int argc, char **argv)
{
	return ctl_staff_decide(ctl, argc, argv, "decline");
}

/* pin: change one's own PIN, the old one from IDTS_PIN or asked without
 * echo, the new one from IDTS_NEW_PIN or asked twice. */
int
ctl_pin(struct ctl *ctl, int argc, char **argv)
{
	const char	*env = getenv("IDTS_PIN");
	char		 old_pin[64], new_pin[64];
	json_t		*answer;
	int		 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl pin");
	if (env != NULL)
		snprintf(old_pin, sizeof old_pin, "%s", env);
	else if (ctl_ask("old PIN: ", old_pin, sizeof old_pin, 1) == -1)
		return ctl_usage("give the old PIN at a terminal or in "
		    "IDTS_PIN");
	if ((rc = ctl_staff_new_pin(new_pin, sizeof new_pin)) != 0) {
		explicit_bzero(old_pin, sizeof old_pin);
		return rc;
	}
	rc = ctl_call(ctl, "POST", "/staff/me/pin", json_pack("{s:s,s:s}",
	    "old_pin", old_pin, "new_pin", new_pin), 200, &answer);
	explicit_bzero(old_pin, sizeof old_pin);
	explicit_bzero(new_pin, sizeof new_pin);
	if (rc != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		printf("PIN changed for %s\n", CTL_S(ctl_str(answer,
		    "username")));
	json_decref(answer);
	return CTL_OK;
}
