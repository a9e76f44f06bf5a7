/* idtsctl clocks and keyworker. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"

/* The prison number of a patient id, from a list of patients. */
static const char *
ctl_clock_patient(const json_t *patients, const char *id)
{
	json_t	*p;
	size_t	 i;

	json_array_foreach(patients, i, p)
		if (strcmp(ctl_str(p, "id"), id) == 0)
			return ctl_str(p, "prison_number");
	return id;
}

/* Print clocks as a table, naming patients by prison number when the
 * patients are given. */
void
ctl_print_clocks(const json_t *clocks, const json_t *patients)
{
	static const char *const headers[] = {
		"CLOCK", "STATE", "STARTED", "DUE", "MET", "PATIENT"
	};
	struct table	*t;
	json_t		*c;
	const char	*cells[6];
	char		 state[32], started[CTL_LOCAL_LEN], due[CTL_LOCAL_LEN];
	char		 met[CTL_LOCAL_LEN];
	size_t		 i;

	if (json_array_size(clocks) == 0)
		return;
	t = table_new(6, headers);
	json_array_foreach(clocks, i, c) {
		snprintf(state, sizeof state, "%s",
		    json_is_true(json_object_get(c, "breached")) &&
		    strcmp(ctl_str(c, "state"), "met") == 0 ?
		    "breached, met late" : ctl_str(c, "state"));
		cells[0] = ctl_str(c, "kind");
		cells[1] = state;
		cells[2] = ctl_local_time(ctl_str(c, "started_at"), CTL_LOCAL,
		    started, sizeof started);
		cells[3] = ctl_local_time(ctl_str(c, "due_at"), CTL_LOCAL, due,
		    sizeof due);
		cells[4] = ctl_local_time(ctl_str(c, "met_at"), CTL_LOCAL, met,
		    sizeof met);
		cells[5] = ctl_clock_patient(patients, ctl_str(c, "patient_id"));
		table_add(t, cells);
	}
	printf("\n");
	table_print(t, stdout);
	table_free(t);
}

int
ctl_clocks(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "patient", required_argument, NULL, 'p' },
		{ "breached", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*state = NULL, *patient = NULL;
	char		 path[256];
	json_t		*answer, *p = NULL;
	int		 ch, rc, breached = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			state = optarg;
		else if (ch == 'p')
			patient = optarg;
		else if (ch == 'b')
			breached = 1;
		else
			return CTL_USAGE;
	}
	if (optind != argc || (state != NULL &&
	    strspn(state, "runigmetbachd,") != strlen(state)))
		return ctl_usage("usage: idtsctl clocks [--state "
		    "running,met,breached,ended] [--breached] [--patient P]");
	if (patient != NULL &&
	    (rc = ctl_patient_resolve(ctl, patient, &p)) != CTL_OK)
		return rc;
	/* --breached: every clock that ran out, met late or not met. */
	snprintf(path, sizeof path, "/clocks?state=%s%s%s%s",
	    state ? state : "", breached ? "&breached=true" : "",
	    p ? "&patient_id=" : "", p ? ctl_str(p, "id") : "");
	json_decref(p);
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else if (json_array_size(answer) == 0)
		printf("no clocks\n");
	else {
		if (ctl_call(ctl, "GET", "/patients", NULL, 200, &p) != CTL_OK)
			p = NULL;
		ctl_print_clocks(answer, p);
		json_decref(p);
	}
	json_decref(answer);
	return CTL_OK;
}

/* keyworker PATIENT USERNAME */
int
ctl_keyworker(struct ctl *ctl, int argc, char **argv)
{
	json_t	*p, *answer;
	char	 path[128];
	int	 rc;

	if (argc != 3)
		return ctl_usage("usage: idtsctl keyworker PATIENT USERNAME");
	if ((rc = ctl_patient_resolve(ctl, argv[1], &p)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/patients/%s/keyworker", ctl_str(p, "id"));
	json_decref(p);
	if ((rc = ctl_call(ctl, "POST", path, json_pack("{s:s}", "username",
	    argv[2]), 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else {
		printf("%s is keyworker for %s\n", ctl_str(json_object_get(
		    answer, "keyworker"), "display_name"),
		    ctl_str(answer, "prison_number"));
		p = json_pack("[O]", answer);
		ctl_print_clocks(json_object_get(answer, "clocks"), p);
		json_decref(p);
	}
	json_decref(answer);
	return CTL_OK;
}
