/* idtsctl products: the register's pages, each with its strength as data
 * and its limits (set by a pharmacist), and how a product is found from
 * what a person types. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idtsctl.h"
#include "table.h"
#include "validate.h"

/* "Methadone 1mg/ml oral solution": how a product is named to people. */
const char *
ctl_product_text(const json_t *p, char *buf, size_t size)
{
	const char	*strength = ctl_str(p, "strength");
	const char	*form = ctl_str(p, "form");

	snprintf(buf, size, "%s%s%s%s%s", ctl_str(p, "name") ?
	    ctl_str(p, "name") : "?", strength && *strength ? " " : "",
	    strength ? strength : "", form && *form ? " " : "",
	    form ? form : "");
	return buf;
}

/* How well what was typed names a product: 2 its whole name, 1 the
 * start of its name or of its name, strength and form, 0 not at all;
 * in any case. */
static int
ctl_product_match(const json_t *p, const char *arg)
{
	const char	*name = ctl_str(p, "name");
	char		 text[512];
	size_t		 n = strlen(arg);

	if (name == NULL || n == 0)
		return 0;
	if (strcasecmp(name, arg) == 0)
		return 2;
	return strncasecmp(name, arg, n) == 0 ||
	    strncasecmp(ctl_product_text(p, text, sizeof text), arg, n) == 0;
}

/* The products all names best, and how many there are. */
static size_t
ctl_product_candidates(const json_t *all, const char *arg, json_t *out)
{
	const json_t	*p;
	size_t		 i;
	int		 best = 1;

	json_array_foreach(all, i, p)
		if (ctl_product_match(p, arg) == 2)
			best = 2;
	json_array_foreach(all, i, p)
		if (ctl_product_match(p, arg) == best)
			json_array_append(out, (json_t *)p);
	return json_array_size(out);
}

/* Find a product by id, or by the one product whose name is (or, if
 * none is, begins with) what was typed, in any case; more than one is a
 * usage error that names them all. */
int
ctl_product_resolve(struct ctl *ctl, const char *arg, json_t **product)
{
	json_t		*all, *found, *p;
	char		 path[128], text[512];
	size_t		 i, n;
	int		 rc;

	*product = NULL;
	if (validate_uuid(arg) == 0) {
		snprintf(path, sizeof path, "/products/%s", arg);
		return ctl_call_flags(ctl, "GET", path, NULL, 200, product,
		    CTL_SAY_MESSAGE);
	}
	if ((rc = ctl_call_flags(ctl, "GET", "/products", NULL, 200, &all,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	found = json_array();
	n = ctl_product_candidates(all, arg, found);
	rc = CTL_OK;
	if (n == 1)
		*product = json_incref(json_array_get(found, 0));
	else if (n == 0) {
		fprintf(stderr, "idtsctl: no product is called %s or has a "
		    "name beginning so (see idtsctl products)\n", arg);
		rc = CTL_REFUSED;
	} else {
		fprintf(stderr, "idtsctl: %s could be %zu products; type more "
		    "of its name, or give its id:\n", arg, n);
		json_array_foreach(found, i, p)
			fprintf(stderr, "  %s  %s\n", ctl_str(p, "id"),
			    ctl_product_text(p, text, sizeof text));
		rc = CTL_USAGE;
	}
	json_decref(found);
	json_decref(all);
	return rc;
}

/* "1 mg/ml": a product's strength as data, or "" when not set. */
static const char *
ctl_product_strength(const json_t *p, char *buf, size_t size)
{
	const json_t	*a = json_object_get(p, "active_per_unit");
	char		 q[48];

	buf[0] = '\0';
	if (json_is_object(a) && ctl_quantity_text(json_object_get(a,
	    "quantity"), 0, q, sizeof q) != NULL)
		snprintf(buf, size, "%s %s/%s", q, CTL_S(ctl_str(a, "unit")),
		    CTL_S(ctl_str(p, "unit")));
	return buf;
}

/* "120 / 150": a product's limits, single and daily, "-" when none. */
static const char *
ctl_product_limits(const json_t *p, char *buf, size_t size)
{
	char	single[48], daily[48];

	snprintf(buf, size, "%s / %s", ctl_quantity_text(json_object_get(p,
	    "max_single_dose"), 0, single, sizeof single) ? single : "-",
	    ctl_quantity_text(json_object_get(p, "max_daily_dose"), 0, daily,
	    sizeof daily) ? daily : "-");
	return buf;
}

/* Print products (an array or one object). */
static void
ctl_products_print(struct ctl *ctl, json_t *answer)
{
	static const char *const headers[] = {
		"NAME", "FORM", "STRENGTH", "UNIT", "BALANCE", "ACTIVE",
		"MAX DOSE/DAY", "SUBSTITUTE", "ID"
	};
	struct table	*t;
	json_t		*p, *list = answer;
	const char	*cells[9];
	char		 balance[48], active[128], limits[112];
	size_t		 i;

	if (ctl->json) {
		ctl_print_json(answer);
		return;
	}
	if (!json_is_array(answer)) {
		list = json_array();
		json_array_append(list, answer);
	}
	if (json_array_size(list) == 0)
		printf("no products\n");
	else {
		t = table_new(9, headers);
		json_array_foreach(list, i, p) {
			cells[0] = ctl_str(p, "name");
			cells[1] = ctl_str(p, "form");
			cells[2] = ctl_str(p, "strength");
			cells[3] = ctl_str(p, "unit");
			cells[4] = ctl_quantity_text(json_object_get(p,
			    "balance"), 0, balance, sizeof balance);
			cells[5] = ctl_product_strength(p, active,
			    sizeof active);
			cells[6] = ctl_product_limits(p, limits,
			    sizeof limits);
			cells[7] = json_is_true(json_object_get(p,
			    "opioid_substitute")) ? "yes" : "no";
			cells[8] = ctl_str(p, "id");
			table_add(t, cells);
		}
		table_print(t, stdout);
		table_free(t);
	}
	if (list != answer)
		json_decref(list);
}

/* products: every page of the register, with its balance. */
int
ctl_products(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer;
	int	 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl products [add ... | set ...]");
	if ((rc = ctl_call_flags(ctl, "GET", "/products", NULL, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	ctl_products_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}

/* products add --name N --form F --strength S --unit U */
int
ctl_product_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "form", required_argument, NULL, 'f' },
		{ "strength", required_argument, NULL, 's' },
		{ "unit", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*name = NULL, *form = NULL, *strength = NULL;
	const char	*unit = NULL;
	json_t		*answer;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'f': form = optarg; break;
		case 's': strength = optarg; break;
		case 'u': unit = optarg; break;
		default: return CTL_USAGE;
		}
	}
	if (optind != argc || name == NULL || form == NULL ||
	    strength == NULL || unit == NULL)
		return ctl_usage("usage: idtsctl products add --name NAME "
		    "--form FORM --strength STRENGTH --unit UNIT");
	if ((rc = ctl_call_flags(ctl, "POST", "/products",
	    json_pack("{s:s,s:s,s:s,s:s}", "name", name, "form", form,
	    "strength", strength, "unit", unit), 201, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	ctl_products_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}


/* A limit as the command line gives it: a quantity, or "none" (null). */
static int
ctl_product_limit_arg(const char *s, const char *key, json_t *body)
{
	json_t	*v;

	if (strcmp(s, "none") == 0)
		return json_object_set_new(body, key, json_null());
	if (ctl_quantity_arg(s, 0, &v) == -1)
		return -1;
	return json_object_set_new(body, key, v);
}

/* --active "1 mg": the active amount in one of the product's unit, or
 * "none" (null). */
static int
ctl_product_active_arg(const char *s, json_t *body)
{
	const char	*space = strchr(s, ' ');
	char		 q[32];
	json_t		*v;

	if (strcmp(s, "none") == 0)
		return json_object_set_new(body, "active_per_unit",
		    json_null());
	if (space == NULL || space == s || (size_t)(space - s) >= sizeof q ||
	    space[1] == '\0')
		return -1;
	snprintf(q, sizeof q, "%.*s", (int)(space - s), s);
	if (ctl_quantity_arg(q, 0, &v) == -1)
		return -1;
	return json_object_set_new(body, "active_per_unit", json_pack(
	    "{s:o,s:s}", "quantity", v, "unit", space + 1));
}

#define PRODUCT_SET_USAGE "usage: idtsctl products set PRODUCT " \
	"[--active \"QUANTITY UNIT\"|none] [--max-dose N|none] " \
	"[--max-daily N|none] [--opioid-substitute yes|no]"

/* One option of products set into body; -1 if its value is bad. */
static int
ctl_product_set_option(int ch, json_t *body)
{
	switch (ch) {
	case 'a':
		return ctl_product_active_arg(optarg, body);
	case 's':
		return ctl_product_limit_arg(optarg, "max_single_dose", body);
	case 'd':
		return ctl_product_limit_arg(optarg, "max_daily_dose", body);
	case 'o':
		if (strcmp(optarg, "yes") != 0 && strcmp(optarg, "no") != 0)
			return -1;
		return json_object_set_new(body, "opioid_substitute",
		    json_boolean(strcmp(optarg, "yes") == 0));
	default:
		return -1;
	}
}

/* products set PRODUCT ...: a pharmacist sets a product's strength as
 * data, its limits and whether it is an opioid substitute. */
int
ctl_product_set(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "active", required_argument, NULL, 'a' },
		{ "max-dose", required_argument, NULL, 's' },
		{ "max-daily", required_argument, NULL, 'd' },
		{ "opioid-substitute", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	json_t		*body = json_object(), *product, *answer;
	char		 path[128];
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ctl_product_set_option(ch, body) == -1) {
			json_decref(body);
			return ctl_usage(PRODUCT_SET_USAGE);
		}
	if (optind != argc - 1 || json_object_size(body) == 0) {
		json_decref(body);
		return ctl_usage(PRODUCT_SET_USAGE);
	}
	if ((rc = ctl_product_resolve(ctl, argv[optind], &product)) !=
	    CTL_OK) {
		json_decref(body);
		return rc;
	}
	snprintf(path, sizeof path, "/products/%s",
	    CTL_S(ctl_str(product, "id")));
	json_decref(product);
	if ((rc = ctl_call_flags(ctl, "PATCH", path, body, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	ctl_products_print(ctl, answer);
	json_decref(answer);
	return CTL_OK;
}
