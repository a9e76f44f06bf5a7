/* The audit chain: each entry's hash covers the previous hash and the
 * entry, so a changed or removed row breaks every hash after it. */
#ifndef IDTSD_AUDIT_H
#define IDTSD_AUDIT_H

#include <stdint.h>

#include "digest.h"

#define AUDIT_GENESIS	\
	"0000000000000000000000000000000000000000000000000000000000000000"

struct audit_entry {
	int64_t		 seq;
	int64_t		 at;
	const char	*actor_id;	/* staff id, or "" for the system */
	const char	*action;	/* e.g. "staff.create" */
	const char	*record_type;
	const char	*record_id;
	const char	*detail;	/* compact JSON */
};

/* A signed chain head: the daemon signs {seq, hash, at} with audit.key
 * and keeps it outside the chain (docs/design.md, "The audit anchor"). */
#define AUDIT_SIG_HEX_LEN	129
#define AUDIT_ANCHOR_TEXT_LEN	192
struct audit_anchor {
	int64_t		 seq;
	char		 hash[DIGEST_HEX_LEN];
	int64_t		 at;
	char		 signature[AUDIT_SIG_HEX_LEN];
};

/* What a verification found first, in the order it looks. */
enum audit_problem {
	AUDIT_OK,
	AUDIT_BROKEN,		/* an entry's link or hash is wrong */
	AUDIT_TRUNCATED,	/* the chain ends before the signed head */
	AUDIT_REHASHED,		/* another hash at the signed head */
	AUDIT_ROW_CHANGED,	/* a row unlike its last digest */
	AUDIT_ROW_UNRECORDED,	/* a row no entry records */
	AUDIT_ROW_MISSING,	/* a kept row, recorded, gone */
	AUDIT_ANCHOR_MISSING,	/* a key, and no signed head */
	AUDIT_ANCHOR_INVALID	/* a signed head, wrongly signed */
};

#define AUDIT_ROW_MAX_COLUMNS	24
#define AUDIT_TABLE_LEN	32
#define AUDIT_ID_LEN	64
/* Where: seq in the chain, or table and id of a row. */
struct audit_check {
	int64_t			 entries;
	int64_t			 rows;		/* clinical rows checked */
	enum audit_problem	 problem;
	int64_t			 seq;
	char			 table[AUDIT_TABLE_LEN];
	char			 id[AUDIT_ID_LEN];
};

int	audit_hash(const char *prev_hash, const struct audit_entry *e,
	    char out[DIGEST_HEX_LEN]);
int	audit_row_digest(const char *table, const char *const values[],
	    size_t n, char out[DIGEST_HEX_LEN]);
int	audit_anchor_text(const struct audit_anchor *,
	    char out[AUDIT_ANCHOR_TEXT_LEN]);
const struct audit_anchor *audit_anchor_later(const struct audit_anchor *,
	    const struct audit_anchor *);
enum audit_problem audit_anchor_holds(const struct audit_anchor *,
	    int64_t entries, const char *hash_at_seq, int cut_recorded);
enum audit_problem audit_anchor_covers(const struct audit_anchor *,
	    int64_t signed_seq);
const char *audit_problem_name(enum audit_problem);

#endif
