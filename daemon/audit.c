/* hash = SHA-256(previous hash || entry), the entry written as its fields
 * separated by newlines after their lengths, so no two entries share a
 * byte string. */
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
