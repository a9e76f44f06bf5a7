/* Who is at the terminal.  The sign-in screen hides every patient's
 * name; behind it the panes, the selections and the alert stream go on
 * as they were, so the next nurse signs in to the view the last one
 * left.  A new sign-in is a new session: the stream resumes on it after
 * the last event seen, and the old session is ended.
 *
 * Whoever was typing when the terminal locked by itself (a witness in
 * the middle of their PIN when the session expired) may go on typing:
 * nothing typed before the lock screen shows reaches it, and after a
 * form was closed nothing does until Enter, so no PIN lands in the
 * Username field for all to see.  A username never begins with a digit,
 * so a PIN typed there by mistake is refused, not shown.  A sign-in
 * being typed is never wiped by anything but the person typing it. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"

static int	ward_signin_submit(struct ward *, struct ward_form *);

/* The sign-in form, ready for whoever comes. */
void
ward_signin_prepare(struct ward *w)
{
	struct ward_form	*f = &w->signin;

	ward_form_clear(f);
	f->full = 1;
	f->submit = ward_signin_submit;
	ward_form_add(f, "Username", 0, 0, USERNAME_MAX, NULL);
	ward_form_add(f, "PIN", 1, 0, PIN_MAX_DIGITS, NULL);
}

/* Whether nothing has been typed into the sign-in. */
static int
ward_signin_empty(const struct ward *w)
{
	int	i;

	for (i = 0; i < w->signin.nfields; i++)
		if (w->signin.field[i].value[0] != '\0')
			return 0;
	return 1;
}

/* Lock the terminal now; why (or NULL) is said on the sign-in screen.
 * An open form goes, with anything typed in it (a witness's PIN).  On a
 * terminal already locked, someone may be signing in: what they typed
 * stays. */
void
ward_lock(struct ward *w, const char *why)
{
	if (w->locked) {
		if (why != NULL && ward_signin_empty(w) && !w->signin_gate)
			snprintf(w->signin.error, sizeof w->signin.error,
			    "%s", why);
		return;
	}
	if (w->form != NULL && w->form->nfields > 0)
		w->signin_gate = 1;
	ward_form_close(w);
	w->locked = 1;
	w->locked_at = ward_now(w);
	snprintf(w->locked_by, sizeof w->locked_by, "%s", w->display_name);
	ward_signin_prepare(w);
	if (why != NULL)
		snprintf(w->signin.error, sizeof w->signin.error, "%s", why);
	/* Keys typed for the screen that was there are not for this one. */
	flushinp();
	w->keys_held = 1;
}

/* Take the roles that decide which alerts this person is shown. */
static void
ward_signin_roles(struct ward *w, const json_t *staff)
{
	const json_t	*roles = json_object_get(staff, "roles"), *r;
	const char	*name;
	size_t		 i;

	w->manager = w->prescriber = w->pharmacist = w->reception = 0;
	w->clinical = 0;
	json_array_foreach(roles, i, r) {
		if ((name = json_string_value(r)) == NULL)
			continue;
		if (strcmp(name, "nurse") == 0 ||
		    strcmp(name, "competent") == 0 ||
		    strcmp(name, "prescriber") == 0)
			w->clinical = 1;
		if (strcmp(name, "manager") == 0)
			w->manager = 1;
		else if (strcmp(name, "prescriber") == 0)
			w->prescriber = 1;
		else if (strcmp(name, "pharmacist") == 0)
			w->pharmacist = 1;
		else if (strcmp(name, "reception") == 0)
			w->reception = 1;
	}
}

/* End a session with its own token (not the one now in use); -1 with
 * why in words if the daemon did not end it (an expired session is
 * ended already). */
static int
ward_signin_end(struct ward *w, const char *token, char *why, size_t size)
{
	struct ward_reply	r;
	char			keep[sizeof w->calls.token];
	int			rc;

	memcpy(keep, w->calls.token, sizeof keep);
	snprintf(w->calls.token, sizeof w->calls.token, "%s", token);
	w->signed_in = 0;	/* a 401 here must not lock anything */
	rc = ward_call(w, "DELETE", "/sessions/current", NULL, NULL, 204, &r);
	if (rc == -1 && r.status == 401)
		rc = 0;
	if (rc == -1)
		snprintf(why, size, "%s", r.words);
	ward_reply_free(&r);
	memcpy(w->calls.token, keep, sizeof keep);
	explicit_bzero(keep, sizeof keep);
	return rc;
}

/* Sign in with the form's username and PIN. */
static int
ward_signin_submit(struct ward *w, struct ward_form *f)
{
	struct ward_reply	 r;
	const json_t		*staff;
	const char		*token;
	char			 old[sizeof w->calls.token], why[512];
	int			 rc, ended = 0;

	if (validate_username(f->field[0].value) == -1) {
		snprintf(f->error, sizeof f->error, "A username is written in "
		    "small letters, such as nina.");
		f->cur = 0;
		explicit_bzero(f->field[1].value, sizeof f->field[1].value);
		return -1;
	}
	memcpy(old, w->calls.token, sizeof old);
	w->calls.token[0] = '\0';
	rc = ward_call(w, "POST", "/sessions", json_pack("{s:s,s:s}",
	    "username", f->field[0].value, "pin", f->field[1].value), NULL,
	    201, &r);
	explicit_bzero(f->field[1].value, sizeof f->field[1].value);
	token = ward_str(r.body, "token");
	if (rc == -1 || token == NULL || strlen(token) >=
	    sizeof w->calls.token) {
		memcpy(w->calls.token, old, sizeof old);
		explicit_bzero(old, sizeof old);
		snprintf(f->error, sizeof f->error, "%s", rc == -1 ? r.words :
		    "The daemon's answer had no session in it.");
		f->cur = 1;
		ward_reply_free(&r);
		return -1;
	}
	snprintf(w->calls.token, sizeof w->calls.token, "%s", token);
	snprintf(w->live.token, sizeof w->live.token, "%s", token);
	staff = json_object_get(r.body, "staff");
	snprintf(w->username, sizeof w->username, "%.*s", USERNAME_MAX,
	    ward_str(staff, "username") ? ward_str(staff, "username") :
	    f->field[0].value);
	snprintf(w->display_name, sizeof w->display_name, "%s",
	    ward_str(staff, "display_name") ? ward_str(staff, "display_name") :
	    w->username);
	ward_signin_roles(w, staff);
	snprintf(w->emergency_instruction, sizeof w->emergency_instruction,
	    "%s", ward_str(r.body, "emergency_instruction") ?
	    ward_str(r.body, "emergency_instruction") : "");
	client_json_wipe(r.body);	/* the token, copied */
	ward_reply_free(&r);

	/* What was being read was read with the old session. */
	ward_refresh_stop(w);
	if (old[0] != '\0' && strcmp(old, w->calls.token) != 0)
		ended = ward_signin_end(w, old, why, sizeof why);
	explicit_bzero(old, sizeof old);
	w->signed_in = 1;
	w->locked = 0;
	w->signin_gate = 0;
	w->ever = 1;
	w->last_key = ward_seconds();
	ward_alerts_start(w);
	ward_refresh(w);
	if (ended == -1)
		ward_say(w, WARD_A_WARNING, "Signed in as %s. The session "
		    "before could not be ended: %s", w->display_name, why);
	else
		ward_say(w, WARD_A_OK, "Signed in as %s.", w->display_name);
	return 0;
}

/* A key on the sign-in screen.  Before anyone has signed in, Esc leaves
 * the program; once someone has, nothing here does, so a locked
 * terminal never falls through to a shell. */
void
ward_signin_key(struct ward *w, const struct ward_key *k)
{
	struct ward_form	*f = &w->signin;

	if (w->signin_gate) {
		/* Whatever else is typed may be the rest of a PIN. */
		if (k->fn == KEY_ENTER || (k->fn == 0 && (k->ch == '\r' ||
		    k->ch == '\n'))) {
			w->signin_gate = 0;
			f->reviewing = 0;
		}
		return;
	}
	if (k->fn == 0 && k->ch >= '0' && k->ch <= '9' && f->cur == 0 &&
	    f->field[0].value[0] == '\0') {
		snprintf(f->error, sizeof f->error, "A username begins with a "
		    "letter. The PIN goes on the line below, after Enter.");
		return;
	}
	if (k->fn == 0 && k->ch == 27) {
		if (!w->ever)
			ward_quit(w);
		else
			ward_signin_prepare(w);
		return;
	}
	ward_form_key(w, f, k);
}

/* The sign-in screen: no patient is named, but the ward can see there
 * are alerts waiting, and the stream's state. */
void
ward_signin_draw(struct ward *w)
{
	struct ward_form	*f = &w->signin;
	char			 at[32], line[256];

	snprintf(f->title, sizeof f->title, "%s", w->ever ?
	    "Locked: sign in to go on" : "Sign in to the ward terminal");
	f->ninfo = 0;
	if (w->ever && w->locked_by[0] != '\0')
		ward_form_info(f, "Locked at %s (%s). The view is kept.",
		    ward_when(w, w->locked_at, WARD_HM_ZONE, at, sizeof at) ?
		    at : "?", w->locked_by);
	else
		ward_form_info(f, "idtsd at %s", w->calls.server);
	if (w->alerts_loaded) {
		if (w->alerts_loud + w->alerts_emergency > 0)
			ward_form_info(f, "%zu open alert%s, %zu URGENT or "
			    "EMERGENCY: sign in to see %s.", w->alerts_open,
			    w->alerts_open == 1 ? "" : "s", w->alerts_loud +
			    w->alerts_emergency, w->alerts_loud +
			    w->alerts_emergency == 1 ? "it" : "them");
		else
			ward_form_info(f, "%zu open alert%s.", w->alerts_open,
			    w->alerts_open == 1 ? "" : "s");
	}
	if (w->live_refused == 401)
		ward_form_info(f, "The alerts have stopped: the session ended. "
		    "They start again when someone signs in.");
	else if (w->live_refused != 0)
		ward_form_info(f, "The daemon refused the alert stream (HTTP "
		    "%d).", w->live_refused);
	else if (w->down_since != 0)
		ward_form_info(f, "DISCONNECTED from the daemon since %s.",
		    ward_when(w, w->down_since, WARD_HMS, at, sizeof at) ?
		    at : "?");
	if (w->signin_gate) {
		ward_form_info(f, "The form that was open was closed, and "
		    "nothing typed in it was sent.");
		snprintf(f->question, sizeof f->question, "Press Enter to "
		    "sign in.");
	}
	f->reviewing = w->signin_gate;	/* the question, no cursor */
	snprintf(line, sizeof line, " %s  %s", WARD_NAME, ward_when(w,
	    ward_now(w), WARD_DATE, at, sizeof at) ? at : "");
	ward_put(0, 0, COLS, line, ward_screen_attr(w, WARD_A_BAR));
	ward_put(LINES - 1, 0, COLS, w->ever ? "" :
	    "Esc: leave idts-ward", ward_screen_attr(w, WARD_A_DIM));
	ward_form_draw(w, f);
}

/* Leaving: end the session so the token is worth nothing. */
void
ward_signout(struct ward *w)
{
	ward_refresh_stop(w);
	if (w->calls.token[0] != '\0') {
		char	token[sizeof w->calls.token], why[512];

		memcpy(token, w->calls.token, sizeof token);
		if (ward_signin_end(w, token, why, sizeof why) == -1)
			fprintf(stderr, "%s: the session could not be ended: "
			    "%s\n", WARD_NAME, why);
		explicit_bzero(token, sizeof token);
	}
	explicit_bzero(w->calls.token, sizeof w->calls.token);
	explicit_bzero(w->live.token, sizeof w->live.token);
	w->signed_in = 0;
}
