/* hash = SHA-256(previous hash || entry), the entry written as its fields
 * separated by newlines after their lengths, so no two entries share a
 * byte string.  Also the digests of clinical rows the entries record, and
 * the pure parts of the signed head (what is signed, which head is later,
 * whether a chain still holds it). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"

/* The hash of entry e chained after prev_hash (hex). */
int
audit_hash(const char *prev_hash, const struct audit_entry *e,
    char out[DIGEST_HEX_LEN])
{
	unsigned char	 prev[32];
	char		 head[64];
	const char	*fields[] = {
		e->actor_id, e->action, e->record_type, e->record_id, e->detail
	};
	const void	*parts[2 + 2 * 5];
	size_t		 lens[2 + 2 * 5];
	char		 lenbuf[5][24];
	size_t		 i, n = 0;

	if (digest_hex_to_bytes(prev_hash, prev, sizeof prev) == -1)
		return -1;
	parts[n] = prev;
	lens[n++] = sizeof prev;
	snprintf(head, sizeof head, "%" PRId64 "\n%" PRId64 "\n", e->seq,
	    e->at);
	parts[n] = head;
	lens[n++] = strlen(head);
	for (i = 0; i < 5; i++) {
		snprintf(lenbuf[i], sizeof lenbuf[i], "%zu:", strlen(fields[i]));
		parts[n] = lenbuf[i];
		lens[n++] = strlen(lenbuf[i]);
		parts[n] = fields[i];
		lens[n++] = strlen(fields[i]);
	}
	return digest_sha256_hex(parts, lens, n, out);
}

/* The digest of a clinical row as an audit entry records it: SHA-256 of
 * the table's name and each column in the store's fixed order, each
 * framed by its length ("N" for NULL), so no two rows share a string. */
int
audit_row_digest(const char *table, const char *const values[], size_t n,
    char out[DIGEST_HEX_LEN])
{
	const void	*parts[2 + 2 * AUDIT_ROW_MAX_COLUMNS];
	size_t		 lens[2 + 2 * AUDIT_ROW_MAX_COLUMNS];
	char		 lenbuf[AUDIT_ROW_MAX_COLUMNS][24];
	size_t		 i, k = 0;

	if (n > AUDIT_ROW_MAX_COLUMNS)
		return -1;
	parts[k] = table;
	lens[k++] = strlen(table);
	parts[k] = "\n";
	lens[k++] = 1;
	for (i = 0; i < n; i++) {
		if (values[i] == NULL)
			snprintf(lenbuf[i], sizeof lenbuf[i], "N\n");
		else
			snprintf(lenbuf[i], sizeof lenbuf[i], "%zu:",
			    strlen(values[i]));
		parts[k] = lenbuf[i];
		lens[k++] = strlen(lenbuf[i]);
		parts[k] = values[i] ? values[i] : "";
		lens[k++] = values[i] ? strlen(values[i]) : 0;
	}
	return digest_sha256_hex(parts, lens, k, out);
}

/* The bytes a signed head signs; -1 if they do not fit. */
int
audit_anchor_text(const struct audit_anchor *a,
    char out[AUDIT_ANCHOR_TEXT_LEN])
{
	int	n;

	n = snprintf(out, AUDIT_ANCHOR_TEXT_LEN, "idtsd audit anchor 1\n"
	    "seq %" PRId64 "\nhash %s\nat %" PRId64 "\n", a->seq, a->hash,
	    a->at);
	return n > 0 && n < AUDIT_ANCHOR_TEXT_LEN ? 0 : -1;
}

/* The later of two signed heads (either may be NULL): the higher seq,
 * then the later signing. */
const struct audit_anchor *
audit_anchor_later(const struct audit_anchor *a, const struct audit_anchor *b)
{
	if (a == NULL || b == NULL)
		return a != NULL ? a : b;
	if (a->seq != b->seq)
		return a->seq > b->seq ? a : b;
	return a->at >= b->at ? a : b;
}

/* Whether a chain of entries entries, whose entry at the anchor's seq has
 * hash_at_seq (NULL if there is none), still holds the signed head.
 * cut_recorded: a start-up found the chain cut below this head and said
 * so in the chain (audit.truncated); the ward went on writing, so the
 * chain may since have grown past the head again, and another hash there
 * is then the cut, not a rewrite. */
enum audit_problem
audit_anchor_holds(const struct audit_anchor *a, int64_t entries,
    const char *hash_at_seq, int cut_recorded)
{
	if (a->seq > entries || hash_at_seq == NULL)
		return AUDIT_TRUNCATED;
	if (strcmp(a->hash, hash_at_seq) == 0)
		return AUDIT_OK;
	return cut_recorded ? AUDIT_TRUNCATED : AUDIT_REHASHED;
}

/* Whether the latest signed head a (NULL if none holds) is at or after
 * the head that the chain's latest audit.anchor entry says was signed
 * (signed_seq, 0 if the chain has none): each signing leaves such an
 * entry, so a chain that has one and no signed head as late as it lost
 * its signed heads (deleted with the anchor file, the chain cut after the
 * entry). */
enum audit_problem
audit_anchor_covers(const struct audit_anchor *a, int64_t signed_seq)
{
	if (signed_seq == 0 || (a != NULL && a->seq >= signed_seq))
		return AUDIT_OK;
	return AUDIT_ANCHOR_MISSING;
}

/* The name the API and the log give a problem. */
const char *
audit_problem_name(enum audit_problem p)
{
	static const char *const names[] = {
		"ok", "broken", "truncated", "rehashed", "row_changed",
		"row_unrecorded", "row_missing", "anchor_missing",
		"anchor_invalid"
	};

	return (size_t)p < sizeof names / sizeof names[0] ? names[p] : "?";
}
