/* Strict decoding of request bodies.  A field of the wrong type, a value
 * that does not parse, or a field the API does not know is refused with
 * 400 and the field's name, never ignored or coerced. */
#include <string.h>

#include "request.h"
#include "timefmt.h"
#include "validate.h"

/* Refuse a field with a 400 that names it. */
static int
json_in_bad(struct request *r, const char *code, const char *name,
    const char *what)
{
	return request_error(r, 400, code, "%s%s %s",
	    r->json_prefix ? r->json_prefix : "", name, what);
}

/* Refuse any member of obj not in the NULL-terminated names. */
int
json_in_allowed(struct request *r, const json_t *obj,
    const char *const names[])
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach((json_t *)obj, key, v) {
		for (i = 0; names[i] != NULL; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (names[i] == NULL)
			return json_in_bad(r, "unknown_field", key,
			    "is not a field of this request");
	}
	return 0;
}

/* Look a member up; -1 (with the answer set) if required and absent or
 * null; 0 with *v NULL if optional and absent. */
static int
json_in_member(struct request *r, const json_t *obj, const char *name,
    int required, json_t **v)
{
	*v = json_object_get(obj, name);
	if (*v != NULL && json_is_null(*v))
		*v = NULL;
	if (*v == NULL && required)
		return json_in_bad(r, "missing_field", name, "is required");
	return 0;
}

/* A text field of at most max_chars characters, with no control
 * characters and not blank. */
int
json_in_string(struct request *r, const json_t *obj, const char *name,
    int required, size_t max_chars, const char **out)
{
	json_t	*v;

	*out = NULL;
	if (json_in_member(r, obj, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return json_in_bad(r, "invalid_field", name,
		    "must be a string");
	if (validate_text(json_string_value(v), max_chars) == -1) {
		request_error(r, 400, "invalid_field", "%s%s must be 1 to %zu "
		    "characters of text without control characters (C0 or "
		    "C1), bidirectional controls or line separators",
		    r->json_prefix ? r->json_prefix : "", name, max_chars);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* A true or false field. */
int
json_in_bool(struct request *r, const json_t *obj, const char *name,
    int required, int *out)
{
	json_t	*v;

	if (json_in_member(r, obj, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return json_in_bad(r, "invalid_field", name,
		    "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* An RFC 3339 timestamp field.  *present says whether it was given. */
int
json_in_instant(struct request *r, const json_t *obj, const char *name,
    int required, int64_t *out, int *present)
{
	json_t	*v;

	if (present != NULL)
		*present = 0;
	if (json_in_member(r, obj, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) ||
	    timefmt_parse_instant(json_string_value(v), out) == -1)
		return json_in_bad(r, "invalid_field", name, "must be an RFC "
		    "3339 time with an offset, such as 2026-11-22T08:00:00Z");
	if (present != NULL)
		*present = 1;
	return 0;
}

/* A required quantity: a JSON number with at most three decimals. */
int
json_in_quantity(struct request *r, const json_t *obj, const char *name,
    int64_t *out)
{
	json_t	*v;

	if (json_in_member(r, obj, name, 1, &v) == -1)
		return -1;
	if (!json_is_number(v) || validate_quantity(json_number_value(v),
	    out) == -1)
		return json_in_bad(r, "invalid_field", name, "must be a "
		    "number not below zero with at most 3 decimal places");
	return 0;
}

/* An object field, or null.  *out is NULL when absent or null. */
int
json_in_object(struct request *r, const json_t *obj, const char *name,
    const json_t **out)
{
	json_t	*v;

	*out = NULL;
	if (json_in_member(r, obj, name, 0, &v) == -1)
		return -1;
	if (v != NULL && !json_is_object(v))
		return json_in_bad(r, "invalid_field", name,
		    "must be an object or null");
	*out = v;
	return 0;
}

/* A local date field, YYYY-MM-DD.  *present says whether it was given. */
int
json_in_date(struct request *r, const json_t *obj, const char *name,
    int required, struct civil_date *out, int *present)
{
	json_t	*v;

	if (present != NULL)
		*present = 0;
	if (json_in_member(r, obj, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) ||
	    timefmt_parse_date(json_string_value(v), out) == -1)
		return json_in_bad(r, "invalid_field", name,
		    "must be a real date written YYYY-MM-DD");
	if (present != NULL)
		*present = 1;
	return 0;
}

/* A whole number in [lo, hi]; left alone when optional and absent. */
int
json_in_int(struct request *r, const json_t *obj, const char *name,
    int required, int lo, int hi, int *out)
{
	json_t	*v;

	if (json_in_member(r, obj, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		request_error(r, 400, "invalid_field", "%s%s must be a whole "
		    "number from %d to %d", r->json_prefix ? r->json_prefix :
		    "", name, lo, hi);
		return -1;
	}
	*out = (int)json_integer_value(v);
	return 0;
}

/* A required change of quantity: a JSON number, not zero, either sign,
 * with at most three decimals. */
int
json_in_quantity_change(struct request *r, const json_t *obj,
    const char *name, int64_t *out)
{
	json_t	*v;
	double	 d;

	if (json_in_member(r, obj, name, 1, &v) == -1)
		return -1;
	d = json_is_number(v) ? json_number_value(v) : 0;
	if (d == 0 || validate_quantity(d < 0 ? -d : d, out) == -1)
		return json_in_bad(r, "invalid_field", name, "must be a "
		    "number other than zero with at most 3 decimal places");
	if (d < 0)
		*out = -*out;
	return 0;
}

/* An array field, or null.  *out is NULL when absent or null. */
int
json_in_array(struct request *r, const json_t *obj, const char *name,
    int required, const json_t **out)
{
	json_t	*v;

	*out = NULL;
	if (json_in_member(r, obj, name, required, &v) == -1)
		return -1;
	if (v != NULL && !json_is_array(v))
		return json_in_bad(r, "invalid_field", name,
		    "must be an array");
	*out = v;
	return 0;
}
