/* idtsctl alerts (open ones, or --follow the live stream) and ack. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idtsctl.h"
#include "table.h"

/* One alert as a line a person reads, raised when in local time; an
 * acknowledged one with the note it was closed with ("met late, ..."). */
static void
ctl_alert_line(const json_t *a, const char *event)
{
	char		 at[CTL_LOCAL_LEN];
	const char	*note = ctl_str(a, "ack_note");
	int		 ack = strcmp(event, "ack") == 0;

	printf("%s %-9s %-8s %s%s%s%s%s  [%s]\n",
	    ctl_local_time(ctl_str(a, "raised_at"), CTL_LOCAL, at, sizeof at),
	    ctl_str(a, "severity"), ctl_str(a, "audience"),
	    ack ? "ACKNOWLEDGED: " : "", ctl_str(a, "message"),
	    ack && note ? " (" : "", ack && note ? note : "",
	    ack && note ? ")" : "", ctl_str(a, "id"));
	fflush(stdout);
}

/* Each streamed event: JSON lines for scripts, or a line for people. */
static int
ctl_alert_event(const char *id, const char *event, const char *data,
    void *arg)
{
	struct ctl	*ctl = arg;
	json_t		*a = json_loads(data, 0, NULL);

	if (a == NULL)
		return 0;
	if (ctl->json) {
		printf("{\"id\":%s,\"event\":\"%s\",\"alert\":%s}\n",
		    id ? id : "null", event, data);
		fflush(stdout);
	} else
		ctl_alert_line(a, event);
	json_decref(a);
	return 0;
}

static void
ctl_alert_disconnected(void *arg)
{
	(void)arg;
	fprintf(stderr, "idtsctl: alert stream disconnected; reconnecting\n");
}

int
ctl_alerts(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "follow", no_argument, NULL, 'f' },
		{ "after", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*after = "";
	json_t		*answer, *a;
	size_t		 i;
	int		 ch, rc, all = 0, follow = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			all = 1;
		else if (ch == 'f')
			follow = 1;
		else if (ch == 'A')
			after = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc || strspn(after, "0123456789") != strlen(after))
		return ctl_usage("usage: idtsctl alerts [--all] [--follow "
		    "[--after ID]]");
	if (follow) {
		rc = client_follow(&ctl->client, "/alerts/stream", after,
		    ctl_alert_event, ctl, ctl_alert_disconnected);
		if (rc != 0) {
			fprintf(stderr, "idtsctl: the daemon refused the "
			    "stream (HTTP %d); sign in again?\n", rc);
			return CTL_REFUSED;
		}
		return CTL_OK;
	}
	if ((rc = ctl_call(ctl, "GET", all ? "/alerts" : "/alerts?state=open",
	    NULL, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else if (json_array_size(answer) == 0)
		printf(all ? "no alerts\n" : "no open alerts\n");
	else
		json_array_foreach(answer, i, a)
			ctl_alert_line(a, json_string_value(json_object_get(a,
			    "acked_at")) ? "ack" : "alert");
	json_decref(answer);
	return CTL_OK;
}

int
ctl_ack(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*note = NULL;
	char		 path[128];
	json_t		*answer;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'n')
			return CTL_USAGE;
		note = optarg;
	}
	if (optind != argc - 1)
		return ctl_usage("usage: idtsctl ack ALERT [--note TEXT]");
	if ((rc = ctl_id_arg("an alert", argv[optind])) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/alerts/%s/ack", argv[optind]);
	if ((rc = ctl_call(ctl, "POST", path, note ? json_pack("{s:s}", "note",
	    note) : json_object(), 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		printf("acknowledged: %s\n", ctl_str(answer, "message"));
	json_decref(answer);
	return CTL_OK;
}
