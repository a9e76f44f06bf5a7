/* Forms: a box of fields typed into a key at a time, so the alert stream
 * and the idle lock go on while a nurse types.  Enter moves to the next
 * field and, on the last, checks and sends; a form with a review (an
 * observation) first shows what it will save and asks y or n.  A form
 * with no fields is a question (quit?) or a page to read (the keys). */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "ward.h"

#define WARD_FORM_WIDTH		78
#define WARD_FORM_INFO_ROWS	3	/* the most one line of info takes */

/* Empty a form, wiping what was typed (PINs). */
void
ward_form_clear(struct ward_form *f)
{
	explicit_bzero(f, sizeof *f);
}

/* Open the modal form, closing any other. */
struct ward_form *
ward_form_open(struct ward *w, const char *title)
{
	if (w->form != NULL)
		ward_form_close(w);
	ward_form_clear(&w->form_store);
	snprintf(w->form_store.title, sizeof w->form_store.title, "%s",
	    title);
	validate_new_uuid(w->form_store.key);
	w->form = &w->form_store;
	return w->form;
}

void
ward_form_close(struct ward *w)
{
	if (w->form == NULL)
		return;
	json_decref(w->form->subject);
	ward_form_clear(w->form);
	w->form = NULL;
}

/* Add a field; its index, or -1 when the form is full. */
int
ward_form_add(struct ward_form *f, const char *label, int secret,
    int optional, size_t max, const char *value)
{
	struct ward_field	*fl;

	if (f->nfields >= WARD_FORM_FIELDS)
		return -1;
	fl = &f->field[f->nfields];
	fl->label = label;
	fl->secret = secret;
	fl->optional = optional;
	fl->max = max < sizeof fl->value ? max : sizeof fl->value - 1;
	snprintf(fl->value, sizeof fl->value, "%s", value ? value : "");
	return f->nfields++;
}

/* A line of what the form is about. */
void
ward_form_info(struct ward_form *f, const char *fmt, ...)
{
	va_list	ap;

	if (f->ninfo >= WARD_FORM_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(f->info[f->ninfo++], sizeof f->info[0], fmt, ap);
	va_end(ap);
}

/* A yes-or-no question in a box of its own. */
void
ward_form_confirm(struct ward *w, const char *question, ward_form_cb yes)
{
	struct ward_form	*f = ward_form_open(w, "Please confirm");

	snprintf(f->question, sizeof f->question, "%s", question);
	f->reviewing = 1;
	f->submit = yes;
}

/* The form is done with: the modal one closes, the sign-in empties. */
static void
ward_form_done(struct ward *w, struct ward_form *f)
{
	int	i;

	if (f == w->form) {
		ward_form_close(w);
		return;
	}
	for (i = 0; i < f->nfields; i++)
		explicit_bzero(f->field[i].value, sizeof f->field[i].value);
	f->cur = 0;
	f->reviewing = 0;
}

/* Take the last character off a field (a whole UTF-8 sequence). */
static void
ward_form_backspace(struct ward_field *fl)
{
	size_t	n = strlen(fl->value);

	while (n > 0 && ((unsigned char)fl->value[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	memset(fl->value + n, 0, sizeof fl->value - n);
}

/* Add a typed character to a field if it fits. */
static void
ward_form_type(struct ward_field *fl, wint_t ch)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 st;
	size_t		 n, len = strlen(fl->value);

	memset(&st, 0, sizeof st);
	if (!iswprint(ch) || (n = wcrtomb(mb, (wchar_t)ch, &st)) ==
	    (size_t)-1 || len + n > fl->max || len + n >= sizeof fl->value)
		return;
	memcpy(fl->value + len, mb, n);
	fl->value[len + n] = '\0';
}

/* Send what the form says.  Keys typed ahead meanwhile (a second Enter,
 * a key bounced) were typed for the form, not for what comes next, so
 * they are dropped. */
static void
ward_form_send(struct ward *w, struct ward_form *f)
{
	if (f->submit != NULL)
		w->flush_keys = 1;
	if (f->submit == NULL || f->submit(w, f) == 0)
		ward_form_done(w, f);
}

/* Whether field i holds an answer the form takes: filled if it must
 * be, and passing its own check; if not, says why and stays on it, the
 * answer kept to be put right. */
static int
ward_form_answered(struct ward *w, struct ward_form *f, int i)
{
	const struct ward_field	*fl = &f->field[i];

	if (!fl->optional && fl->value[0] == '\0') {
		snprintf(f->error, sizeof f->error, "Fill in: %s.", fl->label);
		f->cur = i;
		return 0;
	}
	if (fl->check != NULL && fl->check(w, f, i) == -1) {
		f->cur = i;
		return 0;
	}
	return 1;
}

/* Enter on the last field: every field answered, then the review or
 * the sending. */
static void
ward_form_finish(struct ward *w, struct ward_form *f)
{
	int	i;

	for (i = 0; i < f->nfields; i++)
		if (!ward_form_answered(w, f, i))
			return;
	f->error[0] = '\0';
	if (f->check != NULL) {
		if (f->check(w, f) == 0)
			f->reviewing = 1;
		return;
	}
	ward_form_send(w, f);
}

/* One key for form f. */
void
ward_form_key(struct ward *w, struct ward_form *f, const struct ward_key *k)
{
	struct ward_field	*fl;
	int			 enter, edited = 0;

	enter = (k->fn == 0 && (k->ch == '\r' || k->ch == '\n')) ||
	    k->fn == KEY_ENTER;
	if (f->reviewing) {
		if (k->fn == 0 && (k->ch == 'y' || k->ch == 'Y')) {
			f->reviewing = 0;
			ward_form_send(w, f);
		} else if ((k->fn == 0 && (k->ch == 'n' || k->ch == 'N' ||
		    k->ch == 27)) || k->fn == KEY_CANCEL) {
			f->reviewing = 0;
			if (f->declined != NULL)
				f->declined(w, f);
			if (f->nfields == 0)
				ward_form_done(w, f);
		}
		return;
	}
	if (f->nfields == 0) {		/* a page to read: any key */
		ward_form_done(w, f);
		return;
	}
	if (k->fn == 0 && k->ch == 27) {
		ward_form_done(w, f);
		return;
	}
	fl = &f->field[f->cur];
	if (enter) {
		if (f->cur + 1 < f->nfields) {
			f->error[0] = '\0';
			if (ward_form_answered(w, f, f->cur))
				f->cur++;
		} else
			ward_form_finish(w, f);
		return;
	}
	if (k->fn == KEY_DOWN || (k->fn == 0 && k->ch == '\t')) {
		if (f->cur + 1 < f->nfields)
			f->cur++;
	} else if (k->fn == KEY_UP || k->fn == KEY_BTAB) {
		if (f->cur > 0)
			f->cur--;
	} else if (k->fn == KEY_BACKSPACE || k->fn == KEY_DC ||
	    (k->fn == 0 && (k->ch == 127 || k->ch == 8))) {
		ward_form_backspace(fl);
		edited = 1;
	} else if (k->fn == 0 && k->ch == WARD_CTRL('u')) {
		explicit_bzero(fl->value, sizeof fl->value);
		edited = 1;
	} else if (k->fn == 0) {
		ward_form_type(fl, k->ch);
		edited = 1;
	}
	if (edited) {
		f->error[0] = '\0';
		if (f->changed != NULL)
			f->changed(w, f);
	}
}

/* A field's value as shown: stars for a secret, the end of a long one. */
static const char *
ward_form_shown(const struct ward_field *fl, int room, char *buf,
    size_t size)
{
	const char	*v = fl->value;
	size_t		 n;

	if (fl->secret) {
		n = 0;
		for (; *v != '\0' && n + 1 < size; v++)
			if (((unsigned char)*v & 0xc0) != 0x80)
				buf[n++] = '*';
		buf[n] = '\0';
		return buf;
	}
	while (*v != '\0' && ward_text_width(v) > room - 1) {
		v++;
		while (((unsigned char)*v & 0xc0) == 0x80)
			v++;
	}
	snprintf(buf, size, "%s", v);
	return buf;
}

/* Draw form f in a box in the middle of the screen (the whole screen for
 * the sign-in), with the cursor in the field being typed. */
void
ward_form_draw(struct ward *w, struct ward_form *f)
{
	char	 shown[WARD_FIELD_MAX * 2], title[160];
	int	 width = COLS - 2 < WARD_FORM_WIDTH ? COLS - 2 : WARD_FORM_WIDTH;
	int	 inner = width - 4, label = 0, height, y0, x0, y, i, cx = 0;
	int	 cy = -1, attr, info = 0;

	for (i = 0; i < f->nfields; i++)
		if (ward_text_width(f->field[i].label) > label)
			label = ward_text_width(f->field[i].label);
	if (label > inner / 2)
		label = inner / 2;
	/* A long line of what the form is about (an alert's message) is
	 * read whole: over up to three rows. */
	for (i = 0; i < f->ninfo; i++)
		info += ward_put_wrapped(-1, 0, inner, f->info[i], A_NORMAL,
		    WARD_FORM_INFO_ROWS);
	height = 2 + info + (f->ninfo > 0) + f->nfields +
	    (f->nfields > 0) + f->npreview + (f->npreview > 0) + 3 + 2;
	if (height > LINES)
		height = LINES;
	y0 = (LINES - height) / 2;
	x0 = (COLS - width) / 2;
	for (y = y0; y < y0 + height; y++)
		ward_put(y, x0, width, "", A_NORMAL);
	attrset(A_NORMAL);
	mvhline(y0, x0 + 1, ACS_HLINE, width - 2);
	mvhline(y0 + height - 1, x0 + 1, ACS_HLINE, width - 2);
	mvvline(y0 + 1, x0, ACS_VLINE, height - 2);
	mvvline(y0 + 1, x0 + width - 1, ACS_VLINE, height - 2);
	mvaddch(y0, x0, ACS_ULCORNER);
	mvaddch(y0, x0 + width - 1, ACS_URCORNER);
	mvaddch(y0 + height - 1, x0, ACS_LLCORNER);
	mvaddch(y0 + height - 1, x0 + width - 1, ACS_LRCORNER);
	snprintf(title, sizeof title, " %s ", f->title);
	ward_put(y0, x0 + 2, ward_text_width(title) < width - 4 ?
	    ward_text_width(title) : width - 4, title, A_BOLD);

	y = y0 + 1;
	for (i = 0; i < f->ninfo && y < y0 + height - 1; i++)
		y += ward_put_wrapped(y, x0 + 2, inner, f->info[i], A_NORMAL,
		    y0 + height - 1 - y < WARD_FORM_INFO_ROWS ?
		    y0 + height - 1 - y : WARD_FORM_INFO_ROWS);
	if (f->ninfo > 0)
		y++;
	for (i = 0; i < f->nfields && y < y0 + height - 1; i++, y++) {
		const struct ward_field	*fl = &f->field[i];

		attr = i == f->cur && !f->reviewing ? A_BOLD : A_NORMAL;
		ward_put(y, x0 + 2, label, fl->label, attr);
		ward_put(y, x0 + 2 + label, 2, ": ", attr);
		ward_form_shown(fl, inner - label - 2, shown, sizeof shown);
		ward_put(y, x0 + 4 + label, inner - label - 2, shown,
		    A_UNDERLINE);
		if (i == f->cur) {
			cy = y;
			cx = x0 + 4 + label + ward_text_width(shown);
		}
	}
	if (f->nfields > 0)
		y++;
	for (i = 0; i < f->npreview && y < y0 + height - 1; i++)
		ward_put(y++, x0 + 2, inner, f->preview[i],
		    ward_screen_attr(w, i == 0 ? f->preview_attr :
		    WARD_A_NORMAL));
	if (f->npreview > 0)
		y++;
	if (f->error[0] != '\0' && y < y0 + height - 1)
		ward_put_wrapped(y, x0 + 2, inner, f->error,
		    ward_screen_attr(w, WARD_A_ERROR), y0 + height - 2 - y);
	if (f->reviewing)
		ward_put(y0 + height - 2, x0 + 2, inner, f->question,
		    A_BOLD | A_REVERSE);
	else if (f->nfields > 0)
		ward_put(y0 + height - 2, x0 + 2, inner, f->full ?
		    "Enter: next / sign in   Backspace: delete   "
		    "Up/Down: field" : "Enter: next / send   Up/Down: field   "
		    "^U: clear   Esc: cancel", ward_screen_attr(w, WARD_A_DIM));
	else
		ward_put(y0 + height - 2, x0 + 2, inner, "Press any key.",
		    ward_screen_attr(w, WARD_A_DIM));
	if (cy >= 0 && !f->reviewing) {
		if (cx >= x0 + width - 1)
			cx = x0 + width - 2;
		move(cy, cx);
		curs_set(1);
	} else
		curs_set(0);
}
