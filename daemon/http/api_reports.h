/* What the management reports' handlers share (api_reports.c): the
 * period asked for (from and to, or a month), and the answer as JSON or,
 * for Accept: text/csv, as CSV made from the report's flat rows, every
 * cell through report_csv_field().  A report is a struct api_report_kind:
 * its name, its CSV columns and a build function that loads its tally,
 * runs it and describes the result; api_report_serve() does the rest,
 * and the governance pack (api_reports_pack.c) reuses the same kinds. */
#ifndef IDTSD_API_REPORTS_H
#define IDTSD_API_REPORTS_H

#include <stdio.h>

#include <jansson.h>

#include "calendar.h"
#include "store.h"

struct request;

/* What a report's build function makes: the JSON answer, and the rows of
 * its CSV, flat objects whose members are the kind's columns.  Each
 * patient's part is the costly one, made only as asked: into the JSON
 * when want has API_REPORT_BODY, and as CSV lines written straight to
 * csv when it is not NULL (the header written already; the rows, the
 * unit's, follow them). */
#define API_REPORT_BODY		0x1	/* each patient's JSON */

struct api_report_out {
	unsigned	 want;
	FILE		*csv;
	json_t		*body;
	json_t		*rows;
};

struct api_report_kind {
	const char		 *name;
	const char *const	 *columns;	/* NULL-terminated */
	/* Fill out for [from, to] as of r->now: STORE_OK, or the store's
	 * failure (out holding nothing). */
	enum store_result	(*build)(struct request *,
				    struct civil_date from,
				    struct civil_date to,
				    struct api_report_out *);
};

extern const struct api_report_kind api_report_observations_kind;
extern const struct api_report_kind api_report_doses_kind;
extern const struct api_report_kind api_report_clocks_kind;
extern const struct api_report_kind api_report_register_kind;
extern const struct api_report_kind api_report_alerts_kind;
extern const struct api_report_kind api_report_continuity_kind;

int	api_report_range(struct request *, struct civil_date *from,
	    struct civil_date *to);
int	api_report_month(struct request *, struct civil_date *from,
	    struct civil_date *to);
int	api_report_serve(struct request *, const struct api_report_kind *);
int	api_report_serve_month(struct request *,
	    const struct api_report_kind *);
int	api_report_csv_answer(struct request *, const struct api_report_kind *,
	    struct civil_date from, struct civil_date to);
void	api_report_csv_text(FILE *, const char *text);
void	api_report_csv_ints(FILE *, const int *v, size_t n);
void	api_report_csv_tenths(FILE *, int tenths);
void	api_report_out_new(struct api_report_out *, struct civil_date from,
	    struct civil_date to);
enum store_result api_report_out_end(struct api_report_out *,
	    enum store_result);
json_t	*api_report_hours(int64_t ms);
json_t	*api_report_minutes(int64_t ms);
json_t	*api_report_tenths(int tenths);
json_t	*api_report_ref_row(const struct store_patient_ref *);
char	*api_report_patient_ids(const char *const *ids, size_t n);

#endif
