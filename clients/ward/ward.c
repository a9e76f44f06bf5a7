/* idts-ward: the full-screen ward terminal.  One event loop: keys from
 * the terminal, the alert stream, the refreshes' reads, a one-second
 * tick (the clock on the screen, the idle lock, when to read again) and
 * signals.  What a nurse sends goes on a loop of its own (ward_api.c),
 * so nothing re-enters the screen while it is in flight. */
#include <curses.h>
#include <getopt.h>
#include <poll.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "ward.h"

static void
ward_usage(FILE *f)
{
	fprintf(f, "usage: %s [-s URL] [--lock-after SECONDS] "
	    "[--refresh SECONDS] [--no-colour]\n\n"
	    "  -s, --server URL        the daemon (IDTS_SERVER; default %s)\n"
	    "  --lock-after SECONDS    lock after this long without a key "
	    "(default %d; 0 never)\n"
	    "  --refresh SECONDS       read the round and observations again "
	    "this often (default %d)\n"
	    "  --no-colour             markers, bold and reverse only "
	    "(also NO_COLOR)\n", WARD_NAME, CLIENT_DEFAULT_SERVER,
	    WARD_LOCK_AFTER, WARD_REFRESH);
}

/* A number of seconds from the command line; -1 if it is not one. */
static int
ward_seconds_arg(const char *s, int min, int max)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max)
		return -1;
	return (int)v;
}

/* What the last action did, or why not, on the message line. */
void
ward_say(struct ward *w, int attr, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(w->message, sizeof w->message, fmt, ap);
	va_end(ap);
	w->message_attr = attr;
}

/* Draw when the loop comes round: many stream events make one draw. */
void
ward_redraw(struct ward *w)
{
	if (w->ev_draw != NULL && !event_pending(w->ev_draw, EV_TIMEOUT,
	    NULL))
		event_active(w->ev_draw, EV_TIMEOUT, 0);
}

static void
ward_draw_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ward_screen_draw(arg);
}

void
ward_quit(struct ward *w)
{
	w->quit = 1;
	event_base_loopbreak(w->base);
}

static int
ward_quit_yes(struct ward *w, struct ward_form *f)
{
	(void)f;
	ward_quit(w);
	return 0;
}

void
ward_ask_quit(struct ward *w)
{
	ward_form_confirm(w, "Quit idts-ward (and sign out)?  y: quit   "
	    "n: stay", ward_quit_yes);
}

/* The keys, listed. */
static void
ward_help(struct ward *w)
{
	struct ward_form	*f = ward_form_open(w, "Keys");

	ward_form_info(f, "1 2 3 4, Tab, Left/Right: Alerts, Round, Obs, "
	    "Court");
	ward_form_info(f, "Up/Down (j/k), PgUp/PgDn, Home/End: choose a row");
	ward_form_info(f, "Alerts: a acknowledges the alert chosen (a note, "
	    "y); f: all, mine, the ward's");
	ward_form_info(f, "Round: g or Enter gives the dose, r refused, "
	    "w withheld");
	ward_form_info(f, "Obs: o or Enter records an observation (NEWS2 "
	    "first)");
	ward_form_info(f, "p the chosen row's patient; h the handover sheet; "
	    "n books an arrival in (reception); c changes your PIN; ^R or F5 "
	    "reads again; l locks; q quits");
}

/* ^R: read every pane again now, and follow the alerts again if the
 * daemon refused them. */
static void
ward_read_again(struct ward *w)
{
	if (w->stream == NULL || w->live_refused != 0)
		ward_alerts_start(w);
	ward_refresh(w);
	ward_say(w, WARD_A_NORMAL, "Reading again.");
}

static void
ward_pane(struct ward *w, enum ward_pane pane)
{
	if (w->pane != pane)
		w->message[0] = '\0';
	if (w->pane != pane && pane == WARD_ALERTS)
		ward_alerts_top(w);	/* the most severe first, in view */
	w->pane = pane;
}

/* One key, to whatever has it: the sign-in, an open form, the keys of
 * every pane, then the pane's own. */
static void
ward_key(struct ward *w, const struct ward_key *k)
{
	if (w->locked) {
		ward_signin_key(w, k);
		return;
	}
	if (w->form != NULL) {
		ward_form_key(w, w->form, k);
		return;
	}
	if (w->view != WARD_VIEW_NONE) {
		ward_view_key(w, k);
		return;
	}
	if (k->fn == 0) {
		switch (k->ch) {
		case 'q':
		case 'Q':
			ward_ask_quit(w);
			return;
		case 'l':
		case 'L':
			ward_lock(w, NULL);
			return;
		case '\t':
			ward_pane(w, (w->pane + 1) % WARD_NPANES);
			return;
		case '1':
		case '2':
		case '3':
		case '4':
			ward_pane(w, (enum ward_pane)(k->ch - '1'));
			return;
		case WARD_CTRL('r'):
			ward_read_again(w);
			return;
		case WARD_CTRL('l'):
			clearok(curscr, TRUE);
			return;
		case 'n':
			ward_arrive_open(w);
			return;
		case 'c':
			ward_pin_open(w);
			return;
		case 'p':
			ward_patient_open(w, NULL);
			return;
		case 'h':
			ward_handover_open(w, NULL);
			return;
		case '?':
			ward_help(w);
			return;
		}
	} else {
		switch (k->fn) {
		case KEY_BTAB:
		case KEY_LEFT:
			ward_pane(w, (w->pane + WARD_NPANES - 1) % WARD_NPANES);
			return;
		case KEY_RIGHT:
			ward_pane(w, (w->pane + 1) % WARD_NPANES);
			return;
		case KEY_F(5):
			ward_read_again(w);
			return;
		}
	}
	switch (w->pane) {
	case WARD_ALERTS:
		ward_alerts_key(w, k);
		break;
	case WARD_ROUND:
		ward_round_key(w, k);
		break;
	case WARD_OBS:
		ward_obs_key(w, k);
		break;
	default:
		ward_court_key(w, k);
		break;
	}
}

/* Whether the terminal has gone (an SSH session dropped, the window
 * closed): it hangs up, or keeps saying it is readable with nothing to
 * read.  The shell in front may take the SIGHUP, so idts-ward cannot
 * count on one. */
static int
ward_terminal_gone(struct ward *w, int fd)
{
	struct pollfd	p = { fd, POLLIN, 0 };
	int		pending = 0;

	if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR |
	    POLLNVAL)) != 0)
		return 1;
	if (ioctl(fd, FIONREAD, &pending) == -1)
		return 1;
	/* Readable and empty now and then is a half-read character; many
	 * times over is the end of the input. */
	if (pending == 0 && ++w->empty_reads > 100)
		return 1;
	return 0;
}

/* Every key waiting, until one changes what the keys are for: after
 * a sign-in, a lock or a form sent, what was typed ahead was typed for
 * the screen before, so it is dropped (a second Enter after a sign-in
 * must not act on the pane behind it).  Until the lock screen has been
 * drawn, keys are dropped too. */
static void
ward_keys_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ward	*w = arg;
	struct ward_key	 k;
	wint_t		 ch;
	int		 rc, got = 0, locked;

	while (!w->quit && (rc = get_wch(&ch)) != ERR) {
		got = 1;
		k.fn = rc == KEY_CODE_YES ? (int)ch : 0;
		k.ch = rc == KEY_CODE_YES ? 0 : ch;
		if (k.fn == KEY_RESIZE)
			continue;	/* drawn afresh below */
		w->last_key = ward_seconds();
		if (w->keys_held)
			continue;
		locked = w->locked;
		ward_key(w, &k);
		if (w->locked != locked || w->flush_keys) {
			w->flush_keys = 0;
			flushinp();
			break;
		}
	}
	if (got)
		w->empty_reads = 0;
	else if (what & EV_READ && ward_terminal_gone(w, fd)) {
		ward_quit(w);
		return;
	}
	if (!w->quit)
		ward_screen_draw(w);
}

/* Once a second: the clock, the idle lock, the refreshes. */
static void
ward_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ward	*w = arg;
	time_t		 now = ward_seconds();
	char		 why[128];

	(void)fd;
	(void)what;
	if (!w->locked && w->lock_after > 0 &&
	    now - w->last_key >= w->lock_after) {
		snprintf(why, sizeof why, "Locked after %d minute%s without a "
		    "key.", (w->lock_after + 59) / 60,
		    (w->lock_after + 59) / 60 == 1 ? "" : "s");
		ward_lock(w, why);
	}
	ward_refresh_tick(w);
	ward_screen_draw(w);
}

static void
ward_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct ward	*w = arg;

	(void)what;
	if (sig == SIGWINCH) {
		ward_screen_resize(w);
		ward_keys_cb(STDIN_FILENO, 0, w);	/* the KEY_RESIZE */
		ward_screen_draw(w);
		return;
	}
	ward_quit(w);
}

/* Set up the loop's events; -1 if libevent cannot. */
static int
ward_events(struct ward *w)
{
	static const int	 sigs[4] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT };
	struct timeval		 second = { 1, 0 };
	int			 i;

	w->ev_keys = event_new(w->base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    ward_keys_cb, w);
	w->ev_tick = event_new(w->base, -1, EV_PERSIST, ward_tick_cb, w);
	w->ev_draw = event_new(w->base, -1, 0, ward_draw_cb, w);
	if (w->ev_keys == NULL || w->ev_tick == NULL || w->ev_draw == NULL ||
	    event_add(w->ev_keys, NULL) == -1 ||
	    event_add(w->ev_tick, &second) == -1)
		return -1;
	for (i = 0; i < 4; i++)
		if ((w->ev_signal[i] = evsignal_new(w->base, sigs[i],
		    ward_signal_cb, w)) == NULL ||
		    event_add(w->ev_signal[i], NULL) == -1)
			return -1;
	return 0;
}

static void
ward_free(struct ward *w)
{
	int	i;

	ward_refresh_stop(w);
	ward_alerts_free(w);
	ward_form_close(w);
	ward_form_clear(&w->signin);
	if (w->ev_keys != NULL)
		event_free(w->ev_keys);
	if (w->ev_tick != NULL)
		event_free(w->ev_tick);
	if (w->ev_draw != NULL)
		event_free(w->ev_draw);
	for (i = 0; i < 4; i++)
		if (w->ev_signal[i] != NULL)
			event_free(w->ev_signal[i]);
	json_decref(w->doses);
	json_decref(w->dose_rows);
	json_decref(w->dues);
	json_decref(w->moves);
	client_free(&w->calls);
	client_free(&w->live);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "lock-after", required_argument, NULL, 'L' },
		{ "refresh", required_argument, NULL, 'r' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct ward	 ward;
	struct ward		*w = &ward;
	const char		*server = getenv("IDTS_SERVER");
	const char		*no_colour = getenv("NO_COLOR");
	char			*cause = NULL;
	int			 ch;

	client_memory_wipe();
	setlocale(LC_ALL, "");
	w->lock_after = WARD_LOCK_AFTER;
	w->refresh_every = WARD_REFRESH;
	w->colour = no_colour == NULL || *no_colour == '\0';
	while ((ch = getopt_long(argc, argv, "s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			server = optarg;
			break;
		case 'L':
			if ((w->lock_after = ward_seconds_arg(optarg, 0,
			    86400)) == -1) {
				fprintf(stderr, "%s: --lock-after takes seconds, "
				    "0 to 86400\n", WARD_NAME);
				return 2;
			}
			break;
		case 'r':
			if ((w->refresh_every = ward_seconds_arg(optarg, 1,
			    3600)) == -1) {
				fprintf(stderr, "%s: --refresh takes seconds, 1 "
				    "to 3600\n", WARD_NAME);
				return 2;
			}
			break;
		case 'C':
			w->colour = 0;
			break;
		case 'h':
			ward_usage(stdout);
			return 0;
		default:
			ward_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		ward_usage(stderr);
		return 2;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s: needs a terminal\n", WARD_NAME);
		return 2;
	}
	if (server == NULL || *server == '\0')
		server = CLIENT_DEFAULT_SERVER;
	if (client_init(&w->calls, server, &cause) == -1 ||
	    client_init(&w->live, server, &cause) == -1) {
		fprintf(stderr, "%s: %s\n", WARD_NAME, cause ? cause :
		    "cannot start");
		free(cause);
		client_free(&w->calls);
		client_free(&w->live);
		return 2;
	}
	w->calls.timeout_seconds = WARD_CALL_SECONDS;
	w->live.timeout_seconds = WARD_CALL_SECONDS;	/* the refreshes */
	w->base = w->live.base;
	signal(SIGPIPE, SIG_IGN);
	if (ward_events(w) == -1) {
		fprintf(stderr, "%s: cannot set up the event loop\n",
		    WARD_NAME);
		ward_free(w);
		return 1;
	}
	if (ward_screen_start(w) == -1) {
		fprintf(stderr, "%s: cannot use this terminal\n", WARD_NAME);
		ward_free(w);
		return 1;
	}
	w->locked = 1;
	ward_signin_prepare(w);
	w->last_key = ward_seconds();
	ward_screen_draw(w);

	event_base_dispatch(w->base);

	ward_screen_stop();
	ward_signout(w);
	ward_free(w);
	return 0;
}
