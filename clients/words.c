/* What idtsctl and idts-ward say alike (words.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "words.h"

static const char *const words_round_order[WORDS_ROUND_NSTATES] = {
	"due", "scheduled", "held", "missed", "given", "refused", "withheld",
	"away"
};

/* Where a dose in state stands in a round. */
size_t
words_round_rank(const char *state)
{
	size_t	i;

	for (i = 0; state != NULL && i < WORDS_ROUND_NSTATES; i++)
		if (strcmp(state, words_round_order[i]) == 0)
			return i;
	return WORDS_ROUND_NSTATES;
}

/* The state of a rank, "other" for those not known. */
const char *
words_round_state(size_t rank)
{
	return rank < WORDS_ROUND_NSTATES ? words_round_order[rank] : "other";
}

struct words_round_row {
	json_t	*dose;
	size_t	 rank, index;
};

/* By state, keeping the daemon's order (due time, location, family
 * name) within one. */
static int
words_round_cmp(const void *a, const void *b)
{
	const struct words_round_row	*x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The doses of a round in the order a round is given: a new array of
 * the same doses, or NULL if out of memory. */
json_t *
words_round_sort(json_t *doses)
{
	struct words_round_row	*v;
	json_t			*sorted, *d;
	size_t			 i, n = json_array_size(doses);

	if ((sorted = json_array()) == NULL)
		return NULL;
	if ((v = calloc(n + 1, sizeof *v)) == NULL) {
		json_decref(sorted);
		return NULL;
	}
	json_array_foreach(doses, i, d) {
		v[i].dose = d;
		v[i].rank = words_round_rank(json_string_value(
		    json_object_get(d, "state")));
		v[i].index = i;
	}
	qsort(v, n, sizeof *v, words_round_cmp);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i].dose);
	free(v);
	return sorted;
}

/* In the order of enum news2_band. */
static const struct words_band words_bands[] = {
	{ NEWS2_BAND_ZERO, "ZERO", 0 },
	{ NEWS2_BAND_LOW, "LOW", 0 },
	{ NEWS2_BAND_LOW_MEDIUM, "LOW-MEDIUM", 1 },
	{ NEWS2_BAND_MEDIUM, "MEDIUM", 1 },
	{ NEWS2_BAND_HIGH, "HIGH", 1 },
};
#define WORDS_NBANDS	(sizeof words_bands / sizeof words_bands[0])

/* The words of band b, or NULL. */
const struct words_band *
words_band(enum news2_band b)
{
	if ((size_t)b >= WORDS_NBANDS)
		return NULL;
	return &words_bands[b];
}

/* The words of the band the API names ("low_medium"), or NULL. */
const struct words_band *
words_band_named(const char *api_name)
{
	size_t	i;

	for (i = 0; api_name != NULL && i < WORDS_NBANDS; i++)
		if (strcmp(api_name, news2_band_name(words_bands[i].band)) ==
		    0)
			return &words_bands[i];
	return NULL;
}

/* A reading as typed: a whole number of up to 3 digits (every NEWS2
 * reading fits), after any spaces, with an optional suffix such as "%",
 * or "/" for a diastolic pressure after a systolic one ("120/80");
 * -1 if it is not one. */
int
words_whole(const char *s, const char *suffix, int *out)
{
	int	v = 0, digits = 0;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 3)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	if (*s != '\0') {
		if (suffix == NULL)
			return -1;
		if (strcmp(suffix, "/") == 0) {
			if (*s++ != '/' || *s == '\0' ||
			    strspn(s, "0123456789") != strlen(s) ||
			    strlen(s) > 3)
				return -1;
		} else if (strcmp(s, suffix) != 0)
			return -1;
	}
	*out = v;
	return 0;
}

/* A temperature with at most one decimal ("37", "37.2"), in tenths;
 * -1 if it is not one. */
int
words_tenths(const char *s, int *out)
{
	const char	*dot = strchr(s, '.');
	char		 whole[8];
	int		 v;

	if (dot == NULL) {
		if (words_whole(s, NULL, &v) == -1)
			return -1;
		*out = v * 10;
		return 0;
	}
	if (dot == s || (size_t)(dot - s) >= sizeof whole ||
	    strlen(dot) != 2 || dot[1] < '0' || dot[1] > '9')
		return -1;
	memcpy(whole, s, (size_t)(dot - s));
	whole[dot - s] = '\0';
	if (words_whole(whole, NULL, &v) == -1)
		return -1;
	*out = v * 10 + (dot[1] - '0');
	return 0;
}

/* "25 min", "2 h", "1 h 5 min"; a time already past is "0 min". */
const char *
words_minutes(long long minutes, char *buf, size_t size)
{
	if (minutes < 60)
		snprintf(buf, size, "%lld min", minutes < 0 ? 0 : minutes);
	else if (minutes % 60 == 0)
		snprintf(buf, size, "%lld h", minutes / 60);
	else
		snprintf(buf, size, "%lld h %lld min", minutes / 60,
		    minutes % 60);
	return buf;
}
