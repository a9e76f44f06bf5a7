/* idtsd --init-admin NAME: create an admin from a PIN on standard input
 * (asked twice, without echo, at a terminal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "bootstrap.h"
#include "prompt.h"
#include "roles.h"
#include "staff.h"
#include "store.h"

int
bootstrap_admin(struct store *s, const char *username, FILE *in, int64_t now,
    char **cause)
{
	struct staff	st;
	char		pin[64], again[64];

	*cause = NULL;
	if (validate_username(username) == -1) {
		*cause = strdup("the username must be 2 to 32 lower-case "
		    "letters, digits, '.', '_' or '-', starting with a letter");
		return -1;
	}
	if (store_staff_by_username(s, username, &st) == STORE_OK) {
		if (asprintf(cause, "%s already exists", username) == -1)
			*cause = NULL;
		return -1;
	}
	if (prompt_line(in, "PIN: ", pin, sizeof pin, 1) == -1 ||
	    validate_pin(pin) == -1) {
		*cause = strdup("give a PIN of 4 to 12 digits on standard input");
		return -1;
	}
	if (isatty(fileno(in)) && (prompt_line(in, "PIN again: ",
	    again, sizeof again, 1) == -1 || strcmp(pin, again) != 0)) {
		*cause = strdup("the PINs differ");
		return -1;
	}

	memset(&st, 0, sizeof st);
	validate_new_uuid(st.id);
	snprintf(st.username, sizeof st.username, "%s", username);
	snprintf(st.display_name, sizeof st.display_name, "%s", username);
	st.roles = ROLE_ADMIN;
	st.active = 1;
	st.created_at = now;
	if (auth_pin_hash(pin, st.pin_hash) == -1) {
		*cause = strdup("cannot hash the PIN");
		return -1;
	}
	explicit_bzero(pin, sizeof pin);
	explicit_bzero(again, sizeof again);
	if (store_begin(s, 1) != STORE_OK)
		return -1;
	if (store_staff_insert(s, &st) != STORE_OK ||
	    store_audit_append(s, now, "", "staff.init_admin", "staff", st.id,
	    json_pack("{s:s}", "username", st.username)) != STORE_OK ||
	    store_commit(s) != STORE_OK) {
		store_rollback(s);
		*cause = strdup("cannot store the account");
		return -1;
	}
	return 0;
}
