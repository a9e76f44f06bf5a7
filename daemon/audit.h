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

int	audit_hash(const char *prev_hash, const struct audit_entry *e,
	    char out[DIGEST_HEX_LEN]);

#endif
