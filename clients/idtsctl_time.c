/* What the commands share about time and text answers: the daemon's time
 * now (the test clock's, when it runs one), times as typed on the command
 * line, and a GET answered as text (a CSV report, a letter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "client.h"
#include "idtsctl.h"
#include "validate.h"

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

/* Whether s is written in the grammar of local times (timefmt.h), before
 * the daemon is asked its date; says why not.  Whether it names one
 * instant is known only on its date: ctl_time_arg() says. */
int
ctl_time_check(const char *what, const char *s)
{
	struct timefmt_local	t;

	if (timefmt_parse_local(s, 0, calendar_utc_offset, &t) == -1 &&
	    t.error == TIMEFMT_LOCAL_MALFORMED)
		return ctl_usage("%s: %s", what, t.why);
	return CTL_OK;
}

/* A time as typed (timefmt_parse_local(): "2026-12-08 09:00", "today
 * 09:00", "yesterday 09:00", "09:00", RFC 3339) in the unit's zone, by
 * the daemon's clock; says why when it is refused.  The one grammar of
 * every idtsctl command that takes a time. */
int
ctl_time_arg(struct ctl *ctl, const char *what, const char *s, int64_t *ms)
{
	struct timefmt_local	t;
	int64_t			now;
	int			rc;

	if ((rc = ctl_time_check(what, s)) != CTL_OK ||
	    (rc = ctl_now(ctl, &now)) != CTL_OK)
		return rc;
	if (timefmt_parse_local(s, now, calendar_utc_offset, &t) == -1)
		return ctl_usage("%s: %s", what, t.why);
	*ms = t.ms;
	return CTL_OK;
}

/* A date as typed: YYYY-MM-DD, today, yesterday or tomorrow (the unit's,
 * by the daemon's clock, asked only for a word); says why when refused. */
int
ctl_date_arg(struct ctl *ctl, const char *what, const char *s,
    struct civil_date *d)
{
	char	why[TIMEFMT_WHY_LEN];
	int64_t	now = 0;
	int	rc;

	if (timefmt_parse_date(s, d) == 0)
		return CTL_OK;
	/* Only a word (today, yesterday, tomorrow) needs the daemon's date. */
	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(s) &&
	    (rc = ctl_now(ctl, &now)) != CTL_OK)
		return rc;
	if (timefmt_parse_local_date(s, now, calendar_utc_offset, d, why) ==
	    -1)
		return ctl_usage("%s: %s", what, why);
	return CTL_OK;
}

/* An id as typed: a record's whole id, or any start of it of 8 or more
 * characters as the tables show them.  The daemon expands a unique start
 * for every route (short_id.c), so no command resolves ids of its own;
 * this only keeps what is sent to hex digits and hyphens, so that an
 * argument is one segment of the path and nothing else. */
int
ctl_id_arg(const char *what, const char *arg)
{
	size_t	len = strlen(arg);

	if (len == 0 || len >= UUID_STR_LEN ||
	    strspn(arg, "0123456789abcdefABCDEF-") != len)
		return ctl_usage("\"%.40s\" is not %s's id: give its id, or "
		    "its first 8 or more characters as idtsctl shows them",
		    arg, what);
	return CTL_OK;
}

/* A GET answered as text (Accept: accept) into reply; says why not. */
static int
ctl_fetch_text(struct ctl *ctl, const char *path, const char *accept,
    struct client_reply *reply)
{
	char	*cause = NULL;

	if (client_call_accept(&ctl->client, "GET", path, NULL, NULL, accept,
	    reply, &cause) == -1) {
		fprintf(stderr, "idtsctl: %s\n", cause ? cause :
		    "cannot reach the daemon");
		free(cause);
		return CTL_UNREACHABLE;
	}
	if (reply->status != 200) {
		fprintf(stderr, "idtsctl: %s [%s]\n",
		    client_error_message(reply), client_error_code(reply));
		if (reply->status == 401)
			fprintf(stderr, "idtsctl: sign in with: idtsctl login "
			    "USERNAME\n");
		client_reply_free(reply);
		return CTL_REFUSED;
	}
	return CTL_OK;
}

/* A GET answered as text (Accept: accept), printed byte for byte as the
 * daemon rendered it. */
int
ctl_get_text(struct ctl *ctl, const char *path, const char *accept)
{
	struct client_reply	reply;
	int			rc;

	if ((rc = ctl_fetch_text(ctl, path, accept, &reply)) != CTL_OK)
		return rc;
	if (reply.text != NULL)
		fwrite(reply.text, 1, reply.length, stdout);
	client_reply_free(&reply);
	return CTL_OK;
}

/* A GET answered as text for a printer, sent to the configured printer
 * with lp (client_print(); IDTSCTL_PRINTER or the printer file) titled
 * title, exactly as the daemon rendered it. */
int
ctl_print_text(struct ctl *ctl, const char *path, const char *title)
{
	struct client_reply	 reply;
	char			*cause = NULL;
	int			 rc;

	if ((rc = ctl_fetch_text(ctl, path, "text/plain", &reply)) != CTL_OK)
		return rc;
	rc = client_print(reply.text ? reply.text : "", reply.length, title,
	    &cause);
	client_reply_free(&reply);
	if (rc == -1) {
		fprintf(stderr, "idtsctl: not printed: %s\n", cause ? cause :
		    "out of memory");
		free(cause);
		return CTL_REFUSED;
	}
	printf("sent to the printer: %s\n", title);
	return CTL_OK;
}
