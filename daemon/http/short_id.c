/* Short ids: in every route whose first segment names a record by its
 * id, any unique prefix of SHORT_ID_MIN or more of its characters stands
 * for the whole id.  Expanded here, once, before the handler runs, so
 * every handler and every client (idtsctl, idts-ward, curl) takes one
 * and none resolves ids on its own (docs/design.md, "Short ids"). */
#include <ctype.h>
#include <string.h>

#include "server.h"
#include "short_id.h"
#include "store_ids.h"
#include "validate.h"

/* The routes whose {} is a record's id: the pattern's start, the kind
 * of record, and its name in the answers. */
static const struct {
	const char		*prefix;
	enum store_id_kind	 kind;
	const char		*noun;
} short_id_routes[] = {
	{ "/v1/alerts/{}", STORE_ID_ALERT, "alert" },
	{ "/v1/prescriptions/{}", STORE_ID_PRESCRIPTION, "prescription" },
	{ "/v1/doses/{}", STORE_ID_DOSE, "dose" },
	{ "/v1/movements/{}", STORE_ID_MOVEMENT, "movement" },
	{ "/v1/observations/{}", STORE_ID_OBSERVATION, "observation" },
	{ "/v1/staff/changes/{}", STORE_ID_STAFF_CHANGE, "staff change" },
	{ "/v1/terminals/{}", STORE_ID_TERMINAL, "terminal" },
};

/* Whether s could be the start of a UUID: hex digits and hyphens. */
static int
short_id_looks(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789abcdefABCDEF-") ==
	    strlen(s);
}

/* The route's entry in short_id_routes; NULL if its {} is no id. */
static int
short_id_route(const char *pattern)
{
	size_t	i;

	for (i = 0; i < sizeof short_id_routes / sizeof short_id_routes[0];
	    i++)
		if (strncmp(pattern, short_id_routes[i].prefix,
		    strlen(short_id_routes[i].prefix)) == 0)
			return (int)i;
	return -1;
}

/* Expand a short id in the first {} of a route (params[0]) to the one
 * full id it begins; 0 when it is done or there is nothing to do, -1
 * with the answer set when it names none (404), more than one (409
 * ambiguous_id) or is too short to be taken (400 id_too_short). */
int
short_id_expand(struct request *r, const char *pattern, char params[][64])
{
	char	prefix[UUID_STR_LEN], id[UUID_STR_LEN];
	size_t	i, len = strlen(params[0]);
	int	k = short_id_route(pattern), n;

	if (k == -1 || validate_uuid(params[0]) == 0 ||
	    !short_id_looks(params[0]) || len >= UUID_STR_LEN)
		return 0;
	if (len < SHORT_ID_MIN)
		return request_error(r, 400, "id_too_short", "%s is too short "
		    "to name a %s: give at least %d characters of its id",
		    params[0], short_id_routes[k].noun, SHORT_ID_MIN);
	for (i = 0; i <= len; i++)
		prefix[i] = (char)tolower((unsigned char)params[0][i]);
	if (store_id_by_prefix(r->srv->store, short_id_routes[k].kind, prefix,
	    id, &n) != STORE_OK)
		return request_store_failed(r);
	if (n == 0)
		return request_error(r, 404, "not_found", "there is no %s "
		    "whose id begins %s", short_id_routes[k].noun, params[0]);
	if (n > 1)
		return request_error(r, 409, "ambiguous_id", "%s begins the "
		    "ids of more than one %s: give more of its characters",
		    params[0], short_id_routes[k].noun);
	memcpy(params[0], id, UUID_STR_LEN);
	return 0;
}
