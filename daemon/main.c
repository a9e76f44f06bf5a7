/* idtsd: the clinical operations daemon of a prison drug-treatment unit.
 * This file reads the options and the config, opens the store, starts the
 * HTTP edge and runs the one event loop until SIGTERM. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "anchoring.h"
#include "backups.h"
#include "bootstrap.h"
#include "config.h"
#include "dbcheck.h"
#include "dblock.h"
#include "demo.h"
#include "establishment.h"
#include "housekeeping.h"
#include "http.h"
#include "json_alloc.h"
#include "log.h"
#include "restore.h"
#include "scheduler.h"
#include "server.h"
#include "signing.h"
#include "store.h"
#include "stream.h"

#ifndef IDTSD_VERSION
#define IDTSD_VERSION "unknown"
#endif

/* How long open connections get to finish after SIGTERM. */
#define SHUTDOWN_GRACE_MS	2000

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: idtsd [-fndV] [-c file] [--init-admin name] [--seed-demo] "
	    "[--test-clock] [--anchor-adopt]\n"
	    "       idtsd --gen-key file\n"
	    "       idtsd [-c file] --restore backup\n"
	    "  -f               stay in the foreground, log to stderr\n"
	    "  -c file          configuration file (default %s)\n"
	    "  -n               check the configuration and exit\n"
	    "  -d               log debug messages\n"
	    "  -V               print the version and exit\n"
	    "  --init-admin NAME  create the first admin; PIN on stdin\n"
	    "  --seed-demo      load the DEMO ward into an empty database\n"
	    "  --test-clock     allow POST /v1/test/clock (loopback only)\n"
	    "  --gen-key FILE   write a new signing key (audit.key, "
	    "establishment.key), print its public key\n"
	    "  --anchor-adopt   sign the audit chain as it is, though it has "
	    "no signed head\n"
	    "  --restore FILE   put a verified backup in place of the "
	    "database\n",
	    CONFIG_DEFAULT_PATH);
	exit(status);
}

/* SIGTERM or SIGINT: stop accepting, let open requests finish, exit. */
static void
main_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;
	struct timeval	 grace = { SHUTDOWN_GRACE_MS / 1000,
			    (SHUTDOWN_GRACE_MS % 1000) * 1000 };

	(void)what;
	log_info("signal %d: shutting down", (int)sig);
	sd_notify(0, "STOPPING=1");
	http_stop_listening(srv->http);
	if (srv->http->connections == 0)
		timerclear(&grace);
	event_base_loopexit(srv->base, &grace);
}

/* The first listening address that is not on the loopback, the API's
 * or the dashboard's, or NULL: the test clock and the DEMO ward stay on
 * the loopback. */
static const char *
main_off_loopback(const struct config *cfg)
{
	if (!config_is_loopback(cfg->listen_address))
		return cfg->listen_address;
	if (cfg->dashboard_port != 0 &&
	    !config_is_loopback(cfg->dashboard_address))
		return cfg->dashboard_address;
	return NULL;
}

/* Check that a configured certificate and key can be used. */
static int
main_check_tls(const struct config *cfg, char **cause)
{
	SSL_CTX	*ctx;

	if (http_tls_context(cfg, &ctx, cause) == -1)
		return -1;
	if (ctx != NULL)
		SSL_CTX_free(ctx);
	return 0;
}

/* The test clock's offset, kept in the store across restarts. */
static void
main_load_test_clock(struct server *srv)
{
	int64_t			offset;
	enum store_result	sr;

	srv->clock.test = 1;
	sr = store_meta_get(srv->store, "test_clock_offset_ms", &offset);
	if (sr == STORE_OK)
		srv->clock.offset_ms = offset;
	/* Not read is not "none": the daemon would start on the real clock,
	 * months from the test's (found by tests/faults/alloc_faults.sh). */
	else if (sr != STORE_NOT_FOUND)
		fatalx("cannot read the test clock's offset");
	log_warnx("the test clock is on: POST /v1/test/clock can move time");
}

/* What the command line asked for. */
struct main_options {
	const char	*path;		/* the config file */
	const char	*init_admin;	/* or NULL */
	const char	*gen_key;	/* or NULL */
	const char	*restore;	/* a backup to restore, or NULL */
	const char	*backup_child;	/* the scheduled backup's file, */
	const char	*backup_source;	/* of this database, or NULL */
	int		 foreground, check_only, debug, seed_demo, test_clock;
	int		 anchor_adopt;
};

/* Read the command line into o; exits for -V, -h and a usage error. */
static void
main_options(int argc, char *argv[], struct main_options *o)
{
	static const struct option longopts[] = {
		{ "init-admin", required_argument, NULL, 'A' },
		{ "seed-demo", no_argument, NULL, 'S' },
		{ "test-clock", no_argument, NULL, 'T' },
		{ "gen-key", required_argument, NULL, 'K' },
		{ "anchor-adopt", no_argument, NULL, 'P' },
		{ "restore", required_argument, NULL, 'R' },
		{ "backup-child", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	memset(o, 0, sizeof *o);
	o->path = CONFIG_DEFAULT_PATH;
	while ((ch = getopt_long(argc, argv, "c:dfhnV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->path = optarg;
			break;
		case 'd':
			o->debug = 1;
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 'n':
			o->check_only = 1;
			break;
		case 'V':
			printf("idtsd %s\n", IDTSD_VERSION);
			exit(0);
		case 'A':
			o->init_admin = optarg;
			o->foreground = 1;
			break;
		case 'S':
			o->seed_demo = 1;
			break;
		case 'T':
			o->test_clock = 1;
			break;
		case 'K':
			o->gen_key = optarg;
			break;
		case 'P':
			o->anchor_adopt = 1;
			break;
		case 'R':
			o->restore = optarg;
			o->foreground = 1;
			break;
		case 'B':	/* not for people: see services/backups.c */
			o->backup_child = optarg;
			break;
		case 'h':
			usage(0);
		default:
			usage(1);
		}
	}
	if (o->backup_child != NULL && optind + 1 == argc)
		o->backup_source = argv[optind++];
	if (optind != argc)
		usage(1);
}

/* Load audit.key into *key (or only check it, key NULL); -1 after saying
 * why on stderr. */
static int
main_audit_key(const struct config *cfg, struct signing_key **key)
{
	struct signing_key	*k;
	const char		*why = NULL;

	if ((k = signing_key_load(cfg->audit_key, &why)) == NULL) {
		fprintf(stderr, "idtsd: audit.key %s: %s\n", cfg->audit_key,
		    why);
		return -1;
	}
	if (key != NULL)
		*key = k;
	else
		signing_key_free(k);
	return 0;
}

/* Whether establishment.key and the trusted keys load; -1 after saying
 * why on stderr. */
static int
main_establishment_check(const struct config *cfg)
{
	struct establishment	*e;

	if ((e = establishment_open(cfg)) == NULL)
		return -1;
	establishment_free(e);
	return 0;
}

/* --gen-key FILE: write a new key (never over a file), print its public
 * key for whoever checks the signed heads, and exit. */
static int
main_gen_key(const char *path)
{
	struct signing_key	*k;
	const char		*why = NULL;
	char			*pem;

	if (signing_key_write(path, &why) == -1 ||
	    (k = signing_key_load(path, &why)) == NULL) {
		fprintf(stderr, "idtsd: --gen-key %s: %s\n", path, why);
		return 1;
	}
	if ((pem = signing_public_pem(k)) != NULL)
		fputs(pem, stdout);
	free(pem);
	signing_key_free(k);
	return pem != NULL ? 0 : 1;
}

/* Load and check the configuration; -1 after saying why on stderr. */
static int
main_config(const struct main_options *o, struct config *cfg)
{
	char	*cause = NULL;

	config_defaults(cfg);
	if (config_load(o->path, cfg, &cause) == -1 ||
	    main_check_tls(cfg, &cause) == -1) {
		fprintf(stderr, "idtsd: %s\n", cause ? cause :
		    "cannot load the configuration");
		free(cause);
		return -1;
	}
	if ((cfg->audit_key[0] != '\0' && main_audit_key(cfg, NULL) == -1) ||
	    main_establishment_check(cfg) == -1)
		return -1;
	if (o->test_clock && main_off_loopback(cfg) != NULL) {
		fprintf(stderr, "idtsd: --test-clock is refused: %s is not a "
		    "loopback address\n", main_off_loopback(cfg));
		return -1;
	}
	/* The DEMO ward's PINs are in the README and the log. */
	if (o->seed_demo && main_off_loopback(cfg) != NULL) {
		fprintf(stderr, "idtsd: --seed-demo is refused: %s is not a "
		    "loopback address, and the DEMO ward's PINs are known\n",
		    main_off_loopback(cfg));
		return -1;
	}
	return 0;
}

/* Log, the time zone every local time is read in, and the signals the
 * event loop does not handle. */
static void
main_environment(const struct main_options *o, const struct config *cfg)
{
	/* Until it detaches, the daemon tells the caller on stderr. */
	log_init("idtsd", 1, o->debug ? LOG_LEVEL_DEBUG : cfg->log_level);
	if (setenv("TZ", cfg->time_zone, 1) == -1)
		fatal("setenv TZ");
	tzset();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);	/* no reload: restart to change config */
	json_alloc_init();
}

/* Open the store, then the test clock and the demo ward if asked. */
static void
main_open_store(const struct main_options *o, struct server *srv)
{
	char	*cause = NULL;

	if (dblock_take(srv->cfg->database, &cause) == -1)
		fatalx("%s", cause ? cause : "cannot lock the database");
	if (store_open(srv->cfg->database, &srv->store, &cause) == -1)
		fatalx("%s", cause ? cause : "cannot open the database");
	if (anchoring_start(srv, o->anchor_adopt) == -1)
		fatalx("cannot read the audit chain's head");
	if (o->test_clock)
		main_load_test_clock(srv);
	if (o->seed_demo && demo_seed(srv, clock_now(&srv->clock), &cause) ==
	    -1)
		fatalx("%s", cause ? cause : "cannot load the demo ward");
}

/* The last transaction of a clean stop: the next start checks the
 * database in the background rather than before serving.  Not when the
 * background check found damage or could not be made (dbcheck.c): the
 * next start then checks before serving, as after a crash. */
static void
main_record_clean_stop(struct server *srv)
{
	if (dbcheck_in_doubt())
		log_warnx("the database is in doubt: the next start checks it "
		    "before serving");
	else if (store_record_clean_stop(srv->store, clock_system_ms()) !=
	    STORE_OK)
		log_warnx("cannot record a clean stop: the next start checks "
		    "the database before serving");
}

/* Detach only after listening, so a bad database or a port in use is an
 * error the caller sees.  No SQLite connection may cross a fork, so the
 * store is closed and opened again in the child; the event base is
 * re-initialised for it. */
static void
main_detach(const struct main_options *o, struct server *srv)
{
	char	*cause = NULL;

	main_record_clean_stop(srv);	/* the child need not check again */
	store_close(srv->store);
	srv->store = NULL;
	if (daemon(0, 0) == -1)
		fatal("daemon");
	log_init("idtsd", 0, o->debug ? LOG_LEVEL_DEBUG : srv->cfg->log_level);
	if (event_reinit(srv->base) == -1)
		fatalx("cannot re-initialise the event loop");
	if (store_open(srv->cfg->database, &srv->store, &cause) == -1)
		fatalx("%s", cause ? cause : "cannot open the database");
}

/* Stopping already: a second SIGTERM or SIGINT (make run's, systemd's, a
 * second ^C) waits, blocked, until the process has exited.  Delivered, it
 * killed the clean-up half-way (the store not closed), or ran
 * main_signal() again on the freed listener: make run was seen to end in
 * a segmentation fault (t_shutdown.sh reproduces it). */
static void
main_block_stop_signals(void)
{
	sigset_t	set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Serve until SIGTERM or SIGINT, then free everything. */
static void
main_serve(struct server *srv)
{
	struct event	*sigterm, *sigint;

	if (housekeeping_start(srv) == -1 || stream_init(srv) == -1 ||
	    scheduler_start(srv) == -1)
		fatalx("cannot start the scheduler");
	if (http_start_workers(srv->http) == -1)
		fatal("cannot start the threads that check PINs");
	sigterm = evsignal_new(srv->base, SIGTERM, main_signal, srv);
	sigint = evsignal_new(srv->base, SIGINT, main_signal, srv);
	if (sigterm == NULL || sigint == NULL || evsignal_add(sigterm, NULL)
	    == -1 || evsignal_add(sigint, NULL) == -1)
		fatalx("cannot handle signals");
	/* Last: its thread then competes with nothing of start-up. */
	if (dbcheck_start(srv) == -1)
		fatalx("cannot watch the database check");

	sd_notify(0, "READY=1\nSTATUS=serving");
	log_info("idtsd %s ready (database %s, time zone %s)", IDTSD_VERSION,
	    srv->cfg->database, srv->cfg->time_zone);
	event_base_dispatch(srv->base);

	/* The signal events go before http_free(), whose own run of the
	 * loop would otherwise hand them a signal caught meanwhile: a second
	 * main_signal() on a listener already freed. */
	main_block_stop_signals();
	event_free(sigterm);
	event_free(sigint);
	dbcheck_stop(srv);
	backups_stop();		/* before the request waiting for it */
	http_free(srv->http);
	stream_free(srv);
	(void)anchoring_now(srv);
	scheduler_free(srv);
	housekeeping_stop();
	event_base_free(srv->base);
}

/* --init-admin NAME: an admin, PIN on standard input, and exit.  The
 * clean-stop marker is left as it was found (a database made here is
 * clean): a daemon may be running on the file, and a clean stop recorded
 * now would let its crash pass for one, its next start not checking the
 * database before serving.  With audit.key, the head is signed, so that
 * the daemon's first start finds the chain anchored. */
static int
main_init_admin(const char *name, struct server *srv)
{
	char	*cause = NULL;
	int64_t	 clean_at;

	if (store_open(srv->cfg->database, &srv->store, &cause) == -1)
		fatalx("%s", cause ? cause : "cannot open the database");
	if (anchoring_start(srv, 0) == -1)
		fatalx("cannot read the audit chain's head");
	clean_at = store_created(srv->store) ? clock_system_ms() :
	    store_clean_stop_found(srv->store);
	if (bootstrap_admin(srv->store, name, stdin, clock_system_ms(),
	    &cause) == -1)
		fatalx("--init-admin: %s", cause ? cause : "failed");
	log_info("created admin %s", name);
	if (anchoring_now(srv) == -1)
		log_warnx("the audit chain's head is not signed: see the log");
	if (clean_at > 0 && store_record_clean_stop(srv->store, clean_at) !=
	    STORE_OK)
		log_warnx("cannot record the clean stop found: the next start "
		    "checks the database before serving");
	store_close(srv->store);
	signing_key_free(srv->audit_key);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct main_options	 o;
	struct config		 cfg;
	struct server		 srv;
	char			*cause = NULL;

	main_options(argc, argv, &o);
	if (o.backup_child != NULL)
		return backups_child(o.backup_child, o.backup_source);
	if (o.gen_key != NULL)
		return main_gen_key(o.gen_key);
	if (main_config(&o, &cfg) == -1)
		return 1;
	if (o.check_only) {
		printf("%s: configuration OK\n", o.path);
		return 0;
	}
	main_environment(&o, &cfg);
	memset(&srv, 0, sizeof srv);
	srv.cfg = &cfg;
	if (o.restore != NULL)
		return restore_run(&cfg, o.restore);
	if (cfg.audit_key[0] != '\0' && main_audit_key(&cfg, &srv.audit_key) ==
	    -1)
		return 1;
	if (o.init_admin != NULL)
		return main_init_admin(o.init_admin, &srv);
	if ((srv.establishment = establishment_open(&cfg)) == NULL)
		return 1;
	main_open_store(&o, &srv);
	if ((srv.base = event_base_new()) == NULL ||
	    event_base_priority_init(srv.base, SERVER_PRIORITIES) == -1)
		fatalx("cannot create the event loop");
	if (http_start(&srv, &cause) == -1)
		fatalx("%s", cause ? cause : "cannot start the HTTP server");
	if (!o.foreground)
		main_detach(&o, &srv);
	main_serve(&srv);
	main_record_clean_stop(&srv);
	store_close(srv.store);
	signing_key_free(srv.audit_key);
	establishment_free(srv.establishment);
	log_info("stopped");
	return 0;
}
