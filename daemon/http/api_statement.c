/* The printable Statement of Readiness: GET /v1/readiness with Accept:
 * text/html.  One page for A4, no script, made from the register as
 * answered in JSON: the go-live and commissioning verdicts with their
 * reasons, the counts, and each section with its status, evidence, owner
 * and target date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_readiness.h"
#include "calendar.h"
#include "html.h"
#include "request.h"

#define STATEMENT_STYLE \
	"body{font:11pt serif;margin:2em}" \
	"table{border-collapse:collapse;width:100%}" \
	"th,td{border:1px solid #444;padding:2pt 4pt;vertical-align:top;" \
	"text-align:left}" \
	".red{background:#f4c7c3}.amber{background:#fce8b2}" \
	".green{background:#b7e1cd}.none{background:#eee}" \
	"@media print{body{margin:0}@page{size:A4 landscape;margin:12mm}" \
	"tr{page-break-inside:avoid}}"

/* Text of a JSON string (or "" for null), escaped. */
static void
statement_text(FILE *f, const json_t *v)
{
	html_text(f, json_is_string(v) ? json_string_value(v) : "");
}

/* A status, with none recorded said so. */
static const char *
statement_status(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "none";
}

/* A verdict and, when not ready, the sections that block it and why. */
static void
statement_verdict(FILE *f, const char *what, const json_t *v)
{
	const json_t	*b;
	size_t		 i;

	fprintf(f, "<h2>%s: %s</h2>\n", what,
	    json_is_true(json_object_get(v, "ready")) ? "READY" : "NOT READY");
	if (json_array_size(json_object_get(v, "blocking")) == 0)
		return;
	fputs("<ul>\n", f);
	json_array_foreach(json_object_get(v, "blocking"), i, b) {
		fprintf(f, "<li>Section %d, ", (int)json_integer_value(
		    json_object_get(b, "number")));
		statement_text(f, json_object_get(b, "heading"));
		fprintf(f, ": %s, needs at least %s</li>\n",
		    statement_status(json_object_get(b, "status")),
		    json_string_value(json_object_get(b, "minimum")));
	}
	fputs("</ul>\n", f);
}

/* One section as a row of the table. */
static void
statement_section(FILE *f, const json_t *s)
{
	const char	*status = statement_status(json_object_get(s,
			    "status"));

	fprintf(f, "<tr><td>%d</td><td>", (int)json_integer_value(
	    json_object_get(s, "number")));
	statement_text(f, json_object_get(s, "heading"));
	fputs("<br><small>", f);
	statement_text(f, json_object_get(s, "outcome"));
	fputs("</small></td><td>", f);
	statement_text(f, json_object_get(s, "group"));
	fprintf(f, "</td><td>%s</td><td class=\"%s\">%s</td><td>",
	    json_string_value(json_object_get(s, "minimum")), status, status);
	statement_text(f, json_object_get(s, "evidence"));
	fputs("</td><td>", f);
	statement_text(f, json_object_get(json_object_get(s, "owner"),
	    "display_name"));
	fputs("</td><td>", f);
	statement_text(f, json_object_get(s, "target_date"));
	fputs("</td></tr>\n", f);
}

/* The page, from the register as answered; -1 after a 503. */
int
api_readiness_statement(struct request *r, json_t *reg)
{
	const json_t	*s;
	char		*page = NULL, when[CALENDAR_LOCAL_LEN];
	size_t		 len, i;
	FILE		*f;

	if ((f = open_memstream(&page, &len)) == NULL) {
		json_decref(reg);
		return request_store_failed(r);
	}
	calendar_format_local(r->now, when);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><title>Statement of Readiness</title><style>"
	    STATEMENT_STYLE "</style></head><body>\n<h1>Statement of "
	    "Readiness</h1>\n", f);
	fprintf(f, "<p>The IDTS implementation toolkit as recorded "
	    "at %s. Green %d, amber %d, red %d (a section with no status "
	    "counts as red).</p>\n", when,
	    (int)json_integer_value(json_object_get(reg, "green")),
	    (int)json_integer_value(json_object_get(reg, "amber")),
	    (int)json_integer_value(json_object_get(reg, "red")));
	statement_verdict(f, "Going live", json_object_get(reg, "go_live"));
	statement_verdict(f, "Commissioning",
	    json_object_get(reg, "commissioning"));
	fputs("<table><thead><tr><th>No.</th><th>Section and required "
	    "outcome</th><th>Group</th><th>Minimum</th><th>Status</th>"
	    "<th>Evidence</th><th>Owner</th><th>Target date</th></tr>"
	    "</thead><tbody>\n", f);
	json_array_foreach(json_object_get(reg, "sections"), i, s)
		statement_section(f, s);
	fputs("</tbody></table>\n<p>Signed (IDTS lead) "
	    "______________________ Date ____________</p>\n</body></html>\n",
	    f);
	json_decref(reg);
	if (fclose(f) != 0) {
		free(page);
		return request_store_failed(r);
	}
	request_reply_text(r, 200, "text/html; charset=utf-8", page);
	return 0;
}
