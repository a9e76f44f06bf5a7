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

/*
 * Local date-times as people on the unit write them, in the unit's zone:
 * "2026-12-08 09:00", "today 09:00", "yesterday 09:00", "tomorrow 09:00",
 * "09:00" (today), or RFC 3339 with an offset.  The zone is a function
 * (the UTC offset in seconds in force at a UTC second) so the parser stays
 * pure; calendar_utc_offset() is the process's zone.  A wall time the
 * clocks skip or pass twice is refused, saying which: one record must not
 * guess which of two instants a nurse meant.
 */
typedef long	(*timefmt_offset_fn)(int64_t utc_seconds);

enum timefmt_local_error {
	TIMEFMT_LOCAL_OK = 0,
	TIMEFMT_LOCAL_MALFORMED,	/* not in the grammar */
	TIMEFMT_LOCAL_SKIPPED,		/* the clocks went forward over it */
	TIMEFMT_LOCAL_REPEATED		/* the clocks went back: it is twice */
};

#define TIMEFMT_WHY_LEN	256

struct timefmt_local {
	int64_t				ms;	/* the instant, when OK */
	enum timefmt_local_error	error;
	char				why[TIMEFMT_WHY_LEN]; /* when refused */
};

int	timefmt_parse_local(const char *s, int64_t now, timefmt_offset_fn,
	    struct timefmt_local *);
int	timefmt_parse_local_date(const char *s, int64_t now, timefmt_offset_fn,
	    struct civil_date *, char why[TIMEFMT_WHY_LEN]);
struct civil_date timefmt_local_date(int64_t ms, timefmt_offset_fn);

#endif
