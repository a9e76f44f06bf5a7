/* The screen: curses set up and torn down, what each kind of text looks
 * like in colour and without it, and the layout every pane shares:
 *
 *	row 0		who is signed in, the daemon's time, the stream
 *	row 1		the panes, with what needs doing in each
 *	rows 2..	the pane
 *	LINES-4		the loudest open alert, seen from any pane
 *	LINES-3, -2	what the last action did, or why not
 *	LINES-1		the keys of this pane
 *
 * Everything is drawn afresh each time; curses sends only what
 * changed, which is little enough over SSH. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wctype.h>

#include <event2/event.h>

#include "table.h"
#include "ward.h"

#define WARD_MIN_LINES	12
#define WARD_MIN_COLS	60

static int	ward_attrs[WARD_NATTRS];

static const char *const ward_pane_names[WARD_NPANES] = {
	"Alerts", "Round", "Obs", "Court"
};

static const char *const ward_pane_keys[WARD_NPANES] = {
	"Up/Down select  a acknowledge  f filter  Tab pane  n arrival  "
	    "c PIN  l lock  q quit  ? keys",
	"Up/Down select  g give  r refuse  w withhold  Tab pane  l lock  "
	    "q quit  ? keys",
	"Up/Down select  o record observation  Tab pane  l lock  q quit  "
	    "? keys",
	"Up/Down select  Tab pane  ^R refresh  l lock  q quit  ? keys",
};

/* What each kind of text looks like.  Without colour, severities stay
 * apart by reverse, underline and bold, and by the markers the panes
 * write before them ("!!!", "!!", "!"). */
static void
ward_screen_attrs(const struct ward *w)
{
	ward_attrs[WARD_A_NORMAL] = A_NORMAL;
	ward_attrs[WARD_A_EMERGENCY] = A_REVERSE | A_BOLD;
	ward_attrs[WARD_A_URGENT] = A_BOLD | A_UNDERLINE;
	ward_attrs[WARD_A_WARNING] = A_BOLD;
	ward_attrs[WARD_A_INFO] = A_NORMAL;
	ward_attrs[WARD_A_OK] = A_NORMAL;
	ward_attrs[WARD_A_ERROR] = A_BOLD;
	ward_attrs[WARD_A_DIM] = A_DIM;
	ward_attrs[WARD_A_BAR] = A_REVERSE;
	ward_attrs[WARD_A_TITLE] = A_BOLD;
	ward_attrs[WARD_A_DUE] = A_BOLD;
	if (!w->colour)
		return;
	init_pair(1, COLOR_WHITE, COLOR_RED);
	init_pair(2, COLOR_RED, -1);
	init_pair(3, COLOR_YELLOW, -1);
	init_pair(4, COLOR_CYAN, -1);
	init_pair(5, COLOR_GREEN, -1);
	init_pair(6, COLOR_WHITE, COLOR_BLUE);
	ward_attrs[WARD_A_EMERGENCY] = COLOR_PAIR(1) | A_BOLD;
	ward_attrs[WARD_A_URGENT] = COLOR_PAIR(2) | A_BOLD;
	ward_attrs[WARD_A_WARNING] = COLOR_PAIR(3) | A_BOLD;
	ward_attrs[WARD_A_INFO] = COLOR_PAIR(4);
	ward_attrs[WARD_A_OK] = COLOR_PAIR(5);
	ward_attrs[WARD_A_ERROR] = COLOR_PAIR(2) | A_BOLD;
	ward_attrs[WARD_A_BAR] = COLOR_PAIR(6) | A_BOLD;
	ward_attrs[WARD_A_DUE] = COLOR_PAIR(5) | A_BOLD;
}

int
ward_screen_attr(const struct ward *w, int kind)
{
	(void)w;
	if (kind < 0 || kind >= WARD_NATTRS)
		return A_NORMAL;
	return ward_attrs[kind];
}

/* Take the terminal: raw, so neither ^C nor ^Z leaves a locked screen
 * for a shell; keys as they come, never blocking the loop.  However the
 * program ends (exit, a failed assertion's abort aside), the terminal
 * is given back as it was. */
int
ward_screen_start(struct ward *w)
{
	if (initscr() == NULL)
		return -1;
	atexit(ward_screen_stop);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	w->colour = w->colour && has_colors();
	if (w->colour) {
		start_color();
		use_default_colors();
	}
	ward_screen_attrs(w);
	return 0;
}

void
ward_screen_stop(void)
{
	if (!isendwin())
		endwin();
}

/* The window changed size: tell curses, which then hands the keys a
 * KEY_RESIZE too. */
void
ward_screen_resize(struct ward *w)
{
	struct winsize	ws;

	(void)w;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

/* The next character of s (left bytes long): its length in bytes (0 at
 * a NUL), the character in *wc and the columns it takes in *cw.  A byte
 * that is no character in the locale, or a control character, comes back
 * as a '?' one column wide. */
static size_t
ward_next_char(const char *s, size_t left, mbstate_t *st, wchar_t *wc,
    int *cw)
{
	size_t	n = mbrtowc(wc, s, left, st);

	if (n == (size_t)-1 || n == (size_t)-2) {
		memset(st, 0, sizeof *st);
		n = 1;
		*cw = -1;
	} else if (n != 0)
		*cw = wcwidth(*wc);
	if (n != 0 && *cw < 0) {
		*wc = L'?';
		*cw = 1;
	}
	return n;
}

/* The columns text takes on the screen. */
int
ward_text_width(const char *s)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n, left = strlen(s);
	int		 used = 0, cw;

	memset(&st, 0, sizeof st);
	while (left > 0 && (n = ward_next_char(s, left, &st, &wc, &cw)) != 0) {
		used += cw;
		s += n;
		left -= n;
	}
	return used;
}

/* Write s at y, x in exactly width columns: cut, or padded with spaces.
 * Anything the terminal would take as control (an escape in a name, a
 * line break in a message) is shown as '?', so no text from the daemon
 * can move the cursor or change the terminal.  Returns the columns the
 * text itself took. */
int
ward_put(int y, int x, int width, const char *s, int attr)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n, left;
	int		 used = 0, cw;

	if (width <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	if (s == NULL)
		s = "";
	left = strlen(s);
	move(y, x);
	attrset(attr);
	memset(&st, 0, sizeof st);
	while (left > 0 && (n = ward_next_char(s, left, &st, &wc, &cw)) != 0) {
		/* A combining mark with nothing to combine with. */
		if (cw == 0 && used == 0) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > width)
			break;
		addnwstr(&wc, 1);
		used += cw;
		s += n;
		left -= n;
	}
	for (cw = used; cw < width; cw++)
		addch(' ');
	attrset(A_NORMAL);
	return used;
}

/* Write text over as many rows as it needs, up to max, broken at spaces
 * (a word longer than a row is broken where the row ends, never inside
 * a character); the rows used.  With y < 0, only count them. */
int
ward_put_wrapped(int y, int x, int width, const char *text, int attr,
    int max)
{
	char	line[512];
	size_t	cut;
	int	rows = 0;

	if (width <= 0)
		return 0;
	while (*text != '\0' && rows < max) {
		if ((cut = table_wrap_cut(text, width, sizeof line - 1)) == 0)
			break;		/* not even one character fits */
		memcpy(line, text, cut);
		line[cut] = '\0';
		if (y >= 0)
			ward_put(y + rows, x, width, line, attr);
		rows++;
		text += cut;
		while (*text == ' ')
			text++;
	}
	return rows;
}

/* The columns' minimum widths and the gaps between them, those left out
 * (width -1 while fitting) not counted. */
static int
ward_cols_need(const struct ward_col *c, int n)
{
	int	i, need = -1;

	for (i = 0; i < n; i++)
		if (c[i].width != -1)
			need += c[i].min + 1;
	return need;
}

/* Leave out, while the minimums do not fit, the column that goes first
 * (the highest drop); 0 when none is left to leave out. */
static int
ward_cols_drop(struct ward_col *c, int n)
{
	int	i, worst = -1;

	for (i = 0; i < n; i++)
		if (c[i].drop > 0 && c[i].width != -1 &&
		    (worst == -1 || c[i].drop > c[worst].drop))
			worst = i;
	if (worst == -1)
		return 0;
	c[worst].width = -1;
	return 1;
}

/* Share width among columns: those that may go are left out until the
 * rest fit; each gets its minimum, then what is left goes to those that
 * grow, by their shares.  Should even that not fit, the rest give way
 * right to left. */
void
ward_cols_fit(struct ward_col *c, int n, int width)
{
	int	i, need, shares = 0, extra, given = 0, last = -1;

	for (i = 0; i < n; i++)
		c[i].width = 0;
	while (ward_cols_need(c, n) > width && ward_cols_drop(c, n))
		;
	need = ward_cols_need(c, n);
	for (i = 0; i < n; i++) {
		if (c[i].width == -1) {
			c[i].width = 0;
			continue;
		}
		c[i].width = c[i].min;
		shares += c[i].grow;
		if (c[i].grow > 0)
			last = i;
	}
	extra = width - need;
	if (extra > 0 && shares > 0) {
		for (i = 0; i < n; i++)
			if (c[i].grow > 0 && c[i].width > 0) {
				c[i].width += extra * c[i].grow / shares;
				given += extra * c[i].grow / shares;
			}
		c[last].width += extra - given;
	}
	for (i = n - 1; extra < 0 && i >= 0; i--) {
		int	cut = c[i].width - 1 < -extra ? c[i].width - 1 : -extra;

		if (c[i].width == 0)
			continue;
		c[i].width -= cut;
		extra += cut;
	}
}

/* The titles of columns on row y. */
void
ward_cols_header(const struct ward_col *c, int n, int y, int attr)
{
	int	i, x = 0;

	for (i = 0; i < n && x < COLS; i++) {
		if (c[i].width == 0)
			continue;
		ward_put(y, x, c[i].width, c[i].title, attr);
		x += c[i].width + 1;
	}
}

/* One row of a table: each cell cut to its column, the gaps between
 * them in the row's attribute (reverse when selected) so the selection
 * reads as one bar; attrs (or NULL) adds a cell's own. */
void
ward_cols_row(const struct ward_col *c, int n, int y,
    const char *const *cells, const int *attrs, int rowattr)
{
	int	i, x = 0;

	for (i = 0; i < n && x < COLS; i++) {
		if (c[i].width == 0)
			continue;
		ward_put(y, x, c[i].width, cells[i], rowattr |
		    (attrs != NULL ? attrs[i] : 0));
		if (x + c[i].width < COLS)
			ward_put(y, x + c[i].width, 1, "", rowattr);
		x += c[i].width + 1;
	}
}

/* The three columns of who a row is about, from c[at]: the cell (its
 * location), the prison number and the name, never left out; the name
 * grows most.  How many were added. */
int
ward_who_cols(struct ward_col *c, int at)
{
	c[at] = (struct ward_col){ "CELL", 10, 1, 0, 0 };
	c[at + 1] = (struct ward_col){ "PRISON NO", 7, 0, 0, 0 };
	c[at + 2] = (struct ward_col){ "NAME", 18, 3, 0, 0 };
	return WARD_WHO_COLS;
}

/* The first width columns of s, whole characters only. */
static const char *
ward_cut(const char *s, int width, char *buf, size_t size)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n, at = 0, left = strlen(s);
	int		 used = 0, cw;

	memset(&st, 0, sizeof st);
	while (at < left && (n = ward_next_char(s + at, left - at, &st, &wc,
	    &cw)) != 0 && used + cw <= width && at + n < size) {
		used += cw;
		at += n;
	}
	snprintf(buf, size, "%.*s", (int)at, s);
	return buf;
}

/* "Family, Given" in width columns: whole if it fits; else cut at the
 * end while a third of the width is left to the given name; else the
 * family name cut short ("Featherston., Barthol"). */
static const char *
ward_name_fit(const json_t *p, int width, char *buf, size_t size)
{
	const char	*family = ward_str(p, "family_name");
	const char	*given = ward_str(p, "given_name");
	char		 fam[96], giv[96];
	int		 room;

	ward_person(p, buf, size);
	if (family == NULL || given == NULL || width <= 0)
		return buf;
	room = ward_text_width(given) < width / 3 ? ward_text_width(given) :
	    width / 3;
	if (ward_text_width(family) + 2 + room <= width)
		return buf;
	ward_cut(family, width - room - 3, fam, sizeof fam);
	ward_cut(given, room, giv, sizeof giv);
	snprintf(buf, size, "%s., %s", fam, giv);
	return buf;
}

/* Their cells for patient, fitted to the widths worked out. */
void
ward_who_cells(const struct ward_col *c, int at, const json_t *patient,
    struct ward_who *who, const char **cells)
{
	snprintf(who->number, sizeof who->number, "%s",
	    ward_str(patient, "prison_number") ? ward_str(patient,
	    "prison_number") : "?");
	ward_location_fit(ward_str(patient, "location"), c[at].width,
	    who->cell, sizeof who->cell);
	ward_name_fit(patient, c[at + 2].width, who->name, sizeof who->name);
	cells[at] = who->cell;
	cells[at + 1] = who->number;
	cells[at + 2] = who->name;
}

/* A location in width columns, its cell kept: "Stabilisation Unit, cell
 * 7" becomes "Stab., cell 7", then "cell 7"; a location with no comma
 * keeps its end, where the cell is written. */
const char *
ward_location_fit(const char *location, int width, char *buf, size_t size)
{
	const char	*cell;
	char		 part[128];
	int		 room;

	if (location == NULL)
		location = "?";
	if (width <= 0 || ward_text_width(location) <= width) {
		snprintf(buf, size, "%s", location);
		return buf;
	}
	if ((cell = strrchr(location, ',')) == NULL) {
		while (*location != '\0' && ward_text_width(location) > width)
			location++;
		snprintf(buf, size, "%s", location);
		return buf;
	}
	for (cell++; *cell == ' '; cell++)
		;
	room = width - ward_text_width(cell) - 3;	/* ".", ", " */
	if (room < 1) {
		snprintf(buf, size, "%s", cell);
		return buf;
	}
	snprintf(buf, size, "%s., %s", ward_cut(location, room, part,
	    sizeof part), cell);
	return buf;
}

/* Whether a list has rows above or below those shown, right on its
 * title row: "^ 2 more above  v 5 more below". */
void
ward_list_more(struct ward *w, enum ward_pane pane, size_t count, int rows,
    int y, int width)
{
	const struct ward_list	*l = &w->list[pane];
	size_t			 below;
	char			 text[96] = "";
	int			 used;

	if (rows < 1)
		rows = 1;
	below = count > l->top + (size_t)rows ? count - l->top -
	    (size_t)rows : 0;
	if (l->top > 0)
		snprintf(text, sizeof text, " ^ %zu more above ", l->top);
	if (below > 0)
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    " v %zu more below ", below);
	if (text[0] == '\0')
		return;
	used = ward_text_width(text);
	if (used > width)
		used = width;
	ward_put(y, width - used, used, text, ward_screen_attr(w,
	    WARD_A_BAR));
}

/* A pane's title, the time of the daemon's answer it shows, and, when
 * the last reading failed, why, so a nurse never takes a stale round
 * for the current one (error is "" when it did not). */
void
ward_pane_title(struct ward *w, int y, int width, const char *title,
    int64_t at, const char *error)
{
	char	line[900], when[32];
	int	stale = error != NULL && error[0] != '\0';

	snprintf(line, sizeof line, "%s%s%s%s%s%s", title, at != 0 ?
	    " (as of " : "", at != 0 && ward_when(w, at, WARD_HM, when,
	    sizeof when) != NULL ? when : "", at != 0 ? ")" : "", stale ?
	    "  NOT CURRENT: " : "", stale ? error : "");
	ward_put(y, 0, width, line, ward_screen_attr(w, stale ?
	    WARD_A_ERROR : WARD_A_TITLE));
}

/* --- lists: a selected row kept in view and kept by id ------------------- */

/* Keep the selection on a row that exists and in the rows shown. */
void
ward_list_show(struct ward *w, enum ward_pane pane, size_t count, int rows)
{
	struct ward_list	*l = &w->list[pane];

	if (count == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (rows < 1)
		rows = 1;
	if (l->sel >= count)
		l->sel = count - 1;
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)rows)
		l->top = l->sel - (size_t)rows + 1;
	if (l->top + (size_t)rows > count)
		l->top = count > (size_t)rows ? count - (size_t)rows : 0;
}

/* Moving in a list; 1 if the key was one of those. */
int
ward_list_key(struct ward *w, enum ward_pane pane, size_t count,
    const struct ward_key *k)
{
	struct ward_list	*l = &w->list[pane];
	size_t			 page = LINES > 12 ? (size_t)LINES - 10 : 1;

	if (k->fn == KEY_UP || (k->fn == 0 && k->ch == 'k')) {
		if (l->sel > 0)
			l->sel--;
	} else if (k->fn == KEY_DOWN || (k->fn == 0 && k->ch == 'j')) {
		if (l->sel + 1 < count)
			l->sel++;
	} else if (k->fn == KEY_PPAGE)
		l->sel = l->sel > page ? l->sel - page : 0;
	else if (k->fn == KEY_NPAGE)
		l->sel = count == 0 ? 0 : l->sel + page < count ?
		    l->sel + page : count - 1;
	else if (k->fn == KEY_HOME)
		l->sel = 0;
	else if (k->fn == KEY_END)
		l->sel = count > 0 ? count - 1 : 0;
	else
		return 0;
	return 1;
}

/* The selected row of rows, or NULL. */
json_t *
ward_list_selected(struct ward *w, enum ward_pane pane, json_t *rows)
{
	return json_array_get(rows, w->list[pane].sel);
}

/* What a row is known by: its id, or for an observation due the due's. */
static const char *
ward_list_id(const json_t *row)
{
	const char	*id = ward_str(row, "id");

	return id != NULL ? id : ward_str(row, "due_id");
}

/* Remember the selected row's id, to find it again after a refresh. */
void
ward_list_remember(struct ward *w, enum ward_pane pane, json_t *rows)
{
	const char	*id = ward_list_id(ward_list_selected(w, pane, rows));

	snprintf(w->list[pane].sel_id, sizeof w->list[pane].sel_id, "%s",
	    id != NULL ? id : "");
}

/* After new rows came: select the same record again if it is still
 * there, else the row at the same place. */
void
ward_list_keep(struct ward *w, enum ward_pane pane, json_t *rows)
{
	struct ward_list	*l = &w->list[pane];
	const char		*id;
	size_t			 i;
	json_t			*r;

	if (l->sel_id[0] != '\0')
		json_array_foreach(rows, i, r) {
			id = ward_list_id(r);
			if (id != NULL && strcmp(id, l->sel_id) == 0) {
				l->sel = i;
				return;
			}
		}
	if (json_array_size(rows) > 0 && l->sel >= json_array_size(rows))
		l->sel = json_array_size(rows) - 1;
	ward_list_remember(w, pane, rows);
}

/* --- the frame ------------------------------------------------------------ */

/* When the lost alert stream tries again: " in 8 s", or "" when it is
 * trying now. */
static const char *
ward_screen_retry(const struct ward *w, char *buf, size_t size)
{
	time_t	left = w->live_retry_at - ward_seconds();

	if (w->live_retry_at == 0 || left <= 0)
		return "";
	snprintf(buf, size, " in %lld s", (long long)left);
	return buf;
}

/* Row 0: the program, who, the daemon's time, and the stream's state. */
static void
ward_screen_header(struct ward *w)
{
	char	left[256], right[160], at[32], since[32], len[32], retry[32];
	int	attr = ward_screen_attr(w, WARD_A_BAR), rattr = attr, used;
	int64_t	now = ward_now(w);

	snprintf(left, sizeof left, " %s  %s (%s)  %s %s", WARD_NAME,
	    w->display_name, w->username, ward_when(w, now, WARD_DATE, at,
	    sizeof at) ? at : "", ward_when(w, now, WARD_HM_ZONE, since,
	    sizeof since) ? since : "");
	if (w->live_refused != 0) {
		snprintf(right, sizeof right, " alerts STOPPED (HTTP %d) ",
		    w->live_refused);
		rattr = ward_screen_attr(w, WARD_A_EMERGENCY);
	} else if (w->live_state == CLIENT_STREAM_CONNECTED)
		snprintf(right, sizeof right, " alerts LIVE ");
	else if (w->down_since != 0) {
		snprintf(right, sizeof right, " alerts DISCONNECTED since %s "
		    "(%s): reconnecting%s ", ward_when(w, w->down_since,
		    WARD_HMS, at, sizeof at) ? at : "?", words_minutes((now -
		    w->down_since) / 60000, len, sizeof len),
		    ward_screen_retry(w, retry, sizeof retry));
		rattr = ward_screen_attr(w, WARD_A_EMERGENCY);
	} else
		snprintf(right, sizeof right, " connecting ");
	used = ward_text_width(right);
	if (used > COLS)
		used = COLS;
	ward_put(0, 0, COLS - used, left, attr);
	ward_put(0, COLS - used, used, right, rattr);
}

/* " 1 Alerts (5: 1 EMERGENCY, 2 URGENT) ": emergencies counted on
 * their own. */
static void
ward_screen_alerts_tab(const struct ward *w, char *tab, size_t size)
{
	snprintf(tab, size, " 1 Alerts (%zu", w->alerts_open);
	if (w->alerts_emergency > 0)
		snprintf(tab + strlen(tab), size - strlen(tab), "%s%zu "
		    "EMERGENCY", ": ", w->alerts_emergency);
	if (w->alerts_loud > 0)
		snprintf(tab + strlen(tab), size - strlen(tab), "%s%zu URGENT",
		    w->alerts_emergency > 0 ? ", " : ": ", w->alerts_loud);
	snprintf(tab + strlen(tab), size - strlen(tab), ") ");
}

/* Row 1: the panes, and what needs doing in each. */
static void
ward_screen_tabs(struct ward *w)
{
	char	tab[96];
	int	x = 0, i, width, attr;
	size_t	n;

	ward_put(1, 0, COLS, "", A_NORMAL);
	for (i = 0; i < WARD_NPANES && x < COLS; i++) {
		switch (i) {
		case WARD_ALERTS:
			ward_screen_alerts_tab(w, tab, sizeof tab);
			break;
		case WARD_ROUND:
			n = ward_round_due(w);
			snprintf(tab, sizeof tab, " 2 Round (%zu due) ", n);
			break;
		case WARD_OBS:
			n = ward_obs_overdue(w);
			if (n > 0)
				snprintf(tab, sizeof tab, " 3 Obs (%zu OVERDUE) ",
				    n);
			else
				snprintf(tab, sizeof tab, " 3 Obs ");
			break;
		default:
			snprintf(tab, sizeof tab, " %d %s ", i + 1,
			    ward_pane_names[i]);
			break;
		}
		width = ward_text_width(tab);
		attr = (int)w->pane == i ? (int)(A_REVERSE | A_BOLD) :
		    A_NORMAL;
		if (i == WARD_ALERTS && w->alerts_loud + w->alerts_emergency >
		    0 && (int)w->pane != i)
			attr = ward_screen_attr(w, WARD_A_URGENT);
		ward_put(1, x, width, tab, attr);
		x += width + 1;
	}
}

void
ward_screen_draw(struct ward *w)
{
	int	rows;

	erase();
	if (LINES < WARD_MIN_LINES || COLS < WARD_MIN_COLS) {
		ward_put(0, 0, COLS, "idts-ward needs a window of at least "
		    "60x12 (80x24 is best).", A_BOLD);
		curs_set(0);
		refresh();
		return;
	}
	if (w->locked) {
		ward_signin_draw(w);
		refresh();
		w->keys_held = 0;	/* the lock shows: keys are for it */
		return;
	}
	ward_screen_header(w);
	ward_screen_tabs(w);
	rows = LINES - 6;
	if (w->view != WARD_VIEW_NONE)
		ward_view_draw(w, 2, rows, COLS);
	else switch (w->pane) {
	case WARD_ALERTS:
		ward_alerts_draw(w, 2, rows, COLS);
		break;
	case WARD_ROUND:
		ward_round_draw(w, 2, rows, COLS);
		break;
	case WARD_OBS:
		ward_obs_draw(w, 2, rows, COLS);
		break;
	default:
		ward_court_draw(w, 2, rows, COLS);
		break;
	}
	if (w->pane != WARD_ALERTS)
		ward_alerts_banner(w, LINES - 4, COLS);
	ward_put_wrapped(LINES - 3, 0, COLS, w->message, ward_screen_attr(w,
	    w->message_attr), 2);
	ward_put(LINES - 1, 0, COLS, w->view != WARD_VIEW_NONE ?
	    "Up/Down PgUp/PgDn scroll  Esc back  r read again  d/n day or "
	    "night  l lock" : ward_pane_keys[w->pane],
	    ward_screen_attr(w, WARD_A_DIM));
	if (w->form != NULL)
		ward_form_draw(w, w->form);
	else
		curs_set(0);
	refresh();
}
