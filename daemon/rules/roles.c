/* The roles docs/openapi.yaml names, and their conversion to and from
 * JSON arrays. */
#include <string.h>

#include "roles.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} role_names[] = {
	{ "nurse", ROLE_NURSE },
	{ "competent", ROLE_COMPETENT },
	{ "prescriber", ROLE_PRESCRIBER },
	{ "pharmacist", ROLE_PHARMACIST },
	{ "reception", ROLE_RECEPTION },
	{ "carat", ROLE_CARAT },
	{ "manager", ROLE_MANAGER },
	{ "admin", ROLE_ADMIN },
	{ "idts_lead", ROLE_IDTS_LEAD },
};

#define ROLE_COUNT	(sizeof role_names / sizeof role_names[0])

/* The bit of a role name; -1 if there is no such role. */
int
roles_parse_name(const char *name, unsigned *role)
{
	size_t	i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(name, role_names[i].name) == 0) {
			*role = role_names[i].bit;
			return 0;
		}
	}
	return -1;
}

/* A non-empty array of distinct role names as a bit set; -1 otherwise. */
int
roles_from_json(const json_t *array, unsigned *roles)
{
	size_t	 i;
	json_t	*v;
	unsigned bit;

	if (!json_is_array(array) || json_array_size(array) == 0)
		return -1;
	*roles = 0;
	json_array_foreach(array, i, v) {
		if (!json_is_string(v) ||
		    roles_parse_name(json_string_value(v), &bit) == -1 ||
		    (*roles & bit) != 0)
			return -1;
		*roles |= bit;
	}
	return 0;
}

/* The role names of a bit set, in docs/openapi.yaml's order. */
json_t *
roles_to_json(unsigned roles)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (roles & role_names[i].bit)
			json_array_append_new(a, json_string(role_names[i].name));
	return a;
}
