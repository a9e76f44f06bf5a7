/* GET /v1/reports/governance?month=YYYY-MM: the month's governance pack,
 * every report of the month (observations, doses, clocks, register,
 * alerts) built by the same kinds as their own routes, so the pack's
 * figures are the routes' figures.  As JSON, one member a report; with
 * Accept: text/html a printable page (tables, a CSS bar for each day's
 * share, a print stylesheet for A4, no script; http.c sends it with a
 * strict Content-Security-Policy); with Accept: text/csv and section=
 * one report's CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_reports.h"
#include "html.h"
#include "request.h"
#include "server.h"

static const struct api_report_kind *const api_pack_kinds[] = {
	&api_report_observations_kind, &api_report_doses_kind,
	&api_report_clocks_kind, &api_report_register_kind,
	&api_report_alerts_kind,
};
#define API_PACK_KINDS	(sizeof api_pack_kinds / sizeof api_pack_kinds[0])

/* What each section's page shows, and the share drawn as a bar. */
static const struct api_pack_section {
	const char	*title;
	const char	*counts;	/* what a figure counts */
	const char	*percent;	/* the column drawn as a bar, or NULL */
} api_pack_sections[API_PACK_KINDS] = {
	{ "Observations", "Observations due per day: on time, late (minutes "
	    "after due), missed, still pending.", "on_time_percent" },
	{ "Dose rounds", "Doses per day and round: given on time (within 30 "
	    "minutes), late, refused, withheld, missed, away, held, pending; "
	    "given of those that could be.", "given_percent" },
	{ "Continuity of care", "Clocks started per kind and month: met on "
	    "time or late, breached (ran out, met or not), still open past "
	    "due, ended, running; hours to meet.", NULL },
	{ "Controlled-drugs register", "Entries per product, quantities "
	    "moved, checks that found a difference and its total, balances.",
	    NULL },
	{ "Alerts", "Alerts raised per severity: acknowledged, minutes to "
	    "acknowledge (median, p90), escalated, still open.", NULL },
};

/* month=YYYY-MM: the first and last local dates of a month that
 * exists (the governance pack's and the continuity report's). */
int
api_report_month(struct request *r, struct civil_date *from,
    struct civil_date *to)
{
	char	buf[16], date[16];
	int	rc;

	if ((rc = request_query(r, "month", buf, sizeof buf)) == -1)
		return -1;
	if (rc == 1 || strlen(buf) != 7 ||
	    snprintf(date, sizeof date, "%s-01", buf) >= (int)sizeof date ||
	    timefmt_parse_date(date, from) == -1)
		return request_error(r, 400, "invalid_query", "month is the "
		    "month of the report, one that exists, written YYYY-MM");
	*to = *from;
	to->day = timefmt_days_in_month(from->year, from->month);
	return 0;
}

/* The section named by section=, or NULL with a 400 answer. */
static const struct api_report_kind *
api_pack_section(struct request *r, const char *name)
{
	size_t	i;

	for (i = 0; i < API_PACK_KINDS; i++)
		if (strcmp(api_pack_kinds[i]->name, name) == 0)
			return api_pack_kinds[i];
	request_error(r, 400, "invalid_query", "section is one of "
	    "observations, doses, clocks, register and alerts");
	return NULL;
}

/* Build every report of the month, each with what want asks for.
 * STORE_OK, or the first failure with nothing kept. */
static enum store_result
api_pack_build(struct request *r, struct civil_date from,
    struct civil_date to, unsigned want,
    struct api_report_out out[API_PACK_KINDS])
{
	enum store_result	sr = STORE_OK;
	size_t			i, n;

	for (n = 0; n < API_PACK_KINDS && sr == STORE_OK; n++) {
		out[n].want = want;
		out[n].csv = NULL;
		sr = api_pack_kinds[n]->build(r, from, to, &out[n]);
	}
	if (sr != STORE_OK)
		n--;	/* the failed one kept nothing */
	for (i = 0; sr != STORE_OK && i < n; i++) {
		json_decref(out[i].body);
		json_decref(out[i].rows);
	}
	return sr;
}

/* One cell of a table: text escaped, a number as it is. */
static void
api_pack_cell(FILE *f, const json_t *v)
{
	if (json_is_string(v)) {
		fputs("<td>", f);
		html_text(f, json_string_value(v));
	} else if (json_is_integer(v))
		fprintf(f, "<td class=\"n\">%lld",
		    (long long)json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "<td class=\"n\">%.1f", json_real_value(v));
	else
		fputs("<td>", f);
	fputs("</td>", f);
}

/* A bar as wide as a share, drawn by CSS alone. */
static void
api_pack_bar(FILE *f, const json_t *v)
{
	double	pct = json_is_number(v) ? json_number_value(v) : -1;

	if (pct < 0)
		fputs("<td></td>", f);
	else
		fprintf(f, "<td class=\"bar\"><span style=\"width:%.0f%%\">"
		    "</span></td>", pct > 100 ? 100 : pct);
}

/* One report as a section of the page: what it counts, and a table. */
static void
api_pack_html_section(FILE *f, const struct api_report_kind *k,
    const struct api_pack_section *s, const json_t *rows)
{
	const json_t	*row;
	size_t		 i;
	int		 c;

	fprintf(f, "<section><h2>%s</h2><p>%s</p><table><thead><tr>",
	    s->title, s->counts);
	for (c = 0; k->columns[c] != NULL; c++)
		fprintf(f, "<th>%s</th>", k->columns[c]);
	if (s->percent != NULL)
		fputs("<th>share</th>", f);
	fputs("</tr></thead><tbody>", f);
	/* Built without each patient's rows: the unit's figures. */
	json_array_foreach(rows, i, row) {
		fputs("<tr>", f);
		for (c = 0; k->columns[c] != NULL; c++)
			api_pack_cell(f, json_object_get(row, k->columns[c]));
		if (s->percent != NULL)
			api_pack_bar(f, json_object_get(row, s->percent));
		fputs("</tr>", f);
	}
	fputs("</tbody></table></section>", f);
}

/* The page's style: readable on screen, A4 landscape on paper, each
 * report on a page of its own, the tables' rules kept in print. */
static const char api_pack_style[] =
	"body{font:10pt/1.3 sans-serif;margin:1em;color:#000}"
	"h1{font-size:14pt}h2{font-size:12pt;margin-top:1.5em}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{border:1px solid #777;padding:1px 3px;text-align:left}"
	"td.n{text-align:right}th{background:#eee}"
	"td.bar{width:8em}td.bar span{display:block;height:0.8em;"
	"background:#246;print-color-adjust:exact;"
	"-webkit-print-color-adjust:exact}"
	"@page{size:A4 landscape;margin:12mm}"
	"@media print{section{break-before:page}"
	"section:first-of-type{break-before:auto}"
	"thead{display:table-header-group}"
	"tr{break-inside:avoid}}";

/* The whole pack as a printable page; NULL if out of memory. */
static char *
api_pack_html(const char *month, const struct api_report_out *out)
{
	FILE	*f;
	char	*text = NULL;
	size_t	 len, i;

	if ((f = open_memstream(&text, &len)) == NULL)
		return NULL;
	fprintf(f, "<!DOCTYPE html><html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><title>Governance pack %s</title><style>%s"
	    "</style></head><body><h1>Governance pack: %s</h1><p>The "
	    "unit's figures; each patient's are in the JSON and CSV "
	    "(section=).</p>", month, api_pack_style, month);
	for (i = 0; i < API_PACK_KINDS; i++)
		api_pack_html_section(f, api_pack_kinds[i],
		    &api_pack_sections[i], out[i].rows);
	fputs("</body></html>\n", f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* The pack as one JSON object: the month, and each report by name. */
static json_t *
api_pack_json(const char *month, struct api_report_out *out)
{
	json_t	*pack = json_pack("{s:s}", "month", month);
	size_t	 i;

	for (i = 0; i < API_PACK_KINDS; i++) {
		json_object_set_new(pack, api_pack_kinds[i]->name,
		    out[i].body);
		json_decref(out[i].rows);
	}
	return pack;
}

/* GET /v1/reports/governance?month=YYYY-MM[&section=] */
int
api_report_governance(struct request *r)
{
	const struct api_report_kind	*k;
	struct api_report_out		 out[API_PACK_KINDS];
	struct civil_date		 from, to;
	char				 section[16], month[16], *text;
	int				 rc, html;
	int				 csv = request_accepts(r, "text/csv");

	if (api_report_month(r, &from, &to) == -1 ||
	    (rc = request_query(r, "section", section, sizeof section)) == -1)
		return -1;
	if (csv != (rc == 0))
		return request_error(r, 400, "invalid_query", csv ?
		    "a CSV is one section: section= observations, doses, "
		    "clocks, register or alerts" : "section= is for a CSV "
		    "(Accept: text/csv)");
	if (csv)
		return (k = api_pack_section(r, section)) == NULL ? -1 :
		    api_report_csv_answer(r, k, from, to);
	snprintf(month, sizeof month, "%04d-%02d", from.year % 10000,
	    from.month % 100);
	html = request_accepts(r, "text/html");
	if (api_pack_build(r, from, to, html ? 0 : API_REPORT_BODY, out) !=
	    STORE_OK)
		return request_store_failed(r);
	if (!html) {
		request_reply(r, 200, api_pack_json(month, out));
		return 0;
	}
	text = api_pack_html(month, out);
	json_decref(api_pack_json(month, out));
	if (text == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	request_reply_text(r, 200, "text/html; charset=utf-8", text);
	return 0;
}
