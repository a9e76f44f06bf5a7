/* What makes two requests "the same" for Idempotency-Key.  Pure. */
#ifndef IDTSD_IDEMPOTENCY_H
#define IDTSD_IDEMPOTENCY_H

#include <jansson.h>

#include "digest.h"
#include "request.h"

int	idempotency_fingerprint(const char *caller, enum request_method method,
	    const char *path, const json_t *body, char out[DIGEST_HEX_LEN]);

#endif
