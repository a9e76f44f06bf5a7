/* idtsctl audit verify and list. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"

/* Where verify found its problem: an entry's seq, or a table's row. */
static void
ctl_audit_where(json_t *at, char *buf, size_t size)
{
	if (json_is_integer(at))
		snprintf(buf, size, "entry %lld",
		    (long long)json_integer_value(at));
	else if (json_is_object(at))
		snprintf(buf, size, "%s %s", ctl_str(at, "table"),
		    ctl_str(at, "id"));
	else
		snprintf(buf, size, "the signed head");
}

int
ctl_audit_verify(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer, *anchor;
	char	 where[128];
	int	 rc, ok;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl audit verify");
	if ((rc = ctl_call(ctl, "GET", "/audit/verify", NULL, 200, &answer)) !=
	    CTL_OK)
		return rc;
	ok = json_is_true(json_object_get(answer, "ok"));
	anchor = json_object_get(answer, "anchor");
	if (ctl->json)
		ctl_print_json(answer);
	else if (ok && anchor != NULL)
		printf("audit trail whole: %lld entries, %lld clinical rows, "
		    "signed head at entry %lld\n", (long long)
		    json_integer_value(json_object_get(answer, "entries")),
		    (long long)json_integer_value(json_object_get(answer,
		    "rows")), (long long)json_integer_value(json_object_get(
		    anchor, "seq")));
	else if (ok)
		printf("audit trail whole: %lld entries, %lld clinical rows; "
		    "%s\n", (long long)json_integer_value(json_object_get(
		    answer, "entries")), (long long)json_integer_value(
		    json_object_get(answer, "rows")), ctl_str(answer,
		    "message"));
	else {
		ctl_audit_where(json_object_get(answer, "at"), where,
		    sizeof where);
		printf("AUDIT TRAIL FAILS: %s at %s: %s\n", ctl_str(answer,
		    "problem"), where, ctl_str(answer, "message"));
	}
	json_decref(answer);
	return ok ? CTL_OK : CTL_REFUSED;
}

int
ctl_audit_list(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "after", required_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const headers[] = {
		"SEQ", "AT", "ACTION", "RECORD", "ACTOR"
	};
	const char	*after = "0", *limit = "100", *cells[5];
	char		 path[128], seq[24], at[CTL_LOCAL_LEN];
	json_t		*answer, *e;
	struct table	*t;
	size_t		 i;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			after = optarg;
		else if (ch == 'l')
			limit = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc || strspn(after, "0123456789") != strlen(after) ||
	    strspn(limit, "0123456789") != strlen(limit))
		return ctl_usage("usage: idtsctl audit list [--after SEQ] "
		    "[--limit N]");
	snprintf(path, sizeof path, "/audit?after=%s&limit=%s", after, limit);
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else {
		t = table_new(5, headers);
		json_array_foreach(answer, i, e) {
			snprintf(seq, sizeof seq, "%lld", (long long)
			    json_integer_value(json_object_get(e, "seq")));
			cells[0] = seq;
			cells[1] = ctl_local_time(ctl_str(e, "at"), CTL_LOCAL,
			    at, sizeof at);
			cells[2] = ctl_str(e, "action");
			cells[3] = ctl_str(e, "record_id");
			cells[4] = ctl_str(e, "actor_id")[0] != '\0' ?
			    ctl_str(e, "actor_id") : "(system)";
			table_add(t, cells);
		}
		table_print(t, stdout);
		table_free(t);
	}
	json_decref(answer);
	return CTL_OK;
}
