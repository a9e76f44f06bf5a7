/* idtsctl register (a page of the controlled-drug register), and its
 * witnessed entries: receive, check, correct, return and destroy. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"
#include "validate.h"

/* The seq of the entry id among entries, as "#14", or its id's start. */
static const char *
ctl_entry_ref(const json_t *entries, const char *id, char *buf, size_t size)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(entries, i, e)
		if (ctl_str(e, "id") && strcmp(ctl_str(e, "id"), id) == 0) {
			snprintf(buf, size, "#%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(e, "seq")));
			return buf;
		}
	snprintf(buf, size, "entry %.8s", id);
	return buf;
}

/* What an entry records besides its numbers. */
static const char *
ctl_entry_detail(const json_t *e, const json_t *entries, const char *unit,
    char *buf, size_t size)
{
	const char	*kind = CTL_S(ctl_str(e, "kind"));
	const char	*reason = ctl_str(e, "reason");
	const json_t	*p = json_object_get(e, "patient");
	char		 a[64], b[64], ref[48];

	buf[0] = '\0';
	if (strcmp(kind, "receipt") == 0)
		snprintf(buf, size, "from %s, ref %s",
		    CTL_S(ctl_str(e, "supplier")),
		    CTL_S(ctl_str(e, "reference")));
	else if (strcmp(kind, "administration") == 0)
		snprintf(buf, size, "%s %s, %s (dose %.8s)",
		    CTL_S(ctl_str(p, "prison_number")),
		    CTL_S(ctl_str(p, "family_name")),
		    CTL_S(ctl_str(p, "given_name")),
		    CTL_S(ctl_str(e, "dose_id")));
	else if (strcmp(kind, "check") == 0) {
		if (ctl_amount_text(json_object_get(e, "counted"), unit, a,
		    sizeof a) == NULL)
			snprintf(a, sizeof a, "?");
		if (ctl_quantity_text(json_object_get(e, "difference"), 1, b,
		    sizeof b) == NULL || strcmp(b, "0") == 0)
			snprintf(buf, size, "counted %s, agrees", a);
		else
			snprintf(buf, size, "counted %s, DIFFERENCE %s", a, b);
	} else if (strcmp(kind, "correction") == 0)
		snprintf(buf, size, "corrects %s: %s",
		    ctl_str(e, "corrects_entry_id") ? ctl_entry_ref(entries,
		    ctl_str(e, "corrects_entry_id"), ref, sizeof ref) : "?",
		    CTL_S(reason));
	else if (reason != NULL)
		snprintf(buf, size, "%s", reason);
	return *buf ? buf : NULL;
}

/* The page's heading: the product and its balance. */
static void
ctl_register_heading(const json_t *product)
{
	char	text[512], balance[64];

	printf("register: %s (%s), balance %s\n",
	    ctl_product_text(product, text, sizeof text),
	    CTL_S(ctl_str(product, "id")),
	    CTL_S(ctl_amount_text(json_object_get(product, "balance"),
	    ctl_str(product, "unit"), balance, sizeof balance)));
}

static void
ctl_register_print(const json_t *entries, const char *unit)
{
	static const char *const headers[] = {
		"SEQ", "WHEN", "KIND", "CHANGE", "BALANCE", "BY", "WITNESS",
		"DETAIL"
	};
	struct table	*t;
	json_t		*e;
	const char	*cells[8];
	char		 seq[24], when[32], change[48], balance[48];
	char		 detail[1024];
	size_t		 i;

	t = table_new(8, headers);
	json_array_foreach(entries, i, e) {
		snprintf(seq, sizeof seq, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(e, "seq")));
		cells[0] = seq;
		cells[1] = ctl_local_time(ctl_str(e, "at"), CTL_DATE_TIME, when,
		    sizeof when);
		cells[2] = ctl_str(e, "kind");
		cells[3] = ctl_quantity_text(json_object_get(e, "quantity"), 1,
		    change, sizeof change);
		cells[4] = ctl_quantity_text(json_object_get(e,
		    "balance_after"), 0, balance, sizeof balance);
		cells[5] = ctl_str(json_object_get(e, "by"), "username");
		cells[6] = ctl_str(json_object_get(e, "witness"), "username");
		cells[7] = ctl_entry_detail(e, entries, unit, detail,
		    sizeof detail);
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
}

/* A whole number for --after, --limit or an entry's seq. */
static int
ctl_count(const char *s, long long *out)
{
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	*out = strtoll(s, &end, 10);
	return *end == '\0' && *out >= 0 && *out < INT64_MAX / 2 ? 0 : -1;
}

/* register PRODUCT [--after SEQ] [--limit N] */
int
ctl_register(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "after", required_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*after = NULL, *limit = NULL;
	long long	 n;
	json_t		*product, *answer, *entries, *page;
	char		 path[256];
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			after = optarg;
		else if (ch == 'l')
			limit = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc - 1 || (after && ctl_count(after, &n) == -1) ||
	    (limit && (ctl_count(limit, &n) == -1 || n < 1 || n > 10000)))
		return ctl_usage("usage: idtsctl register PRODUCT [--after SEQ] "
		    "[--limit N (1 to 10000)]");
	if ((rc = ctl_product_resolve(ctl, argv[optind], &product)) != CTL_OK)
		return rc;
	snprintf(path, sizeof path, "/register/%s%s%s%s%s",
	    ctl_str(product, "id"), after ? "?after=" : "", after ? after : "",
	    limit ? (after ? "&limit=" : "?limit=") : "", limit ? limit : "");
	json_decref(product);
	if ((rc = ctl_call_flags(ctl, "GET", path, NULL, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json) {
		ctl_print_json(answer);
		json_decref(answer);
		return CTL_OK;
	}
	page = json_object_get(answer, "product");
	entries = json_object_get(answer, "entries");
	ctl_register_heading(page);
	if (json_array_size(entries) == 0)
		printf("no entries%s\n", after ? " after that" : "");
	else {
		printf("\n");
		ctl_register_print(entries, ctl_str(page, "unit"));
	}
	if (json_is_integer(json_object_get(answer, "next_after")))
		printf("\nmore: idtsctl register %s --after %"
		    JSON_INTEGER_FORMAT "%s%s\n", argv[optind],
		    json_integer_value(json_object_get(answer, "next_after")),
		    limit ? " --limit " : "", limit ? limit : "");
	json_decref(answer);
	return CTL_OK;
}

/* A witnessed entry: ask the witness's PIN (after saying what is
 * witnessed), POST it to /register/PRODUCT/what and print the entry. */
static int
ctl_register_post(struct ctl *ctl, const json_t *product, const char *what,
    json_t *body, const char *witness, const char *text,
    const json_t *corrected)
{
	json_t		*wit, *e, *entries;
	const json_t	*by, *w;
	char		 path[160], change[48] = "?", balance[64], name[512];
	char		 detail[1024], when[32];
	const char	*unit = ctl_str(product, "unit");
	int		 rc;

	if ((rc = ctl_witness(witness, text, &wit)) != CTL_OK) {
		json_decref(body);
		return rc;
	}
	json_object_set_new(body, "witness", wit);
	snprintf(path, sizeof path, "/register/%s/%s", ctl_str(product, "id"),
	    what);
	if ((rc = ctl_call_flags(ctl, "POST", path, body, 201, &e,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json) {
		ctl_print_json(e);
		json_decref(e);
		return CTL_OK;
	}
	by = json_object_get(e, "by");
	w = json_object_get(e, "witness");
	entries = json_pack("[O]", e);
	if (corrected != NULL)		/* so the detail names it by its seq */
		json_array_append(entries, (json_t *)corrected);
	if (strcmp(CTL_S(ctl_str(e, "kind")), "check") == 0)
		snprintf(change, sizeof change, "(no change)");
	else if (ctl_quantity_text(json_object_get(e, "quantity"), 1, change,
	    sizeof change) != NULL && unit != NULL)
		snprintf(change + strlen(change), sizeof change -
		    strlen(change), " %s", unit);
	printf("recorded: %s %s on %s, entry #%" JSON_INTEGER_FORMAT
	    " at %s\n", CTL_S(ctl_str(e, "kind")), change,
	    ctl_product_text(product, name, sizeof name),
	    json_integer_value(json_object_get(e, "seq")),
	    CTL_S(ctl_local_time(ctl_str(e, "at"), CTL_DATE_TIME, when,
	    sizeof when)));
	if (ctl_entry_detail(e, entries, unit, detail, sizeof detail) != NULL &&
	    strcmp(CTL_S(ctl_str(e, "kind")), "check") != 0)
		printf("  %s\n", detail);
	printf("  by %s (%s), witness %s (%s)\n",
	    CTL_S(ctl_str(by, "display_name")), CTL_S(ctl_str(by, "username")),
	    CTL_S(ctl_str(w, "display_name")), CTL_S(ctl_str(w, "username")));
	printf("  balance after %s; entry id %s\n",
	    CTL_S(ctl_amount_text(json_object_get(e, "balance_after"), unit,
	    balance, sizeof balance)), CTL_S(ctl_str(e, "id")));
	if (strcmp(CTL_S(ctl_str(e, "kind")), "check") == 0) {
		char	counted[64], diff[64];

		ctl_amount_text(json_object_get(e, "counted"), unit, counted,
		    sizeof counted);
		if (ctl_quantity_text(json_object_get(e, "difference"), 1,
		    diff, sizeof diff) == NULL || strcmp(diff, "0") == 0)
			printf("counted %s: the register agrees\n", counted);
		else
			printf("\nSTOCK DIFFERENCE: counted %s, the register "
			    "says %s: %s %s\n"
			    "The managers and pharmacy have been alerted.\n"
			    "Find the cause; put a mistaken entry right with "
			    "idtsctl correct.\n", counted, balance, diff,
			    CTL_S(unit));
	}
	json_decref(entries);
	json_decref(e);
	return CTL_OK;
}

/* The options the register's entries take. */
struct ctl_entry_args {
	const char	*product, *witness, *supplier, *reference, *reason;
	const char	*entry, *quantity, *counted, *delta;
};

static int
ctl_entry_options(int argc, char **argv, struct ctl_entry_args *a)
{
	static const struct option opts[] = {
		{ "witness", required_argument, NULL, 'w' },
		{ "quantity", required_argument, NULL, 'q' },
		{ "supplier", required_argument, NULL, 's' },
		{ "reference", required_argument, NULL, 'R' },
		{ "reason", required_argument, NULL, 'r' },
		{ "counted", required_argument, NULL, 'c' },
		{ "entry", required_argument, NULL, 'e' },
		{ "delta", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	memset(a, 0, sizeof *a);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': a->witness = optarg; break;
		case 'q': a->quantity = optarg; break;
		case 's': a->supplier = optarg; break;
		case 'R': a->reference = optarg; break;
		case 'r': a->reason = optarg; break;
		case 'c': a->counted = optarg; break;
		case 'e': a->entry = optarg; break;
		case 'd': a->delta = optarg; break;
		default: return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	a->product = argv[optind];
	return 0;
}

/* A quantity option, or a usage error that says what it takes. */
static int
ctl_entry_quantity(const char *option, const char *text, int signed_ok,
    json_t **out)
{
	if (ctl_quantity_arg(text, signed_ok, out) == -1)
		return ctl_usage("%s takes a %snumber in the product's unit "
		    "with at most 3 decimal places, such as %s", option,
		    signed_ok ? "signed " : "", signed_ok ? "-2.5 or +10" :
		    "500 or 2.5");
	return CTL_OK;
}

/* receive / return / destroy: a quantity in or out, witnessed. */
static int
ctl_stock_move(struct ctl *ctl, int argc, char **argv, const char *cmd)
{
	struct ctl_entry_args	 a;
	int			 receipt = strcmp(cmd, "receive") == 0;
	json_t			*q, *product, *body;
	char			 text[1024], name[512], amount[64];
	int			 rc;

	if (ctl_entry_options(argc, argv, &a) == -1 || a.quantity == NULL ||
	    a.witness == NULL || a.counted || a.entry || a.delta ||
	    (receipt ? (a.supplier == NULL || a.reference == NULL ||
	    a.reason != NULL) : (a.reason == NULL || a.supplier ||
	    a.reference)))
		return ctl_usage(receipt ? "usage: idtsctl receive PRODUCT "
		    "--quantity N --supplier S --reference R --witness USER" :
		    "usage: idtsctl %s PRODUCT --quantity N --reason TEXT "
		    "--witness USER", cmd);
	if ((rc = ctl_entry_quantity("--quantity", a.quantity, 0, &q)) !=
	    CTL_OK)
		return rc;
	if ((rc = ctl_product_resolve(ctl, a.product, &product)) != CTL_OK) {
		json_decref(q);
		return rc;
	}
	snprintf(text, sizeof text, "%s %s of %s%s%s%s%s", receipt ?
	    "receipt of" : strcmp(cmd, "return") == 0 ? "return of" :
	    "destruction of", ctl_amount_text(q, ctl_str(product, "unit"),
	    amount, sizeof amount), ctl_product_text(product, name,
	    sizeof name), receipt ? " from " : ": ",
	    receipt ? a.supplier : a.reason, receipt ? ", ref " : "",
	    receipt ? a.reference : "");
	if (receipt)
		body = json_pack("{s:o,s:s,s:s}", "quantity", q, "supplier",
		    a.supplier, "reference", a.reference);
	else
		body = json_pack("{s:o,s:s}", "quantity", q, "reason",
		    a.reason);
	rc = ctl_register_post(ctl, product, receipt ? "receipts" :
	    strcmp(cmd, "return") == 0 ? "returns" : "destructions", body,
	    a.witness, text, NULL);
	json_decref(product);
	return rc;
}

int
ctl_receive(struct ctl *ctl, int argc, char **argv)
{
	return ctl_stock_move(ctl, argc, argv, "receive");
}

int
ctl_return(struct ctl *ctl, int argc, char **argv)
{
	return ctl_stock_move(ctl, argc, argv, "return");
}

int
ctl_destroy(struct ctl *ctl, int argc, char **argv)
{
	return ctl_stock_move(ctl, argc, argv, "destroy");
}

/* check PRODUCT --counted N --witness USER */
int
ctl_check(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_entry_args	 a;
	json_t			*q, *product;
	char			 text[1024], name[512], amount[64];
	int			 rc;

	if (ctl_entry_options(argc, argv, &a) == -1 || a.counted == NULL ||
	    a.witness == NULL || a.quantity || a.supplier || a.reference ||
	    a.reason || a.entry || a.delta)
		return ctl_usage("usage: idtsctl check PRODUCT --counted N "
		    "--witness USER");
	if ((rc = ctl_entry_quantity("--counted", a.counted, 0, &q)) != CTL_OK)
		return rc;
	if ((rc = ctl_product_resolve(ctl, a.product, &product)) != CTL_OK) {
		json_decref(q);
		return rc;
	}
	snprintf(text, sizeof text, "stock check of %s: counted %s",
	    ctl_product_text(product, name, sizeof name),
	    ctl_amount_text(q, ctl_str(product, "unit"), amount,
	    sizeof amount));
	rc = ctl_register_post(ctl, product, "checks", json_pack("{s:o}",
	    "counted", q), a.witness, text, NULL);
	json_decref(product);
	return rc;
}

/* The entry --entry names: a seq on the product's page, or an entry id.
 * *entry is the entry when it was looked up by its seq, else NULL. */
static int
ctl_entry_resolve(struct ctl *ctl, const json_t *product, const char *arg,
    char id[UUID_STR_LEN], json_t **entry)
{
	long long	 seq;
	json_t		*page, *e;
	char		 path[192];
	int		 rc;

	*entry = NULL;
	if (validate_uuid(arg) == 0) {
		snprintf(id, UUID_STR_LEN, "%s", arg);
		return CTL_OK;
	}
	if (ctl_count(arg, &seq) == -1 || seq < 1)
		return ctl_usage("--entry takes the entry's number (SEQ in "
		    "idtsctl register) or its id");
	snprintf(path, sizeof path, "/register/%s?after=%lld&limit=1",
	    ctl_str(product, "id"), seq - 1);
	if ((rc = ctl_call_flags(ctl, "GET", path, NULL, 200, &page,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	e = json_array_get(json_object_get(page, "entries"), 0);
	if (e == NULL || json_integer_value(json_object_get(e, "seq")) != seq ||
	    ctl_str(e, "id") == NULL) {
		fprintf(stderr, "idtsctl: there is no entry %lld on this "
		    "product's page of the register\n", seq);
		json_decref(page);
		return CTL_REFUSED;
	}
	snprintf(id, UUID_STR_LEN, "%s", ctl_str(e, "id"));
	*entry = json_incref(e);
	json_decref(page);
	return CTL_OK;
}

/* correct PRODUCT --entry ENTRY --delta N --reason TEXT --witness USER */
int
ctl_correct(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_entry_args	 a;
	json_t			*delta, *product, *entry = NULL;
	char			 id[UUID_STR_LEN], text[1024], name[512];
	char			 d[64], change[64];
	int			 rc;

	if (ctl_entry_options(argc, argv, &a) == -1 || a.entry == NULL ||
	    a.delta == NULL || a.reason == NULL || a.witness == NULL ||
	    a.quantity || a.counted || a.supplier || a.reference)
		return ctl_usage("usage: idtsctl correct PRODUCT --entry ENTRY "
		    "--delta N --reason TEXT --witness USER");
	if ((rc = ctl_entry_quantity("--delta", a.delta, 1, &delta)) != CTL_OK)
		return rc;
	if (json_number_value(delta) == 0) {
		json_decref(delta);
		return ctl_usage("--delta is the change to the balance, and "
		    "cannot be 0");
	}
	if ((rc = ctl_product_resolve(ctl, a.product, &product)) != CTL_OK) {
		json_decref(delta);
		return rc;
	}
	if ((rc = ctl_entry_resolve(ctl, product, a.entry, id, &entry)) !=
	    CTL_OK) {
		json_decref(delta);
		json_decref(product);
		return rc;
	}
	ctl_quantity_text(delta, 1, d, sizeof d);
	if (entry != NULL)
		snprintf(text, sizeof text, "correction of entry #%"
		    JSON_INTEGER_FORMAT " (%s %s) on %s by %s %s: %s",
		    json_integer_value(json_object_get(entry, "seq")),
		    CTL_S(ctl_str(entry, "kind")),
		    CTL_S(ctl_quantity_text(json_object_get(entry, "quantity"),
		    1, change, sizeof change)),
		    ctl_product_text(product, name, sizeof name), d,
		    CTL_S(ctl_str(product, "unit")), a.reason);
	else
		snprintf(text, sizeof text, "correction of entry %s on %s by "
		    "%s %s: %s", id, ctl_product_text(product, name,
		    sizeof name), d, CTL_S(ctl_str(product, "unit")),
		    a.reason);
	rc = ctl_register_post(ctl, product, "corrections",
	    json_pack("{s:s,s:o,s:s}", "corrects_entry_id", id,
	    "quantity_delta", delta, "reason", a.reason), a.witness, text,
	    entry);
	json_decref(entry);
	json_decref(product);
	return rc;
}
