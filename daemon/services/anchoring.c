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
 * tampered chain is never blessed.  Each signing also appends an
 * audit.anchor entry naming the head it signed (after signing it, so the
 * entry is not itself what it signs, and the next signing has something
 * new to sign only if more than that entry was added).  So a chain that
 * has such an entry was anchored: if no signed head as late as the entry
 * says is left (the rows and the file deleted, the tail cut), the daemon
 * does not sign it as if it were the first time, and verify says
 * anchor_missing.  Nor does it sign a first head over a chain it did not
 * see begin (one rewritten without its audit.anchor entries looks never
 * anchored), unless the operator says so at the console: idtsd
 * --anchor-adopt. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "alert.h"
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

/* Whether a first head may be signed over a chain with no signed head:
 * the chain was empty when this process opened the store, or the operator
 * adopted it as it is (--anchor-adopt). */
static int	anchoring_empty_at_start, anchoring_adopt;

/* Whether the managers were told that this process refused to sign. */
static int	anchoring_alerted;

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

/* Whether a first head may be signed over a chain with no signed head,
 * whose latest audit.anchor entry (0 if none) says the head at signed_seq
 * was signed; said loudly in the log either way. */
static int
anchoring_may_sign_first(int64_t entry, int64_t signed_seq)
{
	if (entry == 0 && anchoring_empty_at_start)
		return 1;
	if (anchoring_adopt) {
		log_warnx("audit anchor: ADOPTING the chain as it is, with no "
		    "signed head, at the operator's word (--anchor-adopt)");
		return 1;
	}
	if (entry != 0)
		log_warnx("audit anchor: NOT SIGNING: entry %" PRId64 " says "
		    "the head at seq %" PRId64 " was signed, and no signed "
		    "head is left in audit_anchors or the anchor file: they "
		    "were deleted; verify reports anchor_missing", entry,
		    signed_seq);
	else
		log_warnx("audit anchor: NOT SIGNING: the chain has entries "
		    "and no signed head, and it was not empty at start-up; "
		    "verify reports anchor_missing; if anchoring is new here, "
		    "start once with idtsd --anchor-adopt");
	return 0;
}

/* Whether a new head may be signed: the chain still holds the last one
 * (or none was ever signed, and a first may be). */
static int
anchoring_may_sign(struct server *srv)
{
	struct audit_anchor	last;
	enum audit_problem	problem;
	int64_t			entry, signed_seq;

	if (anchoring_latest(srv, &last, &problem) == -1) {
		if (problem != AUDIT_ANCHOR_MISSING) {
			log_warnx("audit anchor: not signing: the last signed "
			    "head is %s", audit_problem_name(problem));
			return 0;
		}
		if (store_anchor_entry_latest(srv->store, &entry,
		    &signed_seq) != STORE_OK)
			return 0;
		return anchoring_may_sign_first(entry, signed_seq);
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

/* Whether the head is the audit.anchor entry of the last signing, so
 * that nothing has happened since: -1 on error. */
static int
anchoring_nothing_new(struct server *srv, int64_t head)
{
	int64_t	entry, signed_seq;

	if (store_anchor_entry_latest(srv->store, &entry, &signed_seq) !=
	    STORE_OK)
		return -1;
	return entry != 0 && entry == head;
}

/* Append the entry that says the head at a was signed. */
static enum store_result
anchoring_entry(struct server *srv, const struct audit_anchor *a)
{
	char	id[24];

	snprintf(id, sizeof id, "%" PRId64, a->seq);
	return store_audit_append(srv->store, a->at, "", "audit.anchor",
	    "audit_anchor", id, json_pack("{s:I,s:s}", "seq",
	    (json_int_t)a->seq, "hash", a->hash));
}

/* Tell the managers, once a run, that the head was not signed: the file
 * may have been edited (in the caller's transaction). */
static void
anchoring_alert(struct server *srv, int64_t now)
{
	struct alert_policy	policy = server_alert_policy(srv);
	struct alert		a;

	if (anchoring_alerted)
		return;
	alert_raise(&a, "audit_anchor_refused", SEVERITY_URGENT,
	    AUDIENCE_MANAGER, NULL, "audit", "the audit chain's head is not "
	    "signed: the signed heads kept do not hold or are missing, so the "
	    "database file may have been edited; see the log, GET "
	    "/v1/audit/verify and idtsd(8), THE STORE", now, &policy);
	if (store_alert_raise(srv->store, &a, now, "") != STORE_OK)
		log_warnx("audit anchor: cannot alert the managers");
	else
		anchoring_alerted = 1;
}

/* Sign the head at now and keep it: the table and an audit.anchor entry
 * (in the caller's transaction), the file and the log.  Nothing is signed
 * if nothing has happened since the last signing. */
static int
anchoring_sign(struct server *srv, int64_t now)
{
	struct audit_anchor	a;
	char			text[AUDIT_ANCHOR_TEXT_LEN];
	int			same;

	anchoring_last_try = now;
	if (!anchoring_may_sign(srv)) {
		anchoring_alert(srv, now);
		return -1;
	}
	memset(&a, 0, sizeof a);
	a.at = now;
	if (store_audit_head(srv->store, &a.seq, a.hash) != STORE_OK ||
	    (same = anchoring_nothing_new(srv, a.seq)) == -1)
		return -1;
	if (same)
		return 0;
	if (audit_anchor_text(&a, text) == -1 ||
	    signing_sign(srv->audit_key, text, strlen(text), a.signature) ==
	    -1 || store_anchor_insert(srv->store, &a) != STORE_OK ||
	    anchoring_entry(srv, &a) != STORE_OK) {
		log_warnx("audit anchor: cannot sign the chain head");
		return -1;
	}
	log_info("audit anchor: seq %" PRId64 " hash %s at %" PRId64
	    " signature %s", a.seq, a.hash, a.at, a.signature);
	return anchoring_write_file(srv, &a);
}

/* The chain ends at entries, below its last signed head: say so in the
 * chain before the ward writes on past the cut, so that verify reports
 * the cut even once the chain has grown past the head's seq again (it
 * would otherwise read as rewritten there); -1 on error. */
static int
anchoring_record_cut(struct server *srv, int64_t entries)
{
	struct audit_anchor	last;
	enum audit_problem	problem;
	char			id[24];

	if (anchoring_latest(srv, &last, &problem) == -1 ||
	    last.seq <= entries)
		return 0;
	snprintf(id, sizeof id, "%" PRId64, last.seq);
	if (store_begin(srv->store, 1) != STORE_OK)
		return -1;
	if (store_audit_append(srv->store, clock_now(&srv->clock), "",
	    "audit.truncated", "audit_anchor", id, json_pack("{s:I,s:I}",
	    "signed_seq", (json_int_t)last.seq, "entries",
	    (json_int_t)entries)) != STORE_OK) {
		store_rollback(srv->store);
		return -1;
	}
	if (store_commit(srv->store) != STORE_OK)
		return -1;
	log_warnx("audit anchor: the chain ends at seq %" PRId64 ", below "
	    "the signed head seq %" PRId64 ": entries were deleted; recorded "
	    "as audit.truncated", entries, last.seq);
	return 0;
}

/* At start-up, before anything is written: note whether the chain is
 * empty, and whether the operator adopts it as it is, and record a chain
 * cut below its signed head; -1 on error. */
int
anchoring_start(struct server *srv, int adopt)
{
	int64_t	seq;
	char	hash[DIGEST_HEX_LEN];

	anchoring_adopt = adopt;
	if (store_audit_head(srv->store, &seq, hash) != STORE_OK)
		return -1;
	anchoring_empty_at_start = seq == 0;
	return anchoring_record_cut(srv, seq);
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
