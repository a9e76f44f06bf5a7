/* Instants (int64 UTC milliseconds) and calendar dates as people write them:
 * RFC 3339 timestamps and YYYY-MM-DD dates.  Pure: no time zone state. */
#ifndef IDTSD_TIMEFMT_H
#define IDTSD_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define TIMEFMT_INSTANT_LEN	32	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" and NUL */
#define TIMEFMT_DATE_LEN	11

#define MS_PER_SECOND	INT64_C(1000)
#define MS_PER_MINUTE	(60 * MS_PER_SECOND)
#define MS_PER_HOUR	(60 * MS_PER_MINUTE)
#define MS_PER_DAY	(24 * MS_PER_HOUR)

struct civil_date {
	int	year;
	int	month;	/* 1-12 */
	int	day;	/* 1-31 */
};

int	timefmt_days_in_month(int year, int month);
int64_t	timefmt_days_from_civil(struct civil_date d);
struct civil_date timefmt_civil_from_days(int64_t days);

int	timefmt_parse_instant(const char *s, int64_t *ms);
void	timefmt_format_instant(int64_t ms, char buf[TIMEFMT_INSTANT_LEN]);
int	timefmt_parse_date(const char *s, struct civil_date *d);
void	timefmt_format_date(struct civil_date d, char buf[TIMEFMT_DATE_LEN]);
int	timefmt_date_cmp(struct civil_date a, struct civil_date b);

#endif
