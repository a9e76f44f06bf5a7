/* The DEMO ward the fuzz targets run requests against: a server with a
 * store on a temporary database, seeded, its deadlines run once, a
 * signed-in session for every demo person, and a fixed clock.  Each input
 * starts from the same state: what one changes is put back after it. */
#ifndef IDTSD_FUZZ_WARD_H
#define IDTSD_FUZZ_WARD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "server.h"

struct request;

/* Every input runs at this instant: Monday 23 November 2026, 17:30 UTC,
 * half an hour before the demo's 18:00 round, inside its window. */
#define FUZZ_NOW	INT64_C(1795455000000)

struct fuzz_ward {
	struct config	cfg;
	struct server	srv;
};

extern struct fuzz_ward fuzz_ward;

/* Set the ward up once (LLVMFuzzerInitialize); exits if it cannot. */
void	fuzz_ward_open(void);
/* Before each input: the fixed clock and the same fresh UUIDs. */
void	fuzz_ward_begin(void);
/* After each input: if it changed anything, check the audit chain and
 * the rules the store must keep (aborting if one is broken), then put
 * back whatever it changed. */
void	fuzz_ward_end(void);

/* Copy len bytes of in with every placeholder ($p1 a patient's id, $t2
 * nina's bearer token...: see fuzz_ward.c) replaced by its value, as a
 * NUL-terminated string the caller frees; *outlen is its length. */
char	*fuzz_ward_expand(const uint8_t *in, size_t len, size_t *outlen);

/* The bearer token of a demo person by username, or NULL. */
const char *fuzz_ward_token(const char *username);

/* Check an answer as http.c would send it: JSON (or text with a type),
 * an error with a code and message, no 5xx from a healthy store, and the
 * transaction ended.  Aborts with the answer printed if not. */
void	fuzz_ward_check(const struct request *, const char *what);

/* What the alert stream would replay after `after` (from the end when
 * negative), checked: events in order and each one formatted. */
void	fuzz_ward_replay(int64_t after);

#endif
