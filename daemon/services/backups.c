/* Online backups.  A backup copies the committed database through a read
 * connection of its own (SQLite's backup API, one read transaction: a
 * consistent snapshot) to a temporary name in backup.directory, checks
 * the copy (the schema version, integrity_check, the audit chain, whose
 * head it records), fsyncs it, renames it into place and fsyncs the
 * directory (store_backup_make()).  Only then does it count; the oldest
 * verified ones beyond backup.keep are deleted.  Each attempt is
 * recorded in the backups table and audited; a failure, or no verified
 * backup in two intervals, alerts the managers.  The decisions are
 * backup_plan() and backup_prune().
 *
 * Every backup, scheduled or asked for (POST /v1/backups), is made by a
 * child process (idtsd --backup-child, backups_child()), so that the
 * event loop goes on serving the ward while a large database is copied
 * and checked (about a second for each 100 MB); the loop hears the result
 * on a pipe and records it in a transaction of its own, then tells
 * whoever asked (the request waits for it: api_backups.c).  One at a
 * time: while one is being made, another asked for is refused. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "alert.h"
#include "backups.h"
#include "batch.h"
#include "log.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"
#include "store_backup.h"

/* The subject of the overdue alert while no backup was ever verified. */
#define BACKUPS_NONE	"00000000-0000-0000-0000-000000000000"
/* The child's answer: one line of JSON. */
#define BACKUPS_ANSWER_MAX	(BACKUP_ERROR_MAX + 512)

extern char	**environ;

/* A backup being made by the child. */
struct backups_child {
	struct server		*srv;
	pid_t			 pid;
	int			 fd;		/* the read end of its stdout */
	struct event		*ev;
	char			 answer[BACKUPS_ANSWER_MAX];
	size_t			 len;
	struct backup_record	 b;
	backups_done_fn		 done;		/* NULL when scheduled */
	void			*done_arg;
};

/* When the schedule began: the first time the scheduler asked. */
static int64_t			 backups_since;
static struct backups_child	*backups_running;

/* Say why a backup failed (a long path is cut short). */
static void __attribute__((format(printf, 2, 3)))
backups_error(struct backup_record *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(b->error, sizeof b->error, fmt, ap);
	va_end(ap);
}

/* Delete what backups cut short left behind (the daemon stopped while a
 * child was copying): idtsd-*.db.tmp in the directory, but for the one a
 * child is writing now. */
static void
backups_sweep(const char *dir)
{
	char		 running[BACKUP_FILE_MAX + 8] = "";
	const char	*base;
	struct dirent	*e;
	DIR		*d;

	if (backups_running != NULL) {
		base = strrchr(backups_running->b.file, '/');
		snprintf(running, sizeof running, "%s.tmp", base ? base + 1 :
		    backups_running->b.file);
	}
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (fnmatch("idtsd-*.db.tmp", e->d_name, 0) == 0 &&
		    strcmp(e->d_name, running) != 0 &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0)
			log_info("backup: removed %s/%s, left by a backup cut "
			    "short", dir, e->d_name);
	closedir(d);
}

/* A new backup: its id, who asked, when, and its file's name,
 * idtsd-<UTC time>.db in backup.directory, which is made if missing.
 * -1 with b->error if it cannot be. */
static int
backups_begin(struct server *srv, int64_t now, const char *actor_id,
    struct backup_record *b)
{
	const char	*dir = srv->cfg->backup_directory;
	time_t		 secs = (time_t)(now / 1000);
	struct tm	 tm;
	char		 stamp[32];

	memset(b, 0, sizeof *b);
	validate_new_uuid(b->id);
	snprintf(b->requested_by, sizeof b->requested_by, "%s", actor_id);
	b->started_at = b->finished_at = now;
	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm) == 0 ||
	    snprintf(b->file, sizeof b->file, "%s/idtsd-%s.%03dZ.db", dir,
	    stamp, (int)(now % 1000)) >= (int)sizeof b->file - 4) {
		backups_error(b, "the backup's name is too long for %s", dir);
		return -1;
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		backups_error(b, "cannot create %s: %m", dir);
		return -1;
	}
	backups_sweep(dir);
	return 0;
}

/* store_backup_list's callback: keep each backup in a batch. */
static void
backups_collect(const struct backup_record *b, void *arg)
{
	batch_add(arg, b);
}

/* Delete the files of the verified backups beyond backup.keep, newest
 * kept; each recorded as pruned.  -1 if the store failed. */
static int
backups_prune(struct server *srv, int64_t now)
{
	struct backup_policy	 p = { 0, srv->cfg->backup_keep };
	struct batch		 list = BATCH_OF(struct backup_record);
	struct backup_kept	*kept = NULL;
	struct backup_record	*b;
	int			*prune = NULL, rc = -1;
	size_t			 i;

	if (store_backup_list(srv->store, 0, STORE_BACKUPS_UNPRUNED,
	    backups_collect, &list) != STORE_OK || list.failed ||
	    (kept = calloc(list.n + 1, sizeof *kept)) == NULL ||
	    (prune = calloc(list.n + 1, sizeof *prune)) == NULL)
		goto done;
	for (i = 0; i < list.n; i++)
		kept[i].verified = ((struct backup_record *)
		    batch_item(&list, i))->verified;
	backup_prune(&p, kept, list.n, prune);
	rc = 0;
	for (i = 0; i < list.n && rc == 0; i++) {
		b = batch_item(&list, i);
		if (!prune[i])
			continue;
		if (unlink(b->file) == -1 && errno != ENOENT)
			log_warnx("backup: cannot delete %s: %m", b->file);
		else if (store_backup_pruned(srv->store, b->id, now) !=
		    STORE_OK)
			rc = -1;
		else
			log_info("backup: pruned %s", b->file);
	}
done:
	free(kept);
	free(prune);
	batch_free(&list);
	return rc;
}

/* Alert the managers that a backup failed, or is overdue. */
static int
backups_alert(struct server *srv, const char *kind, const char *subject,
    const char *message, int64_t now, const char *actor_id)
{
	struct alert_policy	policy = server_alert_policy(srv);
	struct alert		a;

	alert_raise(&a, kind, SEVERITY_URGENT, AUDIENCE_MANAGER, NULL, subject,
	    message, now, &policy);
	return store_alert_raise(srv->store, &a, now, actor_id) == STORE_OK ?
	    0 : -1;
}

/* Record and audit a backup made or failed, in the caller's transaction;
 * alert a failure, prune after a success. */
static int
backups_record(struct server *srv, const struct backup_record *b,
    const char *actor_id)
{
	char	msg[BACKUP_ERROR_MAX + 32];
	int64_t	now = b->finished_at;

	if (b->verified)
		log_info("backup: %s, %lld bytes, audit head %lld", b->file,
		    (long long)b->bytes, (long long)b->audit_head);
	else
		log_warnx("backup failed: %s", b->error);
	if (store_backup_insert(srv->store, b) != STORE_OK ||
	    store_audit_append(srv->store, now, actor_id, b->verified ?
	    "backup.taken" : "backup.failed", "backup", b->id,
	    json_pack("{s:s,s:I,s:b,s:I,s:s?}", "file", b->file, "bytes",
	    (json_int_t)b->bytes, "verified", b->verified, "audit_head",
	    (json_int_t)b->audit_head, "error", b->verified ? NULL :
	    b->error)) != STORE_OK)
		return -1;
	if (b->verified)
		return backups_prune(srv, now);
	snprintf(msg, sizeof msg, "backup failed: %s", b->error);
	return backups_alert(srv, "backup_failed", b->id, msg, now, actor_id);
}

/* What the check of a backup made found, into its record. */
static void
backups_verified(struct backup_record *b, const struct store_backup_check *c)
{
	b->verified = 1;
	b->audit_head = c->head_seq;
	b->audit_at = c->head_at;
	b->schema_version = c->schema_version;
	snprintf(b->audit_hash, sizeof b->audit_hash, "%s", c->head_hash);
}

/* idtsd --backup-child FINAL DATABASE: make the backup and say on
 * standard output, in one line of JSON, what it is or why it failed.
 * 0 if made and verified, else 1. */
int
backups_child(const char *final, const char *database)
{
	struct store_backup_check	 c;
	char				 why[BACKUP_ERROR_MAX] = "";
	int64_t				 bytes = 0;
	int				 rc;
	json_t				*j;

	closefrom(STDERR_FILENO + 1);	/* the daemon's sockets are not ours */
	rc = store_backup_make(database, final, &c, &bytes, why, sizeof why);
	j = rc == 0 ? json_pack("{s:b,s:I,s:I,s:I,s:s,s:i}", "ok", 1, "bytes",
	    (json_int_t)bytes, "audit_head", (json_int_t)c.head_seq,
	    "audit_at", (json_int_t)c.head_at, "audit_hash", c.head_hash,
	    "schema_version", c.schema_version) :
	    json_pack("{s:b,s:s}", "ok", 0, "error", why);
	if (j == NULL || json_dumpf(j, stdout, JSON_COMPACT) == -1 ||
	    fflush(stdout) == EOF)
		rc = -1;
	json_decref(j);
	return rc == 0 ? 0 : 1;
}

/* Read the child's answer into b. */
static void
backups_child_answer(struct backups_child *ch, int status)
{
	struct store_backup_check	 c;
	json_t				*j;
	const char			*error = NULL, *hash = "";
	json_int_t			 bytes = 0, head = 0, at = 0;
	int				 ok = 0;

	memset(&c, 0, sizeof c);
	ch->answer[ch->len] = '\0';
	j = json_loads(ch->answer, 0, NULL);
	if (j == NULL || json_unpack(j, "{s:b,s?s,s?I,s?I,s?I,s?s,s?i}", "ok",
	    &ok, "error", &error, "bytes", &bytes, "audit_head", &head,
	    "audit_at", &at, "audit_hash", &hash, "schema_version",
	    &c.schema_version) == -1)
		ok = 0;
	if (ok && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		c.head_seq = head;
		c.head_at = at;
		snprintf(c.head_hash, sizeof c.head_hash, "%s", hash);
		ch->b.bytes = bytes;
		backups_verified(&ch->b, &c);
	} else if (error != NULL)
		backups_error(&ch->b, "%s", error);
	else
		backups_error(&ch->b, "the backup process ended without an "
		    "answer (status %d)", status);
	json_decref(j);
}

/* The child's standard output: gather its answer; at its end, record the
 * backup in a transaction of its own, audited in the name of whoever
 * asked, and tell them: 0 verified, 1 failed, -1 not recorded. */
static void
backups_child_read(evutil_socket_t fd, short what, void *arg)
{
	struct backups_child	*ch = arg;
	struct server		*srv = ch->srv;
	ssize_t			 n;
	int			 status = -1, rc;

	(void)what;
	n = read(fd, ch->answer + ch->len, sizeof ch->answer - 1 - ch->len);
	if (n > 0 && ch->len + (size_t)n < sizeof ch->answer - 1) {
		ch->len += (size_t)n;
		return;
	}
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	event_free(ch->ev);
	close(ch->fd);
	while (waitpid(ch->pid, &status, 0) == -1 && errno == EINTR)
		;
	backups_child_answer(ch, status);
	ch->b.finished_at = clock_now(&srv->clock);
	rc = ch->b.verified ? 0 : 1;
	if (store_begin(srv->store, 1) != STORE_OK ||
	    backups_record(srv, &ch->b, ch->b.requested_by) == -1 ||
	    store_commit(srv->store) != STORE_OK) {
		store_rollback(srv->store);
		log_warnx("backup: cannot record %s", ch->b.file);
		rc = -1;
	}
	backups_running = NULL;
	if (ch->done != NULL)
		ch->done(&ch->b, rc, ch->done_arg);
	free(ch);
	server_changed(srv);
}

/* Start a backup in a child process.  -1 with b->error if it cannot be
 * started. */
static int
backups_spawn(struct server *srv, struct backups_child *ch)
{
	posix_spawn_file_actions_t	 fa;
	char				*argv[] = { (char *)"idtsd",
					    (char *)"--backup-child",
					    ch->b.file,
					    (char *)srv->cfg->database, NULL };
	int				 fds[2], rc;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		backups_error(&ch->b, "cannot make a pipe: %m");
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	rc = posix_spawn(&ch->pid, "/proc/self/exe", &fa, NULL, argv,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	ch->fd = fds[0];
	if (rc == 0 && (ch->ev = event_new(srv->base, ch->fd, EV_READ |
	    EV_PERSIST, backups_child_read, ch)) != NULL &&
	    event_add(ch->ev, NULL) == 0)
		return 0;
	if (rc != 0)
		backups_error(&ch->b, "cannot start the backup: %s",
		    strerror(rc));
	else {
		backups_error(&ch->b, "cannot watch the backup");
		if (ch->ev != NULL)
			event_free(ch->ev);
		kill(ch->pid, SIGKILL);
		waitpid(ch->pid, NULL, 0);
	}
	close(ch->fd);
	return -1;
}

/* A backup for actor_id ("" for the schedule): started in a child,
 * recorded when it ends, and then done(b, rc, arg) called if done is
 * set.  0 if started; 1 if it could not be (recorded and alerted now, in
 * the caller's transaction: b->error says why); -1 if the store failed. */
static int
backups_start(struct server *srv, int64_t now, const char *actor_id,
    backups_done_fn done, void *arg, struct backup_record *b)
{
	struct backups_child	*ch;

	if ((ch = calloc(1, sizeof *ch)) == NULL) {
		backups_begin(srv, now, actor_id, b);
		backups_error(b, "out of memory");
		return backups_record(srv, b, actor_id) == -1 ? -1 : 1;
	}
	ch->srv = srv;
	ch->done = done;
	ch->done_arg = arg;
	if (backups_begin(srv, now, actor_id, &ch->b) == 0 &&
	    backups_spawn(srv, ch) == 0) {
		log_info("backup: started %s", ch->b.file);
		backups_running = ch;
		*b = ch->b;
		return 0;
	}
	*b = ch->b;
	free(ch);
	return backups_record(srv, b, actor_id) == -1 ? -1 : 1;
}

/* A backup asked for by actor_id now (POST /v1/backups), made as the
 * scheduled ones are; done(b, rc, arg) once it is recorded (rc 0
 * verified, 1 failed, -1 not recorded).  0 if started; 1 if it could not
 * be (recorded and alerted in the caller's transaction); 2 if a backup is
 * being made already (b->file names it); -1 if the store failed. */
int
backups_ask(struct server *srv, int64_t now, const char *actor_id,
    backups_done_fn done, void *arg, struct backup_record *b)
{
	if (backups_running != NULL) {
		*b = backups_running->b;
		return 2;
	}
	return backups_start(srv, now, actor_id, done, arg, b);
}

/* Stopping, the loop ended: a backup still being made is abandoned (its
 * child killed; the .tmp it leaves goes at the next backup), and the
 * request that asked for it let go, unacknowledged (its connection is
 * about to close). */
void
backups_stop(void)
{
	struct backups_child	*ch = backups_running;

	if (ch == NULL)
		return;
	backups_running = NULL;
	event_free(ch->ev);
	close(ch->fd);
	kill(ch->pid, SIGKILL);
	while (waitpid(ch->pid, NULL, 0) == -1 && errno == EINTR)
		;
	log_warnx("backup: %s abandoned: the daemon is stopping", ch->b.file);
	if (ch->done != NULL) {
		backups_error(&ch->b, "the daemon stopped before it was made");
		ch->done(&ch->b, -1, ch->done_arg);
	}
	free(ch);
}

/* What the record says so far, for backup_plan(). */
static int
backups_history(struct server *srv, struct backup_history *h,
    char verified_id[UUID_STR_LEN])
{
	struct backup_record	b;
	enum store_result	r;

	if (backups_since == 0)
		backups_since = clock_now(&srv->clock);
	memset(h, 0, sizeof *h);
	h->since = backups_since;
	h->running = backups_running != NULL;
	snprintf(verified_id, UUID_STR_LEN, "%s", BACKUPS_NONE);
	if ((r = store_backup_last(srv->store, 0, &b)) == STORE_OK)
		h->last_attempt = b.started_at;
	else if (r != STORE_NOT_FOUND)
		return -1;
	if ((r = store_backup_last(srv->store, 1, &b)) == STORE_OK) {
		h->last_verified = b.started_at;
		snprintf(verified_id, UUID_STR_LEN, "%s", b.id);
	} else if (r != STORE_NOT_FOUND)
		return -1;
	return 0;
}

/* The policy from the config. */
static struct backup_policy
backups_policy(const struct server *srv)
{
	struct backup_policy	p;

	p.interval_ms = (int64_t)srv->cfg->backup_interval * 60000;
	p.keep = srv->cfg->backup_keep;
	return p;
}

/* The scheduler's question: when is a backup next due, or overdue. */
int
backups_next_deadline(struct server *srv, int64_t *at)
{
	struct backup_policy	p = backups_policy(srv);
	struct backup_history	h;
	struct backup_decision	d;
	char			id[UUID_STR_LEN];

	if (backups_history(srv, &h, id) == -1)
		return -1;
	backup_plan(&p, &h, clock_now(&srv->clock), &d);
	*at = d.next_at;
	return 0;
}

/* The scheduler's pass: alert an overdue backup once for the last
 * verified one, and start one if due.  Returns how many failed. */
int
backups_run(struct server *srv, int64_t now)
{
	struct backup_policy	p = backups_policy(srv);
	struct backup_history	h;
	struct backup_decision	d;
	char			id[UUID_STR_LEN];
	struct backup_record	b;
	int			exists, ok;

	if (backups_history(srv, &h, id) == -1)
		return 1;
	backup_plan(&p, &h, now, &d);
	if (!d.overdue && !d.due)
		return 0;
	if (store_savepoint(srv->store) != STORE_OK)
		return 1;
	ok = !d.overdue || (store_alert_exists(srv->store, "backup_overdue",
	    id, &exists) == STORE_OK && (exists || backups_alert(srv,
	    "backup_overdue", id, "no verified backup for two backup "
	    "intervals: see idtsd(8), BACKUP AND RESTORE", now, "") == 0));
	if (ok && d.due)
		ok = backups_start(srv, now, "", NULL, NULL, &b) != -1;
	return scheduler_item(srv, ok, "take a backup", "now");
}
