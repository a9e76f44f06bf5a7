/* idtsctl patient edit and patient history: a patient's record corrected
 * with a reason, and every correction since arrival. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"

/* Decode patient edit's options into the body of the correction. */
static int
ctl_edit_options(int argc, char **argv, json_t *body)
{
	static const struct option opts[] = {
		{ "location", required_argument, NULL, 'l' },
		{ "given", required_argument, NULL, 'g' },
		{ "family", required_argument, NULL, 'f' },
		{ "dob", required_argument, NULL, 'b' },
		{ "nhs", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const fields[] = {
		['l'] = "location", ['g'] = "given_name", ['f'] = "family_name",
		['b'] = "date_of_birth", ['n'] = "nhs_number", ['r'] = "reason",
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch < 0 || ch >= (int)(sizeof fields / sizeof fields[0]) ||
		    fields[ch] == NULL)
			return CTL_USAGE;
		json_object_set_new(body, fields[ch], ch == 'n' &&
		    strcmp(optarg, "none") == 0 ? json_null() :
		    json_string(optarg));
	}
	if (optind != argc - 1)
		return ctl_usage("usage: idtsctl patient edit PATIENT --reason "
		    "TEXT [--location LOC] [--given NAME] [--family NAME] "
		    "[--dob YYYY-MM-DD] [--nhs NUMBER|none]");
	if (json_object_get(body, "reason") == NULL)
		return ctl_usage("patient edit needs --reason: every "
		    "correction says why");
	return CTL_OK;
}

/* patient edit PATIENT --reason TEXT [--location ...]: correct a record. */
int
ctl_patient_edit(struct ctl *ctl, int argc, char **argv)
{
	json_t	*body = json_object(), *patient, *answer;
	char	 path[128];
	int	 rc;

	if ((rc = ctl_edit_options(argc, argv, body)) != CTL_OK ||
	    (rc = ctl_patient_resolve(ctl, argv[argc - 1], &patient)) !=
	    CTL_OK) {
		json_decref(body);
		return rc;
	}
	snprintf(path, sizeof path, "/patients/%.64s", ctl_str(patient, "id"));
	json_decref(patient);
	if ((rc = ctl_call(ctl, "PATCH", path, body, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		printf("%s %s, %s: corrected; born %s, at %s\n",
		    ctl_str(answer, "prison_number"),
		    ctl_str(answer, "family_name"),
		    ctl_str(answer, "given_name"),
		    ctl_str(answer, "date_of_birth"),
		    ctl_str(answer, "location"));
	json_decref(answer);
	return CTL_OK;
}

/* A value of the history as a person reads it: "-" for none. */
static const char *
ctl_history_value(const json_t *change, const char *key)
{
	const json_t	*v = json_object_get(change, key);

	return json_is_string(v) ? json_string_value(v) : "-";
}

/* patient history PATIENT: every correction, oldest first. */
int
ctl_patient_history(struct ctl *ctl, int argc, char **argv)
{
	static const char *const headers[] = {
		"WHEN", "BY", "FIELD", "FROM", "TO", "REASON"
	};
	json_t		*patient, *answer, *c;
	struct table	*t;
	const char	*cells[6];
	char		 path[128], when[CTL_LOCAL_LEN];
	size_t		 i;
	int		 rc;

	if (argc != 2)
		return ctl_usage("usage: idtsctl patient history "
		    "ID|PRISON_NUMBER");
	if ((rc = ctl_patient_resolve(ctl, argv[1], &patient)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/patients/%.64s/history",
	    ctl_str(patient, "id"));
	json_decref(patient);
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json) {
		ctl_print_json(answer);
		json_decref(answer);
		return CTL_OK;
	}
	t = table_new(6, headers);
	json_array_foreach(json_object_get(answer, "changes"), i, c) {
		cells[0] = ctl_local_time(ctl_str(c, "at"), CTL_LOCAL, when,
		    sizeof when);
		cells[1] = ctl_str(json_object_get(c, "by"), "username");
		cells[2] = ctl_str(c, "field");
		cells[3] = ctl_history_value(c, "from");
		cells[4] = ctl_history_value(c, "to");
		cells[5] = ctl_str(c, "reason");
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	json_decref(answer);
	return CTL_OK;
}
