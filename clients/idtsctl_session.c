/* idtsctl login, logout and health. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"

/* login USERNAME: the PIN from IDTS_PIN or asked without echo. */
int
ctl_login(struct ctl *ctl, int argc, char **argv)
{
	const char	*env = getenv("IDTS_PIN");
	char		 pin[64], until[CTL_LOCAL_LEN], *cause = NULL;
	json_t		*answer;
	int		 rc;

	if (argc != 2)
		return ctl_usage("usage: idtsctl login USERNAME");
	if (env != NULL)
		snprintf(pin, sizeof pin, "%s", env);
	else if (ctl_ask("PIN: ", pin, sizeof pin, 1) == -1)
		return ctl_usage("give the PIN at a terminal or in IDTS_PIN");
	ctl->client.token[0] = '\0';
	rc = ctl_call(ctl, "POST", "/sessions", json_pack("{s:s,s:s}",
	    "username", argv[1], "pin", pin), 201, &answer);
	explicit_bzero(pin, sizeof pin);
	if (rc != CTL_OK)
		return rc;
	snprintf(ctl->client.token, sizeof ctl->client.token, "%s",
	    ctl_str(answer, "token") ? ctl_str(answer, "token") : "");
	if (client_token_save(&ctl->client, &cause) == -1) {
		fprintf(stderr, "idtsctl: cannot keep the token: %s\n",
		    cause ? cause : "");
		free(cause);
		client_json_wipe(answer);
		json_decref(answer);
		return CTL_REFUSED;
	}
	client_json_wipe(answer);	/* the token, saved */
	if (ctl->json) {
		json_object_del(answer, "token");	/* wiped above */
		ctl_print_json(answer);
	} else
		printf("signed in as %s until %s (extended while in use)\n",
		    ctl_str(json_object_get(answer, "staff"), "display_name"),
		    ctl_local_time(ctl_str(answer, "expires_at"), CTL_LOCAL,
		    until, sizeof until));
	json_decref(answer);
	return CTL_OK;
}

/* logout: end the session and forget the token. */
int
ctl_logout(struct ctl *ctl, int argc, char **argv)
{
	int	rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl logout");
	rc = ctl_call(ctl, "DELETE", "/sessions/current", NULL, 204, NULL);
	client_token_remove();
	if (rc == CTL_OK && !ctl->json)
		printf("signed out\n");
	return rc == CTL_REFUSED ? CTL_OK : rc;	/* already signed out */
}

/* health: the daemon's status, version and time. */
int
ctl_health(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer;
	char	 now[CTL_LOCAL_LEN];
	int	 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl health");
	if ((rc = ctl_call(ctl, "GET", "/health", NULL, 200, &answer)) !=
	    CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		printf("%s: idtsd %s, time %s%s\n", ctl_str(answer, "status"),
		    ctl_str(answer, "version"), ctl_local_time(ctl_str(answer,
		    "now"), CTL_LOCAL, now, sizeof now),
		    json_is_true(json_object_get(answer, "test_clock")) ?
		    " (TEST CLOCK)" : "");
	json_decref(answer);
	return CTL_OK;
}
