/* Anchoring the audit chain.  Whoever holds the database file can rewrite
 * the chain and recompute every hash after the change; they cannot sign
 * its new head without audit.key, which is kept outside the database.  So
 * the daemon signs {seq, hash, at} of the head every
 * audit.anchor_interval_minutes and at shutdown, and keeps the signed
 * head three ways: a row of audit_anchors, a file beside the database
 * (written whole by rename, so deleting rows cannot remove the last
 * anchor) and a line in the log (the journal).  Verify takes the later of
 * the two it can read whose signature holds.
 *
 * A new head is signed only on top of the last one: if the chain no
 * longer holds the last signed head (truncated or rehashed while the
 * daemon was stopped), nothing is signed and the log says why, so a
 * tampered chain is never blessed. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "anchoring.h"
#include "clock.h"
#include "json_out.h"
#include "log.h"
#include "server.h"
#include "signing.h"
#include "store.h"

#define ANCHOR_FILE_MAX	1024

/* When the last head was signed, or its signing was refused: the next is
 * an interval after it.  Nothing is lost if a restart forgets it. */
static int64_t	anchoring_last_try;

/* The file beside the database that keeps the latest signed head. */
static void
anchoring_path(const struct server *srv, char *buf, size_t size)
{
	snprintf(buf, size, "%s.anchor", srv->cfg->database);
}

/* Whether the signature of a head holds under the key. */
static int
anchoring_valid(const struct server *srv, const struct audit_anchor *a)
{
	char	text[AUDIT_ANCHOR_TEXT_LEN];

	return audit_anchor_text(a, text) == 0 &&
	    signing_verify(srv->audit_key, text, strlen(text),
	    a->signature) == 1;
}

/* Write a head to the file: a new file, synced, renamed over the old, the
 * directory synced. */
static int
anchoring_write_file(const struct server *srv, const struct audit_anchor *a)
{
	char	 path[PATH_MAX + 8], tmp[PATH_MAX + 16], dir[PATH_MAX + 8];
	char	*text;
	json_t	*j;
	int	 fd, ok;

	anchoring_path(srv, path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.new", path);
	j = json_pack("{s:I,s:s,s:I,s:s}", "seq", (json_int_t)a->seq, "hash",
	    a->hash, "at", (json_int_t)a->at, "signature", a->signature);
	text = j != NULL ? json_out_text(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (text == NULL)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	ok = fd != -1 && write(fd, text, strlen(text)) ==
	    (ssize_t)strlen(text) && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	ok = (fd == -1 || close(fd) == 0) && ok && rename(tmp, path) == 0;
	free(text);
	if (!ok) {
		log_warn("audit anchor: cannot write %s", path);
		unlink(tmp);
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", path);
	if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
	    -1) {
		(void)fsync(fd);
		close(fd);
	}
	return 0;
}

/* Read the head the file keeps; 0 if there is none, -1 if the file is
 * not one. */
static int
anchoring_read_file(const struct server *srv, struct audit_anchor *a)
{
	char		 path[PATH_MAX + 8];
	json_t		*j;
	json_int_t	 seq, at;
	const char	*hash, *sig;
	int		 rc = -1;

	anchoring_path(srv, path, sizeof path);
	if (access(path, F_OK) == -1 && errno == ENOENT)
		return 0;
	if ((j = json_load_file(path, 0, NULL)) == NULL)
		return -1;
	memset(a, 0, sizeof *a);
	if (json_unpack(j, "{s:I,s:s,s:I,s:s}", "seq", &seq, "hash", &hash,
	    "at", &at, "signature", &sig) == 0 &&
	    strlen(hash) < sizeof a->hash &&
	    strlen(sig) < sizeof a->signature) {
		a->seq = seq;
		a->at = at;
		strcpy(a->hash, hash);
		strcpy(a->signature, sig);
		rc = 1;
	}
	json_decref(j);
	return rc;
}

/* The latest signed head whose signature holds, from the file and the
 * table: 0 with it, or -1 with *problem (anchor_invalid if one is there
 * but not signed by the key, anchor_missing if there is none; ok with no
 * key, when nothing is anchored). */
int
anchoring_latest(struct server *srv, struct audit_anchor *out,
    enum audit_problem *problem)
{
	struct audit_anchor		 file, table;
	const struct audit_anchor	*f = NULL, *t = NULL, *later;
	int				 rc, found;

	*problem = AUDIT_OK;
	if (srv->audit_key == NULL)
		return -1;
	if ((rc = anchoring_read_file(srv, &file)) == -1 ||
	    (rc == 1 && !anchoring_valid(srv, &file)))
		*problem = AUDIT_ANCHOR_INVALID;
	else if (rc == 1)
		f = &file;
	if (store_anchor_latest(srv->store, &table, &found) != STORE_OK)
		return -1;
	if (found && !anchoring_valid(srv, &table))
		*problem = AUDIT_ANCHOR_INVALID;
	else if (found)
		t = &table;
	if (*problem != AUDIT_OK)
		return -1;
	if ((later = audit_anchor_later(f, t)) == NULL) {
		*problem = AUDIT_ANCHOR_MISSING;
		return -1;
	}
	*out = *later;
	return 0;
}

/* Whether a new head may be signed: the chain still holds the last one
 * (or none was ever signed). */
static int
anchoring_may_sign(struct server *srv)
{
	struct audit_anchor	last;
	enum audit_problem	problem;

	if (anchoring_latest(srv, &last, &problem) == -1) {
		if (problem == AUDIT_ANCHOR_MISSING)
			return 1;
		log_warnx("audit anchor: not signing: the last signed head "
		    "is %s", audit_problem_name(problem));
		return 0;
	}
	if (store_anchor_holds(srv->store, &last, &problem) != STORE_OK)
		return 0;
	if (problem != AUDIT_OK) {
		log_warnx("audit anchor: not signing: the chain is %s below "
		    "the signed head seq %" PRId64 " %s", audit_problem_name(
		    problem), last.seq, last.hash);
		return 0;
	}
	return 1;
}

/* Sign the head at now and keep it: the table (in the caller's
 * transaction), the file and the log. */
static int
anchoring_sign(struct server *srv, int64_t now)
{
	struct audit_anchor	a;
	char			text[AUDIT_ANCHOR_TEXT_LEN];

	anchoring_last_try = now;
	if (!anchoring_may_sign(srv))
		return -1;
	memset(&a, 0, sizeof a);
	a.at = now;
	if (store_audit_head(srv->store, &a.seq, a.hash) != STORE_OK ||
	    audit_anchor_text(&a, text) == -1 ||
	    signing_sign(srv->audit_key, text, strlen(text), a.signature) ==
	    -1 || store_anchor_insert(srv->store, &a) != STORE_OK) {
		log_warnx("audit anchor: cannot sign the chain head");
		return -1;
	}
	log_info("audit anchor: seq %" PRId64 " hash %s at %" PRId64
	    " signature %s", a.seq, a.hash, a.at, a.signature);
	return anchoring_write_file(srv, &a);
}

/* The next signing is an interval after the last this process tried,
 * or after start-up the last kept (at once if there is none, or the wall
 * clock has stepped back before it); 0 with no key. */
int
anchoring_next_deadline(struct server *srv, int64_t *at)
{
	struct audit_anchor	last;
	int			found = 0;
	int64_t			since = anchoring_last_try;

	*at = 0;
	if (srv->audit_key == NULL)
		return 0;
	if (since == 0 && store_anchor_latest(srv->store, &last, &found) !=
	    STORE_OK)
		return -1;
	if (found)
		since = last.at;
	*at = since == 0 || since > clock_now(&srv->clock) ? 1 : since +
	    (int64_t)srv->cfg->audit_anchor_interval_minutes * 60000;
	return 0;
}

/* The scheduler's source: sign the head if an interval has passed.  It is
 * the first source of a pass, so the head it signs is the committed one,
 * not one this pass may yet roll back. */
int
anchoring_run(struct server *srv, int64_t now)
{
	int64_t	at;

	if (anchoring_next_deadline(srv, &at) == -1)
		return 1;
	if (at == 0 || at > now)
		return 0;
	return anchoring_sign(srv, now) == 0 ? 0 : 1;
}

/* Sign the head now, in a transaction of its own (at shutdown). */
int
anchoring_now(struct server *srv)
{
	if (srv->audit_key == NULL)
		return 0;
	if (store_begin(srv->store, 1) != STORE_OK)
		return -1;
	if (anchoring_sign(srv, clock_now(&srv->clock)) == -1) {
		store_rollback(srv->store);
		return -1;
	}
	return store_commit(srv->store) == STORE_OK ? 0 : -1;
}
