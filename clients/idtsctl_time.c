/* What the commands share about time and text answers: the daemon's time
 * now (the test clock's, when it runs one), times as typed on the command
 * line, and a GET answered as text (a CSV report, a letter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "client.h"
#include "idtsctl.h"
#include "prescription.h"

/* The daemon accepts a time this far ahead of its clock. */
#define CTL_TIME_SLACK_MS	(5 * MS_PER_MINUTE)

/* The daemon's time now. */
int
ctl_now(struct ctl *ctl, int64_t *now)
{
	json_t	*health;
	int	 rc;

	if ((rc = ctl_call(ctl, "GET", "/health", NULL, 200, &health)) !=
	    CTL_OK)
		return rc;
	rc = timefmt_parse_instant(CTL_S(ctl_str(health, "now")), now);
	json_decref(health);
	if (rc == -1) {
		fprintf(stderr, "idtsctl: the daemon did not say what time "
		    "it is\n");
		return CTL_REFUSED;
	}
	return CTL_OK;
}

/* Whether a time is a local time of day (HH:MM), which needs now. */
int
ctl_time_of_day(const char *s)
{
	int	minute;

	return prescription_time_parse(s, &minute) == 0;
}

/* A time as typed: an RFC 3339 instant, a local YYYY-MM-DD HH:MM, or a
 * local HH:MM on the date of now, moved a day back (past: when something
 * happened, with the daemon's slack) or on (!past: when it will) so that
 * it falls on the side of now it must.  -1 if it is none of these. */
int
ctl_time_parse(const char *s, int64_t now, int past, int64_t *ms)
{
	struct civil_date	day;
	char			date[TIMEFMT_DATE_LEN];
	int			minute;

	if (prescription_time_parse(s, &minute) == 0) {
		day = calendar_local_date(now);
		*ms = calendar_local_time(day, minute);
		if (past && *ms > now + CTL_TIME_SLACK_MS)
			*ms = calendar_local_time(calendar_add_days(day, -1),
			    minute);
		else if (!past && *ms <= now)
			*ms = calendar_local_time(calendar_add_days(day, 1),
			    minute);
		return 0;
	}
	if (strlen(s) == 16 && (s[10] == ' ' || s[10] == 'T')) {
		memcpy(date, s, TIMEFMT_DATE_LEN - 1);
		date[TIMEFMT_DATE_LEN - 1] = '\0';
		if (timefmt_parse_date(date, &day) == -1 ||
		    prescription_time_parse(s + 11, &minute) == -1)
			return -1;
		*ms = calendar_local_time(day, minute);
		return 0;
	}
	return timefmt_parse_instant(s, ms);
}

/* A GET answered as text (Accept: accept), printed byte for byte as the
 * daemon rendered it. */
int
ctl_get_text(struct ctl *ctl, const char *path, const char *accept)
{
	struct client_reply	 reply;
	char			*cause = NULL;

	if (client_call_accept(&ctl->client, "GET", path, NULL, NULL, accept,
	    &reply, &cause) == -1) {
		fprintf(stderr, "idtsctl: %s\n", cause ? cause :
		    "cannot reach the daemon");
		free(cause);
		return CTL_UNREACHABLE;
	}
	if (reply.status != 200) {
		fprintf(stderr, "idtsctl: %s [%s]\n",
		    client_error_message(&reply), client_error_code(&reply));
		if (reply.status == 401)
			fprintf(stderr, "idtsctl: sign in with: idtsctl login "
			    "USERNAME\n");
		client_reply_free(&reply);
		return CTL_REFUSED;
	}
	if (reply.text != NULL)
		fwrite(reply.text, 1, reply.length, stdout);
	client_reply_free(&reply);
	return CTL_OK;
}
