/* idts-ward: the full-screen ward terminal.  One struct ward holds the
 * whole state of the program; each file owns one concern of it and its
 * functions carry the file's name. */
#ifndef IDTS_WARD_H
#define IDTS_WARD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <wchar.h>

#include <jansson.h>

#include "client.h"
#include "validate.h"
#include "words.h"

#define WARD_NAME		"idts-ward"
#define WARD_LOCK_AFTER		300	/* seconds idle before the lock */
#define WARD_REFRESH		30	/* seconds between refreshes */
#define WARD_CALL_SECONDS	10	/* the longest one request may take */
#define WARD_BACKOFF_FIRST	5	/* seconds before reading again after */
#define WARD_BACKOFF_MAX	60	/* the daemon could not be reached */
#define WARD_ALERTS_MAX		500	/* kept in memory, acknowledged go first;
					 * open ones are never dropped */

enum ward_pane {
	WARD_ALERTS,
	WARD_ROUND,
	WARD_OBS,
	WARD_COURT,
	WARD_NPANES
};

/* Where a list stands: the selected row, kept by id across refreshes so
 * neither a refresh nor the next person signing in loses the view. */
struct ward_list {
	size_t	 sel;
	size_t	 top;		/* first row shown */
	char	 sel_id[UUID_STR_LEN];
};

/* A key: a function key (KEY_*) or a character, never confused since a
 * character may have the same number as a KEY_ code. */
struct ward_key {
	int	 fn;		/* KEY_* when non-zero */
	wint_t	 ch;
};

#define WARD_CTRL(c)	((c) & 0x1f)

/* --- forms: a few fields in a box, typed into a key at a time ------------ */

#define WARD_FIELD_MAX		128
#define WARD_FORM_FIELDS	12	/* an arrival's */
#define WARD_FORM_LINES		6

struct ward;
struct ward_form;
typedef int (*ward_form_cb)(struct ward *, struct ward_form *);

/* A field's own check, as Enter leaves it: 0, or -1 with the reason in
 * the form's error and the answer kept to be put right. */
typedef int (*ward_field_cb)(struct ward *, struct ward_form *, int field);

struct ward_field {
	const char	*label;
	int		 secret;	/* shown as stars, wiped after use */
	int		 optional;
	size_t		 max;		/* bytes */
	char		 value[WARD_FIELD_MAX];
	ward_field_cb	 check;		/* or NULL */
};

struct ward_form {
	char			 title[128];
	char			 info[WARD_FORM_LINES][256];
	int			 ninfo;
	struct ward_field	 field[WARD_FORM_FIELDS];
	int			 nfields;
	int			 cur;
	char			 error[512];
	char			 preview[WARD_FORM_LINES][256];
	int			 npreview;
	int			 preview_attr;	/* a WARD_A_* */
	int			 reviewing;	/* y/n to what the form shows */
	char			 question[160];
	int			 full;		/* the whole screen: sign-in */

	/* Enter on the last field: check calls for the y/n review when
	 * there is one, submit sends.  0 closes the form, -1 keeps it. */
	ward_form_cb		 check;
	ward_form_cb		 submit;
	ward_form_cb		 changed;	/* after each edit */
	ward_form_cb		 declined;	/* n or Esc to the question */

	json_t			*subject;	/* the dose, the due, ... */
	int			 action;
	char			 key[UUID_STR_LEN];	/* Idempotency-Key */
};

/* --- reading the panes again --------------------------------------------- */

/* The reads of a refresh, one at a time from the main loop, in order. */
enum ward_read {
	WARD_READ_CLOCK,	/* GET /health: the daemon's time */
	WARD_READ_ALERTS,	/* the open alerts, until read once */
	WARD_READ_DOSES,	/* today's round */
	WARD_READ_DOSES_NEXT,	/* tomorrow's */
	WARD_READ_DUES,		/* the observations due */
	WARD_READ_MOVES,	/* today's court list */
	WARD_READ_MOVES_NEXT,	/* tomorrow's */
	WARD_READ_PATIENTS,	/* who is in, for the alerts' cells */
	WARD_NREADS
};

struct ward_refresh {
	struct client_pending	*call;		/* the read in flight */
	int			 read;		/* which: enum ward_read */
	int			 alerts_only;	/* the open alerts, no more */
	int64_t			 sent;		/* our clock, as it went */
	int64_t			 now;		/* the daemon's, for the dates */
	json_t			*doses;		/* gathered over two days */
	json_t			*moves;
	int			 backoff;	/* seconds; 0 while answered */
	time_t			 resume;	/* not before (monotonic) */
};

/* --- the whole program --------------------------------------------------- */

struct ward {
	struct client		 calls;	/* what a nurse sends, one at a time */
	struct client		 live;	/* the stream and the refreshes, on
					 * the main loop */
	struct event_base	*base;
	struct client_stream	*stream;
	struct event		*ev_keys;
	struct event		*ev_tick;
	struct event		*ev_draw;
	struct event		*ev_signal[4];

	int			 lock_after;	/* seconds, 0 never */
	int			 refresh_every;	/* seconds */
	int			 colour;

	/* Who is signed in; the view stays when they lock or leave. */
	int			 signed_in;	/* a session is held */
	int			 locked;
	int			 ever;		/* someone signed in since start */
	char			 username[USERNAME_MAX + 1];
	char			 display_name[128];
	int			 manager, prescriber, pharmacist, reception;
	int			 clinical;	/* nurse, competent or prescriber */
	char			 emergency_instruction[201];	/* the unit's */
	char			 locked_by[128];
	int64_t			 locked_at;
	struct ward_form	 signin;
	int			 signin_gate;	/* Enter before the sign-in */
	int			 keys_held;	/* dropped until the lock shows */
	int			 flush_keys;	/* after a form is sent */
	time_t			 last_key;	/* monotonic seconds */

	int64_t			 skew_ms;	/* daemon's clock - ours */

	/* The alert stream. */
	int			 live_state;	/* CLIENT_STREAM_*, 0 before */
	int			 live_refused;	/* its HTTP status, 0 if not */
	int64_t			 down_since;	/* daemon time, 0 when up */
	time_t			 live_retry_at;	/* the stream's next try */
	int			 alerts_loaded;
	char			 last_event[32];	/* where to resume */
	json_t			*alerts;	/* every alert seen, by event */
	json_t			*alert_rows;	/* those shown, in order */
	size_t			 alerts_open;	/* shown, not acknowledged */
	size_t			 alerts_loud;	/* of which urgent or worse */
	size_t			 alerts_emergency;	/* of which emergency */
	int			 alerts_filter;	/* WARD_FILTER_* */
	json_t			*patients;	/* in custody, by the alerts */

	/* The panes' data, as the daemon last answered, and why the last
	 * reading of a pane failed ("" when it did not): its title says it
	 * is NOT CURRENT, in these words. */
	json_t			*doses;		/* today's and tomorrow's */
	json_t			*dose_rows;
	int64_t			 doses_at;	/* daemon time of the answer */
	json_t			*dues;
	int64_t			 dues_at;
	json_t			*moves;		/* today's and tomorrow's */
	int			 court;		/* WARD_COURT_* */
	int64_t			 moves_at;
	char			 error[WARD_NPANES][512];
	struct ward_refresh	 refresh;
	time_t			 last_refresh;	/* monotonic seconds */
	int			 refresh_soon;

	enum ward_pane		 pane;
	struct ward_list	 list[WARD_NPANES];
	struct ward_form	*form;		/* the open form, or NULL */
	struct ward_form	 form_store;

	char			 message[512];
	int			 message_attr;	/* a WARD_A_* */
	int			 empty_reads;	/* readable, nothing read */
	int			 quit;

	/* A screen over the panes (p, h: ward_patient.c and
	 * ward_handover.c): which, the answer it draws, its first line
	 * shown, and the patient's id. */
	int			 view;		/* WARD_VIEW_* */
	json_t			*view_body;
	int			 view_top;
	char			 view_id[UUID_STR_LEN];
};

#define WARD_VIEW_NONE		0
#define WARD_VIEW_PATIENT	1
#define WARD_VIEW_HANDOVER	2
#define WARD_VIEW_LINES		400

/* A screen over the panes as lines, built for the width at each draw. */
struct ward_view_text {
	char	 line[WARD_VIEW_LINES][256];
	int	 attr[WARD_VIEW_LINES];		/* WARD_A_* */
	int	 n;
};

#define WARD_FILTER_ALL		0	/* every alert shown to the person */
#define WARD_FILTER_MINE	1	/* those they may acknowledge */
#define WARD_FILTER_WARD	2	/* the ward's */

#define WARD_COURT_UNKNOWN	0
#define WARD_COURT_OK		1
#define WARD_COURT_MISSING	2	/* the daemon has no /v1/movements */
#define WARD_COURT_ERROR	3

/* What a piece of text means, turned into colour or, on a monochrome
 * terminal, bold, underline and reverse (ward_screen_attr). */
#define WARD_A_NORMAL		0
#define WARD_A_EMERGENCY	1
#define WARD_A_URGENT		2
#define WARD_A_WARNING		3
#define WARD_A_INFO		4
#define WARD_A_OK		5
#define WARD_A_ERROR		6
#define WARD_A_DIM		7
#define WARD_A_BAR		8	/* header and tabs */
#define WARD_A_TITLE		9
#define WARD_A_DUE		10
#define WARD_NATTRS		11

/* ward.c */
void		 ward_quit(struct ward *);
void		 ward_ask_quit(struct ward *);
void		 ward_redraw(struct ward *);
void		 ward_say(struct ward *, int attr, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* ward_api.c */
struct ward_reply {
	int	 status;	/* 0: the daemon could not be reached */
	json_t	*body;
	char	 code[64];
	char	 words[512];	/* for the nurse, when not as expected */
};
int		 ward_call(struct ward *, const char *method, const char *path,
		    json_t *body, const char *key, int expect,
		    struct ward_reply *);
void		 ward_reply_free(struct ward_reply *);
int64_t		 ward_now(const struct ward *);
time_t		 ward_seconds(void);
void		 ward_refresh(struct ward *);
void		 ward_refresh_tick(struct ward *);
void		 ward_refresh_stop(struct ward *);

/* ward_screen.c */
int		 ward_screen_start(struct ward *);
void		 ward_screen_stop(void);
void		 ward_screen_resize(struct ward *);
void		 ward_screen_draw(struct ward *);
int		 ward_screen_attr(const struct ward *, int);
int		 ward_put(int y, int x, int width, const char *, int attr);
int		 ward_text_width(const char *);
int		 ward_put_wrapped(int y, int x, int width, const char *,
		    int attr, int max);

struct ward_col {
	const char	*title;
	int		 min;		/* columns */
	int		 grow;		/* share of what is left */
	int		 width;		/* worked out; 0: left out */
	int		 drop;		/* 0: always shown; else left out on a
					 * narrow screen, the highest first */
};

/* Who a row is about, in three columns every pane shows at any width:
 * the cell, the prison number, the name.  ward_who_cols() adds them;
 * ward_who_cells() fills their cells once the widths are known, the
 * location shortened before its cell is lost. */
#define WARD_WHO_COLS	3
struct ward_who {
	char	 cell[128];
	char	 number[16];
	char	 name[256];
};
int		 ward_who_cols(struct ward_col *, int at);
void		 ward_who_cells(const struct ward_col *, int at,
		    const json_t *patient, struct ward_who *,
		    const char **cells);
const char	*ward_location_fit(const char *location, int width,
		    char *buf, size_t size);
void		 ward_list_more(struct ward *, enum ward_pane, size_t count,
		    int rows, int y, int width);
void		 ward_pane_title(struct ward *, int y, int width,
		    const char *title, int64_t at, const char *error);
void		 ward_cols_fit(struct ward_col *, int n, int width);
void		 ward_cols_header(const struct ward_col *, int n, int y,
		    int attr);
void		 ward_cols_row(const struct ward_col *, int n, int y,
		    const char *const *cells, const int *attrs, int rowattr);
void		 ward_list_show(struct ward *, enum ward_pane, size_t count,
		    int rows);
int		 ward_list_key(struct ward *, enum ward_pane, size_t count,
		    const struct ward_key *);
void		 ward_list_keep(struct ward *, enum ward_pane, json_t *rows);
void		 ward_list_remember(struct ward *, enum ward_pane,
		    json_t *rows);
json_t		*ward_list_selected(struct ward *, enum ward_pane,
		    json_t *rows);

/* ward_form.c */
struct ward_form *ward_form_open(struct ward *, const char *title);
void		 ward_form_close(struct ward *);
void		 ward_form_clear(struct ward_form *);
int		 ward_form_add(struct ward_form *, const char *label,
		    int secret, int optional, size_t max, const char *value);
void		 ward_form_info(struct ward_form *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 ward_form_key(struct ward *, struct ward_form *,
		    const struct ward_key *);
void		 ward_form_draw(struct ward *, struct ward_form *);
void		 ward_form_confirm(struct ward *, const char *question,
		    ward_form_cb yes);

/* ward_signin.c */
void		 ward_signin_prepare(struct ward *);
void		 ward_lock(struct ward *, const char *why);
void		 ward_signout(struct ward *);
void		 ward_signin_key(struct ward *, const struct ward_key *);
void		 ward_signin_draw(struct ward *);

/* ward_alerts.c */
void		 ward_alerts_start(struct ward *);
void		 ward_alerts_stop(struct ward *);
void		 ward_alerts_answer(struct ward *, struct ward_reply *);
void		 ward_alerts_draw(struct ward *, int y, int rows, int width);
int		 ward_alerts_key(struct ward *, const struct ward_key *);
int		 ward_alerts_banner(struct ward *, int y, int width);
void		 ward_alerts_free(struct ward *);
int		 ward_alert_attr(const char *severity);
void		 ward_alerts_top(struct ward *);
void		 ward_alerts_patients(struct ward *, struct ward_reply *);

/* ward_round.c */
const char	*ward_round_path(struct ward *, int day, char *buf,
		    size_t size);
void		 ward_round_answer(struct ward *, int day, struct ward_reply *);
void		 ward_round_draw(struct ward *, int y, int rows, int width);
int		 ward_round_key(struct ward *, const struct ward_key *);
size_t		 ward_round_due(const struct ward *);

/* ward_obs.c */
void		 ward_obs_answer(struct ward *, struct ward_reply *);
void		 ward_obs_draw(struct ward *, int y, int rows, int width);
int		 ward_obs_key(struct ward *, const struct ward_key *);
size_t		 ward_obs_overdue(const struct ward *);
const char	*ward_obs_away(const struct ward *, const json_t *due,
		    char *buf, size_t size);

/* ward_arrive.c: the reception form */
void		 ward_arrive_open(struct ward *);

/* ward_pin.c: changing one's own PIN */
void		 ward_pin_open(struct ward *);

/* ward_patient.c: the patient screen, and the screens over the panes */
void		 ward_view_line(struct ward_view_text *, int attr,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
int		 ward_view_read(struct ward *, int view, const char *path);
void		 ward_view_key(struct ward *, const struct ward_key *);
void		 ward_view_draw(struct ward *, int y, int rows, int width);
void		 ward_patient_open(struct ward *, const char *id);
void		 ward_patient_lines(struct ward *, struct ward_view_text *,
		    int width);

/* ward_handover.c: the handover sheet */
void		 ward_handover_open(struct ward *, const char *shift);
void		 ward_handover_key(struct ward *, const struct ward_key *);
void		 ward_handover_lines(struct ward *, struct ward_view_text *,
		    int width);

/* ward_court.c */
const char	*ward_court_path(struct ward *, int day, char *buf,
		    size_t size);
void		 ward_court_answer(struct ward *, int day, struct ward_reply *);
void		 ward_court_draw(struct ward *, int y, int rows, int width);
int		 ward_court_key(struct ward *, const struct ward_key *);

/* ward_words.c */
const char	*ward_words(const char *code);
void		 ward_words_say(const char *code, const char *message,
		    char *buf, size_t size);

/* ward_text.c */
#define WARD_HM		0	/* 08:00 */
#define WARD_DAY_HM	1	/* 08:00 today, Tue 08:00 another day */
#define WARD_HMS	2	/* 08:00:05 */
#define WARD_DATE	3	/* Mon 14 Jun */
#define WARD_HM_ZONE	4	/* 08:00 BST: the header's clock */
const char	*ward_str(const json_t *, const char *key);
const char	*ward_when(const struct ward *, int64_t ms, int how,
		    char *buf, size_t size);
const char	*ward_instant(const struct ward *, const char *instant,
		    int how, char *buf, size_t size);
int		 ward_instant_ms(const char *instant, int64_t *ms);
const char	*ward_local_date(int64_t ms, int days_on, char *buf,
		    size_t size);
const char	*ward_amount(const json_t *quantity, const char *unit,
		    char *buf, size_t size);
const char	*ward_person(const json_t *patient, char *buf, size_t size);
const char	*ward_who_line(const json_t *patient, char *buf, size_t size);
#define WARD_S(s)	((s) != NULL ? (s) : "")	/* for printf */

#endif
