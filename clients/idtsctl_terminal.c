/* idtsctl terminal enrol, list and revoke: the ward's known devices. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"

/* Print terminals (an array or one object) as a table. */
static void
ctl_terminal_print(struct ctl *ctl, json_t *answer)
{
	static const char *const headers[] = {
		"NAME", "LOCATION", "ENROLLED", "STATE", "ID"
	};
	struct table	*t;
	json_t		*one, *list = json_is_array(answer) ? answer : NULL;
	size_t		 i, n = list ? json_array_size(list) : 1;
	char		 when[CTL_LOCAL_LEN];
	const char	*cells[5];

	if (ctl->json) {
		ctl_print_json(answer);
		return;
	}
	t = table_new(5, headers);
	for (i = 0; i < n; i++) {
		one = list ? json_array_get(list, i) : answer;
		cells[0] = ctl_str(one, "name");
		cells[1] = ctl_str(one, "location");
		cells[2] = ctl_local_time(ctl_str(one, "enrolled_at"),
		    CTL_LOCAL, when, sizeof when);
		cells[3] = json_is_null(json_object_get(one, "revoked_at")) ?
		    "enrolled" : "revoked";
		cells[4] = ctl_str(one, "id");
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
}

/* idtsctl terminal enrol NAME --location L: the credential, shown once. */
int
ctl_terminal_enrol(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "location", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*location = NULL;
	char		 path[4096];
	json_t		*answer;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'l')
			location = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc - 1 || location == NULL)
		return ctl_usage("usage: idtsctl terminal enrol NAME "
		    "--location LOCATION");
	if ((rc = ctl_call(ctl, "POST", "/terminals", json_pack("{s:s,s:s}",
	    "name", argv[optind], "location", location), 201, &answer)) !=
	    CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else {
		if (client_terminal_path(path, sizeof path) == -1)
			snprintf(path, sizeof path, "~/.config/idts/terminal");
		printf("terminal %s (%s) enrolled: %s\n",
		    ctl_str(answer, "name"), ctl_str(answer, "location"),
		    ctl_str(answer, "id"));
		printf("credential (shown this once):\n%s\n",
		    ctl_str(answer, "credential"));
		printf("install it on that terminal, for the account that runs "
		    "idts-ward or idtsctl there:\n"
		    "  umask 077; mkdir -p \"$(dirname %s)\"; "
		    "printf '%%s\\n' 'CREDENTIAL' > %s\n"
		    "(or name another file in IDTS_TERMINAL_FILE; it must be "
		    "mode 0600)\n", path, path);
	}
	json_decref(answer);
	return CTL_OK;
}

/* idtsctl terminal list */
int
ctl_terminal_list(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer;
	int	 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl terminal list");
	if ((rc = ctl_call(ctl, "GET", "/terminals", NULL, 200, &answer)) !=
	    CTL_OK)
		return rc;
	ctl_terminal_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}

/* idtsctl terminal revoke ID: its credential stops, its sessions end. */
int
ctl_terminal_revoke(struct ctl *ctl, int argc, char **argv)
{
	char	path[200];
	json_t	*answer;
	int	 rc;

	if (argc != 2)
		return ctl_usage("usage: idtsctl terminal revoke ID");
	if ((rc = ctl_id_arg("a terminal", argv[1])) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/terminals/%s/revoke", argv[1]);
	if ((rc = ctl_call(ctl, "POST", path, json_object(), 200, &answer)) !=
	    CTL_OK)
		return rc;
	ctl_terminal_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}
