/* Changing one's own PIN (c, from any pane): the old PIN, the new one
 * twice, each checked as it is typed; POST /v1/staff/me/pin.  A wrong
 * old PIN counts towards the lock as at the sign-in, and the daemon's
 * answer says how many tries are left.  Every PIN is wiped from the form
 * once sent. */
#include <stdio.h>
#include <string.h>

#include "ward.h"

#define WARD_PIN_OLD	0
#define WARD_PIN_NEW	1
#define WARD_PIN_AGAIN	2

/* A new PIN the daemon takes: digits only, as many as it allows. */
static int
ward_pin_new_check(struct ward *w, struct ward_form *f, int field)
{
	(void)w;
	if (validate_pin(f->field[field].value) == 0)
		return 0;
	snprintf(f->error, sizeof f->error, "A PIN is %d to %d digits.",
	    PIN_MIN_DIGITS, PIN_MAX_DIGITS);
	explicit_bzero(f->field[field].value, sizeof f->field[field].value);
	return -1;
}

/* The new PIN typed the same twice. */
static int
ward_pin_again_check(struct ward *w, struct ward_form *f, int field)
{
	(void)w;
	if (strcmp(f->field[WARD_PIN_NEW].value, f->field[field].value) == 0)
		return 0;
	snprintf(f->error, sizeof f->error, "The two new PINs differ: type "
	    "the new PIN again.");
	explicit_bzero(f->field[field].value, sizeof f->field[field].value);
	return -1;
}

static int
ward_pin_send(struct ward *w, struct ward_form *f)
{
	struct ward_reply	 r;
	json_t			*body;
	int			 i;

	body = json_pack("{s:s,s:s}", "old_pin", f->field[WARD_PIN_OLD].value,
	    "new_pin", f->field[WARD_PIN_NEW].value);
	for (i = 0; i < f->nfields; i++)
		explicit_bzero(f->field[i].value, sizeof f->field[i].value);
	if (ward_call(w, "POST", "/staff/me/pin", body, f->key, 200,
	    &r) == -1) {
		snprintf(f->error, sizeof f->error, "PIN not changed: %.480s",
		    r.words);
		if (r.status != 0)
			validate_new_uuid(f->key);
		f->cur = WARD_PIN_OLD;
		ward_reply_free(&r);
		return -1;
	}
	ward_reply_free(&r);
	ward_say(w, WARD_A_OK, "Your PIN is changed, %s: use the new one from "
	    "now on.", w->display_name);
	return 0;
}

/* c: the form, for whoever is signed in. */
void
ward_pin_open(struct ward *w)
{
	struct ward_form	*f = ward_form_open(w, "Change my PIN");

	ward_form_info(f, "%s (%s): your old PIN, then the new one twice.",
	    w->display_name, w->username);
	ward_form_add(f, "Old PIN", 1, 0, PIN_MAX_DIGITS, NULL);
	ward_form_add(f, "New PIN", 1, 0, PIN_MAX_DIGITS, NULL);
	f->field[WARD_PIN_NEW].check = ward_pin_new_check;
	ward_form_add(f, "New PIN again", 1, 0, PIN_MAX_DIGITS, NULL);
	f->field[WARD_PIN_AGAIN].check = ward_pin_again_check;
	f->submit = ward_pin_send;
}
