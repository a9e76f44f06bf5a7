/* idtsctl readiness: the IDTS toolkit's register as a table (the sections
 * blocking go-live first) or CSV, a section's status set, its history, and
 * the printable Statement of Readiness. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"
#include "report.h"
#include "table.h"

#define CTL_READINESS_COLUMNS	8

/* Whether section number blocks the go-live verdict. */
static int
ctl_readiness_blocks(const json_t *answer, int number)
{
	const json_t	*b;
	size_t		 i;

	json_array_foreach(json_object_get(json_object_get(answer,
	    "go_live"), "blocking"), i, b)
		if (json_integer_value(json_object_get(b, "number")) == number)
			return 1;
	return 0;
}

/* A section's cells; the number in its own buffer. */
static void
ctl_readiness_cells(const json_t *s, const char *cells[], char *num,
    size_t size)
{
	const json_t	*owner = json_object_get(s, "owner");

	snprintf(num, size, "%d", (int)json_integer_value(json_object_get(s,
	    "number")));
	cells[0] = num;
	cells[1] = CTL_S(ctl_str(s, "heading"));
	cells[2] = CTL_S(ctl_str(s, "group"));
	cells[3] = CTL_S(ctl_str(s, "minimum"));
	cells[4] = ctl_str(s, "status") ? ctl_str(s, "status") : "none";
	cells[5] = json_is_object(owner) ? CTL_S(ctl_str(owner, "username")) :
	    "";
	cells[6] = ctl_str(s, "target_date") ? ctl_str(s, "target_date") : "";
	cells[7] = ctl_str(s, "evidence") ? ctl_str(s, "evidence") : "";
}

/* One line of CSV, each cell through report_csv_field(). */
static void
ctl_readiness_csv_row(const char *const cells[])
{
	char	field[8192];
	int	i;

	for (i = 0; i < CTL_READINESS_COLUMNS; i++) {
		if (report_csv_field(field, sizeof field, cells[i]) == -1)
			field[0] = '\0';
		printf("%s%s", i ? "," : "", field);
	}
	printf("\r\n");
}

/* Every section, those blocking go-live first (pass 0), then the rest. */
static void
ctl_readiness_rows(const json_t *answer, struct table *t)
{
	static const char *const headers[] = { "NO", "SECTION", "GROUP",
	    "MINIMUM", "STATUS", "OWNER", "TARGET", "EVIDENCE" };
	const json_t	*s;
	const char	*cells[CTL_READINESS_COLUMNS];
	char		 num[8];
	size_t		 i;
	int		 pass, blocks;

	if (t == NULL)
		ctl_readiness_csv_row(headers);
	for (pass = 0; pass < 2; pass++)
		json_array_foreach(json_object_get(answer, "sections"), i, s) {
			blocks = ctl_readiness_blocks(answer,
			    (int)json_integer_value(json_object_get(s,
			    "number")));
			if (blocks != (pass == 0))
				continue;
			ctl_readiness_cells(s, cells, num, sizeof num);
			if (t != NULL)
				table_add(t, cells);
			else
				ctl_readiness_csv_row(cells);
		}
}

/* A verdict in a line: ready, or the sections that block it. */
static void
ctl_readiness_verdict(const json_t *answer, const char *key,
    const char *what)
{
	const json_t	*v = json_object_get(answer, key), *b;
	size_t		 i;

	printf("%s: %s", what, json_is_true(json_object_get(v, "ready")) ?
	    "READY" : "NOT READY");
	json_array_foreach(json_object_get(v, "blocking"), i, b)
		printf("%s%d", i == 0 ? " (blocked by " : ", ",
		    (int)json_integer_value(json_object_get(b, "number")));
	printf("%s\n", json_array_size(json_object_get(v, "blocking")) ?
	    ")" : "");
}

static void
ctl_readiness_print(const json_t *answer)
{
	static const char *const headers[] = { "NO", "SECTION", "GROUP",
	    "MINIMUM", "STATUS", "OWNER", "TARGET", "EVIDENCE" };
	struct table	*t = table_new(CTL_READINESS_COLUMNS, headers);

	ctl_readiness_verdict(answer, "go_live", "going live");
	ctl_readiness_verdict(answer, "commissioning", "commissioning");
	printf("green %d, amber %d, red %d (no status counts as red)\n\n",
	    (int)json_integer_value(json_object_get(answer, "green")),
	    (int)json_integer_value(json_object_get(answer, "amber")),
	    (int)json_integer_value(json_object_get(answer, "red")));
	ctl_readiness_rows(answer, t);
	table_print(t, stdout);
	table_free(t);
}

/* readiness [--csv] [--from D --to D] */
int
ctl_readiness(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*from = NULL, *to = NULL;
	char		 path[96];
	json_t		*answer;
	int		 ch, rc, csv = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c')
			csv = 1;
		else if (ch == 'f')
			from = optarg;
		else if (ch == 't')
			to = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc || (csv && ctl->json) ||
	    (from != NULL && strlen(from) != 10) ||
	    (to != NULL && strlen(to) != 10))
		return ctl_usage("usage: idtsctl readiness [--csv] "
		    "[--from YYYY-MM-DD] [--to YYYY-MM-DD]");
	snprintf(path, sizeof path, "/readiness?%s%s%s%s",
	    from ? "from=" : "", from ? from : "", to ? "&to=" : "",
	    to ? to : "");
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else if (csv)
		ctl_readiness_rows(answer, NULL);
	else
		ctl_readiness_print(answer);
	json_decref(answer);
	return CTL_OK;
}

/* readiness set N --status S [--evidence T] [--owner U] [--target D] */
int
ctl_readiness_set(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "owner", required_argument, NULL, 'o' },
		{ "target", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	json_t	*body = json_object(), *answer;
	char	 path[64];
	int	 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == '?') {
			json_decref(body);
			return CTL_USAGE;
		}
		json_object_set_new(body, ch == 's' ? "status" : ch == 'e' ?
		    "evidence" : ch == 'o' ? "owner" : "target_date",
		    json_string(optarg));
	}
	if (optind != argc - 1 || json_object_get(body, "status") == NULL ||
	    strspn(argv[optind], "0123456789") != strlen(argv[optind]) ||
	    strlen(argv[optind]) > 3) {
		json_decref(body);
		return ctl_usage("usage: idtsctl readiness set N --status "
		    "red|amber|green [--evidence TEXT] [--owner USERNAME] "
		    "[--target YYYY-MM-DD]");
	}
	snprintf(path, sizeof path, "/readiness/%s", argv[optind]);
	rc = ctl_call(ctl, "PUT", path, body, 200, &answer);
	if (rc != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		printf("section %d, %s: %s\n", (int)json_integer_value(
		    json_object_get(answer, "number")),
		    CTL_S(ctl_str(answer, "heading")),
		    CTL_S(ctl_str(answer, "status")));
	json_decref(answer);
	return CTL_OK;
}

/* readiness history [N] */
int
ctl_readiness_history(struct ctl *ctl, int argc, char **argv)
{
	static const char *const headers[] = { "WHEN", "NO", "STATUS", "BY",
	    "OWNER", "TARGET", "EVIDENCE" };
	struct table	*t;
	const json_t	*c, *owner;
	const char	*cells[7];
	char		 path[64], num[8], when[CTL_LOCAL_LEN];
	json_t		*answer;
	size_t		 i;
	int		 rc;

	if (argc > 2 || (argc == 2 && strspn(argv[1], "0123456789") !=
	    strlen(argv[1])) || (argc == 2 && strlen(argv[1]) > 3))
		return ctl_usage("usage: idtsctl readiness history [N]");
	snprintf(path, sizeof path, "/readiness/history%s%s",
	    argc == 2 ? "?number=" : "", argc == 2 ? argv[1] : "");
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json) {
		ctl_print_json(answer);
		json_decref(answer);
		return CTL_OK;
	}
	t = table_new(7, headers);
	json_array_foreach(answer, i, c) {
		owner = json_object_get(c, "owner");
		snprintf(num, sizeof num, "%d", (int)json_integer_value(
		    json_object_get(c, "number")));
		cells[0] = ctl_local_time(ctl_str(c, "changed_at"),
		    CTL_DATE_TIME, when, sizeof when);
		cells[1] = num;
		cells[2] = CTL_S(ctl_str(c, "status"));
		cells[3] = CTL_S(ctl_str(json_object_get(c, "changed_by"),
		    "username"));
		cells[4] = json_is_object(owner) ? CTL_S(ctl_str(owner,
		    "username")) : "";
		cells[5] = ctl_str(c, "target_date") ?
		    ctl_str(c, "target_date") : "";
		cells[6] = CTL_S(ctl_str(c, "evidence"));
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	json_decref(answer);
	return CTL_OK;
}

/* readiness statement: the printable page, HTML on standard output. */
int
ctl_readiness_statement(struct ctl *ctl, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl readiness statement "
		    "> statement.html");
	return ctl_get_text(ctl, "/readiness", "text/html");
}
