/* idtsctl report doses, clocks, register, alerts and governance: the
 * managers' reports as tables (a bar of #s a day where a picture helps,
 * as report obs draws), or the daemon's CSV as it is (--csv). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"
#include "table.h"
#include "timefmt.h"

#define REPORT_BAR_WIDTH	20

/* What a report command was asked for. */
struct report_args {
	const char	*from, *to, *month, *section;
	int		 csv;
};

/* Parse --from/--to (or --month for the pack), --csv and --section. */
static int
report_args(int argc, char **argv, int pack, struct report_args *a,
    const char *usage)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "month", required_argument, NULL, 'm' },
		{ "section", required_argument, NULL, 's' },
		{ "csv", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct civil_date	from, to;
	int			ch;

	memset(a, 0, sizeof *a);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'f':
			a->from = optarg;
			break;
		case 't':
			a->to = optarg;
			break;
		case 'm':
			a->month = optarg;
			break;
		case 's':
			a->section = optarg;
			break;
		case 'c':
			a->csv = 1;
			break;
		default:
			return -1;
		}
	if (optind != argc)
		return -1;
	/* The pack's --section goes with --csv; a month's report (pack 2)
	 * has none. */
	if (pack)
		return a->month == NULL || a->from != NULL || a->to != NULL ||
		    (pack == 1 ? (a->section != NULL) != a->csv :
		    a->section != NULL) ? -1 : 0;
	if (a->from == NULL || a->to == NULL || a->month != NULL ||
	    a->section != NULL)
		return -1;
	if (timefmt_parse_date(a->from, &from) == -1 ||
	    timefmt_parse_date(a->to, &to) == -1 ||
	    timefmt_date_cmp(to, from) < 0) {
		fprintf(stderr, "idtsctl: --from and --to are local dates, "
		    "YYYY-MM-DD, --to not before --from\n%s\n", usage);
		return -1;
	}
	return 0;
}

/* A whole number member as text. */
static const char *
report_int(const json_t *o, const char *key, char buf[32])
{
	snprintf(buf, 32, "%lld", (long long)json_integer_value(
	    json_object_get(o, key)));
	return buf;
}

/* A number member (or "-" for null) as text, one decimal for a real. */
static const char *
report_num(const json_t *o, const char *key, char buf[32])
{
	const json_t	*v = json_object_get(o, key);

	if (json_is_integer(v))
		return report_int(o, key, buf);
	if (json_is_real(v))
		snprintf(buf, 32, "%.1f", json_real_value(v));
	else
		snprintf(buf, 32, "-");
	return buf;
}

/* A share as a bar of #s and the percentage, or "(none due)". */
static const char *
report_bar(const json_t *o, const char *key, char buf[64])
{
	const json_t	*v = json_object_get(o, key);
	long long	 tenths;
	int		 i, full;

	if (!json_is_number(v))
		return "(none due)";
	tenths = (long long)(json_number_value(v) * 10.0 + 0.5);
	if (tenths < 0 || tenths > 1000)
		tenths = tenths < 0 ? 0 : 1000;
	full = (int)(tenths * REPORT_BAR_WIDTH / 1000);	/* 100% fills it */
	for (i = 0; i < REPORT_BAR_WIDTH; i++)
		buf[i] = i < full ? '#' : '.';
	snprintf(buf + REPORT_BAR_WIDTH, 64 - REPORT_BAR_WIDTH, " %lld.%lld%%",
	    tenths / 10, tenths % 10);
	return buf;
}

/* Rows of a report as a table: each row's members named by keys, the
 * last column a bar of bar_key when it is given. */
static void
report_table(const json_t *rows, const char *const headers[],
    const char *const keys[], int n, const char *bar_key)
{
	struct table	*t = table_new(n + (bar_key != NULL), headers);
	const char	*cells[16];
	char		 buf[16][64];
	const json_t	*row;
	size_t		 i;
	int		 c;

	json_array_foreach(rows, i, row) {
		for (c = 0; c < n; c++)
			cells[c] = json_is_string(json_object_get(row,
			    keys[c])) ? ctl_str(row, keys[c]) :
			    report_num(row, keys[c], buf[c]);
		if (bar_key != NULL)
			cells[n] = report_bar(row, bar_key, buf[n]);
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
}

/* The dose report: the unit day by day (a day with doses and none
 * missed says so: its doses are due, none missed), each round, the
 * holds. */
static void
report_doses_print(const json_t *rep)
{
	static const char *const keys[] = {
		"date", "due", "on_time", "late", "late_minutes_max",
		"refused", "withheld", "missed", "away", "held", "pending"
	};
	static const char *const days[] = {
		"DATE", "DUE", "ON TIME", "LATE", "LATE MAX", "REFUSED",
		"WITHHELD", "MISSED", "AWAY", "HELD", "PENDING",
		"GIVEN (20 # = 100%)"
	};
	static const char *const rounds[] = {
		"ROUND", "DUE", "ON TIME", "LATE", "LATE MAX", "REFUSED",
		"WITHHELD", "MISSED", "AWAY", "HELD", "PENDING",
		"GIVEN (20 # = 100%)"
	};
	static const char *const rkeys[] = {
		"round", "due", "on_time", "late", "late_minutes_max",
		"refused", "withheld", "missed", "away", "held", "pending"
	};
	const json_t	*h = json_object_get(rep, "holds");
	char		 a[32], b[32], c[32], d[32], e[32];

	printf("dose rounds, %s to %s (late: given more than %s minutes "
	    "after the due time)\n\nthe unit, day by day\n",
	    CTL_S(ctl_str(rep, "from")), CTL_S(ctl_str(rep, "to")),
	    report_int(rep, "late_after_minutes", a));
	report_table(json_object_get(rep, "days"), days, keys, 11,
	    "given_percent");
	printf("\neach round, over the period\n");
	report_table(json_object_get(rep, "rounds"), rounds, rkeys, 11,
	    "given_percent");
	printf("\nholds for review: %s raised, %s reviewed (hours to review: "
	    "median %s, p90 %s), %s open\n", report_int(h, "raised", a),
	    report_int(h, "reviewed", b), report_num(h,
	    "review_hours_median", c), report_num(h, "review_hours_p90", d),
	    report_int(h, "open", e));
}

/* The clock report: each kind's months and totals. */
static void
report_clocks_print(const json_t *rep)
{
	static const char *const headers[] = {
		"KIND", "MONTH", "STARTED", "ON TIME", "MET LATE", "BREACHED",
		"NEVER MET", "ENDED", "RUNNING", "HOURS MEDIAN", "HOURS P90"
	};
	static const char *const keys[] = {
		"kind", "month", "started", "met_on_time", "met_late",
		"breached", "breached_open", "ended", "running",
		"meet_hours_median", "meet_hours_p90"
	};
	json_t		*rows = json_array();
	const json_t	*k;
	size_t		 i;

	printf("continuity-of-care clocks started %s to %s\n\n",
	    CTL_S(ctl_str(rep, "from")), CTL_S(ctl_str(rep, "to")));
	json_array_foreach(json_object_get(rep, "kinds"), i, k) {
		json_array_extend(rows, json_object_get(k, "months"));
		json_array_append(rows, json_object_get(k, "totals"));
	}
	report_table(rows, headers, keys, 11, NULL);
	json_decref(rows);
}

/* The register report: a line a product. */
static void
report_register_print(const json_t *rep)
{
	static const char *const headers[] = {
		"PRODUCT", "UNIT", "OPENING", "RECEIVED", "ADMINISTERED",
		"RETURNED", "DESTROYED", "CHECKS", "DIFFERING", "DIFFERENCE",
		"CORRECTED", "CLOSING"
	};
	static const char *const keys[] = {
		"name", "unit", "opening_balance", "received", "administered",
		"returned", "destroyed", "checks", "check_differences",
		"difference_total", "corrected", "closing_balance"
	};

	printf("the controlled-drugs register, %s to %s\n\n",
	    CTL_S(ctl_str(rep, "from")), CTL_S(ctl_str(rep, "to")));
	if (json_array_size(json_object_get(rep, "products")) == 0)
		printf("no entry in the register\n");
	else
		report_table(json_object_get(rep, "products"), headers, keys,
		    12, NULL);
}

/* The alert report: a line a severity, then the total. */
static void
report_alerts_print(const json_t *rep)
{
	static const char *const headers[] = {
		"SEVERITY", "RAISED", "ACKNOWLEDGED", "ACK MIN MEDIAN",
		"ACK MIN P90", "ESCALATED", "OPEN"
	};
	static const char *const keys[] = {
		"severity", "raised", "acknowledged", "ack_minutes_median",
		"ack_minutes_p90", "escalated", "open"
	};
	json_t	*rows = json_copy(json_object_get(rep, "severities"));

	printf("alerts raised %s to %s\n\n", CTL_S(ctl_str(rep, "from")),
	    CTL_S(ctl_str(rep, "to")));
	json_array_append(rows, json_object_get(rep, "totals"));
	report_table(rows, headers, keys, 7, NULL);
	json_decref(rows);
}

/* The observation report's unit days, for the pack. */
static void
report_obs_print(const json_t *rep)
{
	static const char *const headers[] = {
		"DATE", "DUE", "ON TIME", "LATE", "MISSED", "PENDING",
		"ON TIME (20 # = 100%)"
	};
	static const char *const keys[] = {
		"date", "due", "on_time", "late", "missed", "pending"
	};

	printf("observations, the unit day by day (idtsctl report obs for "
	    "each patient)\n");
	report_table(json_object_get(rep, "days"), headers, keys, 6,
	    "on_time_percent");
}

/* Run a report: the CSV as it comes, or its JSON printed by print (the
 * observation report's too, idtsctl_obs.c). */
int
ctl_report_run(struct ctl *ctl, const char *path, int csv,
    void (*print)(const json_t *))
{
	json_t	*answer;
	int	 rc;

	if (csv && ctl->json)
		return ctl_usage("--csv and --json do not go together");
	if (csv)
		return ctl_get_text(ctl, path, "text/csv");
	if ((rc = ctl_call_flags(ctl, "GET", path, NULL, 200, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		print(answer);
	json_decref(answer);
	return CTL_OK;
}

/* One of the reports over --from and --to. */
static int
report_range(struct ctl *ctl, int argc, char **argv, const char *name,
    void (*print)(const json_t *))
{
	struct report_args	a;
	char			usage[128], path[128];

	snprintf(usage, sizeof usage, "usage: idtsctl report %s --from "
	    "YYYY-MM-DD --to YYYY-MM-DD [--csv]", name);
	if (report_args(argc, argv, 0, &a, usage) == -1)
		return ctl_usage("%s", usage);
	snprintf(path, sizeof path, "/reports/%s?from=%s&to=%s", name,
	    a.from, a.to);
	return ctl_report_run(ctl, path, a.csv, print);
}

/* report doses --from --to [--csv] */
int
ctl_report_doses(struct ctl *ctl, int argc, char **argv)
{
	return report_range(ctl, argc, argv, "doses", report_doses_print);
}

/* report clocks --from --to [--csv] */
int
ctl_report_clocks(struct ctl *ctl, int argc, char **argv)
{
	return report_range(ctl, argc, argv, "clocks", report_clocks_print);
}

/* report register --from --to [--csv] */
int
ctl_report_register(struct ctl *ctl, int argc, char **argv)
{
	return report_range(ctl, argc, argv, "register",
	    report_register_print);
}

/* report alerts --from --to [--csv] */
int
ctl_report_alerts(struct ctl *ctl, int argc, char **argv)
{
	return report_range(ctl, argc, argv, "alerts", report_alerts_print);
}

/* The continuity report: the clocks, then a measure a line. */
static void
report_continuity_print(const json_t *rep)
{
	static const char *const measures[] = {
		"arrivals_in_treatment", "transfers_out", "documents_imported",
		"releases", "releases_with_follow_up", "follow_up_met",
		"follow_up_not_met", "follow_up_running", "follow_up_overdue",
		NULL,
	};
	static const char *const kinds[] = {
		"treatment_continued", "keyworker_allocated", NULL,
	};
	const json_t	*c;
	char		 a[32], b[32], d[32], e[32];
	size_t		 i;

	printf("continuity of care %s to %s\n", CTL_S(ctl_str(rep, "from")),
	    CTL_S(ctl_str(rep, "to")));
	for (i = 0; measures[i] != NULL; i++)
		printf("  %-24s %s\n", measures[i], report_int(rep,
		    measures[i], a));
	for (i = 0; kinds[i] != NULL; i++) {
		c = json_object_get(json_object_get(rep, "clocks"), kinds[i]);
		printf("  %-20s started %s, met on time %s, late %s, "
		    "breached %s\n", kinds[i], report_int(c, "started", a),
		    report_int(c, "met_on_time", b), report_int(c, "met_late",
		    d), report_int(c, "breached", e));
	}
}

#define REPORT_CONTINUITY_USAGE "usage: idtsctl report continuity " \
	"--month YYYY-MM [--csv]"

/* report continuity --month YYYY-MM [--csv] */
int
ctl_report_continuity(struct ctl *ctl, int argc, char **argv)
{
	struct report_args	a;
	char			path[128];

	if (report_args(argc, argv, 2, &a, REPORT_CONTINUITY_USAGE) == -1)
		return ctl_usage(REPORT_CONTINUITY_USAGE);
	snprintf(path, sizeof path, "/reports/continuity?month=%s", a.month);
	return ctl_report_run(ctl, path, a.csv, report_continuity_print);
}

#define EXPORT_EPISODES_USAGE "usage: idtsctl export episodes --month " \
	"YYYY-MM [--out FILE]"

/* export episodes --month YYYY-MM [--out FILE]: the national returns'
 * CSV as the daemon wrote it, to FILE or the standard output. */
int
ctl_export_episodes(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*month = NULL, *out = NULL;
	char		 path[128];
	int		 ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'm':
			month = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return ctl_usage(EXPORT_EPISODES_USAGE);
		}
	if (optind != argc || month == NULL)
		return ctl_usage(EXPORT_EPISODES_USAGE);
	if (out != NULL && freopen(out, "w", stdout) == NULL) {
		fprintf(stderr, "idtsctl: %s: %s\n", out, strerror(errno));
		return CTL_USAGE;
	}
	snprintf(path, sizeof path, "/exports/treatment-episodes?month=%s",
	    month);
	return ctl_get_text(ctl, path, "text/csv");
}

/* Every report of the pack, one after another. */
static void
report_pack_print(const json_t *pack)
{
	printf("governance pack: %s\n\n", CTL_S(ctl_str(pack, "month")));
	report_obs_print(json_object_get(pack, "observations"));
	printf("\n");
	report_doses_print(json_object_get(pack, "doses"));
	printf("\n");
	report_clocks_print(json_object_get(pack, "clocks"));
	printf("\n");
	report_register_print(json_object_get(pack, "register"));
	printf("\n");
	report_alerts_print(json_object_get(pack, "alerts"));
}

#define REPORT_PACK_USAGE "usage: idtsctl report governance --month " \
	"YYYY-MM [--csv --section observations|doses|clocks|register|alerts]"

/* report governance --month YYYY-MM [--csv --section S] */
int
ctl_report_governance(struct ctl *ctl, int argc, char **argv)
{
	struct report_args	a;
	char			path[128];

	if (report_args(argc, argv, 1, &a, REPORT_PACK_USAGE) == -1)
		return ctl_usage(REPORT_PACK_USAGE);
	snprintf(path, sizeof path, "/reports/governance?month=%s%s%s",
	    a.month, a.csv ? "&section=" : "", a.csv ? a.section : "");
	return ctl_report_run(ctl, path, a.csv, report_pack_print);
}
