/* What idtsctl and idts-ward say alike: the order of a round, the NEWS2
 * bands in the ward's words, a reading as typed and a length of time.
 * One table each, so the two clients cannot come to disagree. */
#ifndef IDTS_WORDS_H
#define IDTS_WORDS_H

#include <stddef.h>

#include <jansson.h>

#include "news2.h"

/* The order of a round: what can be given now, what is coming, what
 * cannot be given, then what is done.  A state not known ranks last,
 * as WORDS_ROUND_NSTATES. */
#define WORDS_ROUND_NSTATES	8
size_t		 words_round_rank(const char *state);
const char	*words_round_state(size_t rank);
json_t		*words_round_sort(json_t *doses);

/* A NEWS2 band as the ward says it (the response it calls for is
 * news2_response()'s); alerted when saving such an observation alerts
 * the ward, the doctor on call and the managers. */
struct words_band {
	enum news2_band	 band;
	const char	*label;
	int		 alerted;
};
const struct words_band *words_band(enum news2_band);
const struct words_band *words_band_named(const char *api_name);

int		 words_whole(const char *s, const char *suffix, int *out);
int		 words_tenths(const char *s, int *out);
const char	*words_minutes(long long minutes, char *buf, size_t size);

#endif
