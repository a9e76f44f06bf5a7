/* A request's fingerprint is the SHA-256 of the caller, the method, the
 * path and the body in canonical JSON (keys sorted, no spaces), so a retry
 * that differs only in layout still matches.  Members named "pin" are left
 * out: a PIN must never be recoverable from a stored hash, and a retry
 * repeats the same PIN anyway. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idempotency.h"
#include "json_out.h"

/* Remove every "pin" member, at any depth, from a deep copy. */
static void
idempotency_strip_pins(json_t *v)
{
	const char	*key;
	json_t		*member;
	size_t		 i;

	if (json_is_object(v)) {
		json_object_del(v, "pin");
		json_object_foreach(v, key, member)
			idempotency_strip_pins(member);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, member)
			idempotency_strip_pins(member);
	}
}

int
idempotency_fingerprint(const char *caller, enum request_method method,
    const char *path, const json_t *body, char out[DIGEST_HEX_LEN])
{
	json_t		*copy;
	char		*canonical, head[32];
	const void	*parts[5];
	size_t		 lens[5];
	int		 rc;

	copy = body ? json_deep_copy(body) : json_object();
	if (copy == NULL)
		return -1;
	idempotency_strip_pins(copy);
	canonical = json_out_text(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	if (canonical == NULL)
		return -1;
	snprintf(head, sizeof head, "\n%d\n", (int)method);
	parts[0] = caller;
	lens[0] = strlen(caller);
	parts[1] = head;
	lens[1] = strlen(head);
	parts[2] = path;
	lens[2] = strlen(path) + 1;	/* the NUL separates path and body */
	parts[3] = canonical;
	lens[3] = strlen(canonical);
	rc = digest_sha256_hex(parts, lens, 4, out);
	free(canonical);
	return rc;
}
