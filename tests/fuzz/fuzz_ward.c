/* The DEMO ward for the fuzz targets (see fuzz_ward.h).
 *
 * The database lives in a private directory (under /dev/shm when there is
 * one), with synchronous=OFF: nothing here needs to survive a power cut,
 * and a fuzzer wants thousands of commits a second.  After seeding, a
 * copy is kept in memory; an input that changed anything has the copy put
 * back with SQLite's backup API, so every input starts from the same
 * ward and a crash replays from its file alone.
 *
 * UUIDs are made deterministic (uuid_generate_random below), so the same
 * input makes the same records; inputs name the demo's records with
 * placeholders instead of their ids. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "api.h"
#include "auth.h"
#include "demo.h"
#include "fuzz_ward.h"
#include "log.h"
#include "request.h"
#include "scheduler.h"
#include "store.h"
/* The fuzz targets reach under the store for its connection: to copy and
 * restore the database and to check no transaction is left open. */
#include "store_internal.h"

struct fuzz_ward fuzz_ward;

#define FUZZ_WARD_PREFIX	"idtsd-fuzz-ward."

static char		 fuzz_dir[PATH_MAX];
static sqlite3		*fuzz_pristine;		/* the seeded ward */
static sqlite3_int64	 fuzz_changes;		/* at the input's start */
static uint64_t		 fuzz_uuid_next;

/* Placeholder values: fuzz_values[letter][digit] for "$<letter><digit>". */
static char		*fuzz_values[26][10];

static const char *const fuzz_usernames[] = {
	"admin", "nina", "carl", "priya", "rob", "cara", "dev", "mo"
};
#define FUZZ_NSTAFF	(sizeof fuzz_usernames / sizeof fuzz_usernames[0])

/* libuuid's random UUIDs, replaced for the fuzz targets by a counter, so
 * the records an input makes have the same ids each time it runs.  The
 * executable's definition takes precedence over libuuid's. */
void
uuid_generate_random(uuid_t out)
{
	uint64_t	n = ++fuzz_uuid_next;
	int		i;

	memset(out, 0, sizeof(uuid_t));
	for (i = 0; i < 8; i++)
		out[15 - i] = (unsigned char)(n >> (8 * i));
	out[6] = 0x40;		/* version 4 */
	out[8] = 0x80;		/* the RFC 4122 variant */
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fuzz_fail(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_ward: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* Set "$<letter><digit>" to value. */
static void
fuzz_set(char letter, int digit, const char *value)
{
	free(fuzz_values[letter - 'a'][digit]);
	if ((fuzz_values[letter - 'a'][digit] = strdup(value)) == NULL)
		fuzz_fail("out of memory");
}

/* Give the ids a query selects the placeholders $<letter>1 to $<letter>9
 * in order; those it does not fill name no record (a well-formed UUID
 * that is nobody's). */
static void
fuzz_collect(char letter, const char *sql)
{
	sqlite3		*db = fuzz_ward.srv.store->db;
	sqlite3_stmt	*st;
	int		 n = 1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fuzz_fail("%s: %s", sql, sqlite3_errmsg(db));
	while (n <= 9 && sqlite3_step(st) == SQLITE_ROW)
		fuzz_set(letter, n++, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (; n <= 9; n++)
		fuzz_set(letter, n, "00000000-0000-4000-8000-00000000dead");
}

/* Sign every demo person in, as POST /v1/sessions does: $t1 is admin's
 * token, $t2 nina's, ... $t8 mo's, in the order of fuzz_usernames. */
static void
fuzz_sign_in(void)
{
	struct store	*s = fuzz_ward.srv.store;
	struct staff	 who;
	char		 token[AUTH_TOKEN_LEN], hash[DIGEST_HEX_LEN];
	int64_t		 idle = (int64_t)fuzz_ward.cfg.session_idle_minutes *
			    60000;
	size_t		 i;

	if (store_begin(s, 1) != STORE_OK)
		fuzz_fail("cannot begin");
	for (i = 0; i < FUZZ_NSTAFF; i++) {
		if (store_staff_by_username(s, fuzz_usernames[i], &who) !=
		    STORE_OK || auth_token_new(token) == -1 ||
		    auth_token_hash(token, hash) == -1 ||
		    store_session_insert(s, hash, who.id, FUZZ_NOW,
		    FUZZ_NOW + idle, "", "") != STORE_OK)
			fuzz_fail("cannot sign %s in", fuzz_usernames[i]);
		fuzz_set('t', (int)i + 1, token);
		fuzz_set('s', (int)i + 1, who.id);
	}
	if (store_commit(s) != STORE_OK)
		fuzz_fail("cannot commit the sessions");
}

/* Copy one database over another, whole. */
static void
fuzz_copy(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup	*b = sqlite3_backup_init(to, "main", from, "main");
	int		 rc;

	if (b == NULL)
		fuzz_fail("backup: %s", sqlite3_errmsg(to));
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		fuzz_fail("backup: %s (%d)", sqlite3_errstr(rc), rc);
}

/* Remove a ward's database and its directory. */
static void
fuzz_ward_remove(const char *dir)
{
	static const char *const files[] = {
		"ward.db", "ward.db-wal", "ward.db-shm"
	};
	char	path[PATH_MAX];
	size_t	i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* A crash ends a fuzzer without its atexit(): remove the wards of
 * fuzzers no longer running ("idtsd-fuzz-ward.PID.XXXXXX"). */
static void
fuzz_ward_sweep(const char *base)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[PATH_MAX];
	long		 pid;

	if ((d = opendir(base)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (sscanf(e->d_name, FUZZ_WARD_PREFIX "%ld.", &pid) != 1 ||
		    pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof path, "%s/%s", base, e->d_name);
		fuzz_ward_remove(path);
	}
	closedir(d);
}

static void
fuzz_ward_close(void)
{
	store_close(fuzz_ward.srv.store);
	sqlite3_close(fuzz_pristine);
	fuzz_ward_remove(fuzz_dir);
}

void
fuzz_ward_open(void)
{
	struct config	*cfg = &fuzz_ward.cfg;
	struct server	*srv = &fuzz_ward.srv;
	const char	*base;
	char		*cause = NULL;

	if (setenv("TZ", "Europe/London", 1) == -1)
		fuzz_fail("setenv TZ");
	tzset();
	log_init("fuzz", 1, getenv("FUZZ_DEBUG") ? LOG_LEVEL_DEBUG :
	    LOG_LEVEL_ERROR);
	base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	fuzz_ward_sweep(base);
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/" FUZZ_WARD_PREFIX "%ld.XXXXXX",
	    base, (long)getpid());
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("mkdtemp %s", fuzz_dir);

	config_defaults(cfg);
	snprintf(cfg->database, sizeof cfg->database, "%s/ward.db", fuzz_dir);
	/* No backup is ever written: none on a schedule, and one asked for
	 * (POST /v1/backups) fails at once, under a regular file, rather
	 * than fill a disk with copies of the ward (or spawn this fuzzer as
	 * the backup's child). */
	cfg->backup_interval = 0;
	snprintf(cfg->backup_directory, sizeof cfg->backup_directory,
	    "%s/ward.db/backups", fuzz_dir);
	memset(srv, 0, sizeof *srv);
	srv->cfg = cfg;
	srv->clock.test = 1;		/* POST /v1/test/clock is a route too */
	srv->clock.offset_ms = FUZZ_NOW - clock_system_ms();
	if (store_open(cfg->database, &srv->store, &cause) == -1)
		fuzz_fail("%s", cause ? cause : "cannot open the store");
	atexit(fuzz_ward_close);
	sqlite3_exec(srv->store->db, "PRAGMA synchronous = OFF", NULL, NULL,
	    NULL);

	/* The demo ward at FUZZ_NOW, its doses laid out and its overdue
	 * observations alerted as the scheduler does at start-up, and
	 * everyone signed in. */
	if (demo_seed(srv, FUZZ_NOW, &cause) == -1)
		fuzz_fail("%s", cause ? cause : "cannot seed the demo ward");
	if (scheduler_run(srv, FUZZ_NOW) != 0)
		fuzz_fail("the scheduler failed on the demo ward");
	fuzz_sign_in();

	fuzz_collect('p', "SELECT id FROM patients ORDER BY prison_number");
	fuzz_collect('x', "SELECT id FROM products ORDER BY name, id");
	fuzz_collect('r', "SELECT rx.id FROM prescriptions rx JOIN patients "
	    "p ON p.id = rx.patient_id ORDER BY p.prison_number, rx.id");
	fuzz_collect('d', "SELECT id FROM doses ORDER BY due_at, id");
	fuzz_collect('a', "SELECT id FROM alerts ORDER BY raised_at, id");
	fuzz_collect('m', "SELECT id FROM movements ORDER BY departs_at, id");
	fuzz_collect('e', "SELECT id FROM register_entries ORDER BY seq");
	fuzz_set('u', 1, "00000000-0000-4000-8000-00000000dead");

	sqlite3_exec(srv->store->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
	    NULL, NULL);
	if (sqlite3_open(":memory:", &fuzz_pristine) != SQLITE_OK)
		fuzz_fail("cannot open an in-memory database");
	fuzz_copy(fuzz_pristine, srv->store->db);
	if (getenv("FUZZ_DEBUG") != NULL) {
		int	l, d;

		for (l = 0; l < 26; l++)
			for (d = 0; d < 10; d++)
				if (fuzz_values[l][d] != NULL)
					fprintf(stderr, "$%c%d = %s\n", 'a' + l,
					    d, fuzz_values[l][d]);
	}
}

void
fuzz_ward_begin(void)
{
	fuzz_uuid_next = UINT64_C(1) << 32;
	fuzz_ward.srv.clock.offset_ms = FUZZ_NOW - clock_system_ms();
	fuzz_changes = sqlite3_total_changes64(fuzz_ward.srv.store->db);
}

/* The rules that must hold whatever was asked (docs/design.md): each a query
 * that counts what breaks it. */
static const struct {
	const char	*rule, *sql;
} fuzz_rules[] = {
	{ "the register's running balance adds up",
	    "SELECT count(*) FROM (SELECT kind, quantity, balance_after, "
	    "lag(balance_after, 1, 0) OVER (PARTITION BY product_id ORDER BY "
	    "seq) AS before FROM register_entries) WHERE balance_after <> "
	    "before + quantity OR (kind = 'check' AND quantity <> 0)" },
	{ "a given dose has its administration on the register",
	    "SELECT count(*) FROM doses d WHERE d.state = 'given' AND NOT "
	    "EXISTS (SELECT 1 FROM register_entries e WHERE e.id = "
	    "d.register_entry_id AND e.dose_id = d.id AND e.kind = "
	    "'administration' AND e.quantity = -d.amount AND e.by_id = "
	    "d.recorded_by AND e.witness_id = d.witnessed_by)" },
	{ "every administration on the register is a given dose",
	    "SELECT count(*) FROM register_entries e WHERE e.kind = "
	    "'administration' AND NOT EXISTS (SELECT 1 FROM doses d WHERE "
	    "d.id = e.dose_id AND d.state = 'given')" },
	{ "the foreign keys hold", "SELECT count(*) FROM pragma_foreign_key_check" },
};

/* After an input that changed the ward: the audit chain verifies and
 * the rules hold. */
static void
fuzz_ward_rules(void)
{
	sqlite3		*db = fuzz_ward.srv.store->db;
	sqlite3_stmt	*st;
	struct audit_check check;
	size_t		 i;
	int		 n;

	if (store_begin(fuzz_ward.srv.store, 0) != STORE_OK ||
	    store_audit_verify(fuzz_ward.srv.store, NULL, &check) !=
	    STORE_OK)
		fuzz_fail("cannot verify the audit chain");
	if (check.problem != AUDIT_OK) {
		fprintf(stderr, "fuzz_ward: the audit trail is %s at entry "
		    "%lld of %lld %s %s\n", audit_problem_name(check.problem),
		    (long long)check.seq, (long long)check.entries,
		    check.table, check.id);
		abort();
	}
	for (i = 0; i < sizeof fuzz_rules / sizeof fuzz_rules[0]; i++) {
		if (sqlite3_prepare_v2(db, fuzz_rules[i].sql, -1, &st, NULL) !=
		    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
			fuzz_fail("%s: %s", fuzz_rules[i].rule,
			    sqlite3_errmsg(db));
		n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (n != 0) {
			fprintf(stderr, "fuzz_ward: broken rule: %s (%d rows)\n",
			    fuzz_rules[i].rule, n);
			abort();
		}
	}
	store_rollback(fuzz_ward.srv.store);
}

void
fuzz_ward_end(void)
{
	sqlite3	*db = fuzz_ward.srv.store->db;

	if (sqlite3_total_changes64(db) == fuzz_changes)
		return;
	if (sqlite3_get_autocommit(db) == 0)
		fuzz_fail("a transaction is still open");
	fuzz_ward_rules();
	fuzz_copy(db, fuzz_pristine);
}

char *
fuzz_ward_expand(const uint8_t *in, size_t len, size_t *outlen)
{
	size_t		 i, n = 0, cap = len + 1;
	char		*out = malloc(cap), *grown;
	const char	*v;
	size_t		 vlen;

	if (out == NULL)
		fuzz_fail("out of memory");
	for (i = 0; i < len; i++) {
		v = NULL;
		if (in[i] == '$' && i + 2 < len && in[i + 1] >= 'a' &&
		    in[i + 1] <= 'z' && in[i + 2] >= '0' && in[i + 2] <= '9')
			v = fuzz_values[in[i + 1] - 'a'][in[i + 2] - '0'];
		vlen = v ? strlen(v) : 1;
		if (n + vlen + 1 > cap) {
			cap = 2 * cap + vlen;
			if ((grown = realloc(out, cap)) == NULL)
				fuzz_fail("out of memory");
			out = grown;
		}
		if (v != NULL) {
			memcpy(out + n, v, vlen);
			n += vlen;
			i += 2;
		} else
			out[n++] = (char)in[i];
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

const char *
fuzz_ward_token(const char *username)
{
	size_t	i;

	for (i = 0; i < FUZZ_NSTAFF; i++)
		if (strcmp(fuzz_usernames[i], username) == 0)
			return fuzz_values['t' - 'a'][i + 1];
	return NULL;
}

void
fuzz_ward_check(const struct request *r, const char *what)
{
	const char	*why = NULL, *shown = NULL;
	char		*text = NULL;
	json_t		*err, *code, *msg;

	if (sqlite3_get_autocommit(fuzz_ward.srv.store->db) == 0)
		why = "the request left its transaction open";
	else if (r->status < 200 || r->status > 599)
		why = "the answer has no HTTP status";
	else if (r->text != NULL) {
		shown = r->text;
		if (r->text_type == NULL || r->status >= 300)
			why = "a text answer without a type, or an error";
	} else if (r->stream) {
		if (r->status != 200 || r->reply != NULL)
			why = "a stream with an answer of its own";
	} else if (r->reply == NULL) {
		if (r->status != 204)
			why = "no answer: http.c would send 500 internal";
	} else if ((text = json_dumps(r->reply, JSON_ANSWER_FLAGS)) == NULL)
		why = "the answer cannot be written as JSON";
	else {
		shown = text;
		err = json_object_get(r->reply, "error");
		code = json_object_get(err, "code");
		msg = json_object_get(err, "message");
		if (r->status >= 400 && (!json_is_string(code) ||
		    json_string_length(code) == 0 || !json_is_string(msg)))
			why = "an error without a code and a message";
		else if (r->status >= 500)
			why = "a 5xx from a healthy store";
	}
	if (why == NULL && getenv("FUZZ_DEBUG") != NULL)
		fprintf(stderr, "fuzz_ward: %s: %d %s\n", what, r->status,
		    shown ? shown : "");
	if (why != NULL) {
		fprintf(stderr, "fuzz_ward: %s: %s: status %d, answer %s\n",
		    what, why, r->status, shown ? shown : "(none)");
		abort();
	}
	free(text);
}

struct fuzz_replay {
	int64_t	pos;
	int	sent;
};

/* One event of a replay: after the last, and formatted as stream.c
 * formats it. */
static void
fuzz_replay_one(int64_t seq, const char *event, const struct alert *a,
    void *arg)
{
	struct fuzz_replay	*fr = arg;
	json_t			*j = api_alert_json(a);
	char			*data = json_dumps(j, JSON_ANSWER_FLAGS);

	if (seq <= fr->pos || data == NULL || (strcmp(event, "alert") != 0 &&
	    strcmp(event, "ack") != 0)) {
		fprintf(stderr, "fuzz_ward: replay: event %lld (%s) after "
		    "%lld: %s\n", (long long)seq, event, (long long)fr->pos,
		    data ? data : "(cannot format)");
		abort();
	}
	free(data);
	json_decref(j);
	fr->pos = seq;
	fr->sent++;
}

void
fuzz_ward_replay(int64_t after)
{
	struct store		*s = fuzz_ward.srv.store;
	struct fuzz_replay	 fr;
	int64_t			 last;

	if (store_begin(s, 0) != STORE_OK ||
	    store_alert_last_seq(s, &last) != STORE_OK)
		fuzz_fail("replay: the store failed");
	fr.pos = after < 0 ? last : after;
	do {
		fr.sent = 0;
		if (store_alert_events_after(s, fr.pos, 500, fuzz_replay_one,
		    &fr) != STORE_OK)
			fuzz_fail("replay: the store failed");
	} while (fr.sent == 500);
	store_rollback(s);
}
