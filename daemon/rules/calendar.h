/* England-and-Wales bank holidays and working time.  Pure, except that
 * local time is the process's time zone (TZ, set from the config at
 * start-up). */
#ifndef IDTSD_CALENDAR_H
#define IDTSD_CALENDAR_H

#include <stdint.h>

#include "timefmt.h"

#define CALENDAR_MAX_CHANGES	64

struct calendar_dates {
	struct civil_date	date[CALENDAR_MAX_CHANGES];
	int			n;
};

/* One-off changes from the config: holidays added (a coronation) or
 * removed (a holiday moved away). */
struct calendar {
	struct calendar_dates	added;
	struct calendar_dates	removed;
};

int	calendar_weekday(struct civil_date);	/* 0 Sunday .. 6 Saturday */
struct civil_date calendar_easter(int year);
int	calendar_is_bank_holiday(const struct calendar *, struct civil_date);
int	calendar_is_working_day(const struct calendar *, struct civil_date);

struct civil_date calendar_add_days(struct civil_date, int n);
struct civil_date calendar_local_date(int64_t instant);
int64_t	calendar_local_time(struct civil_date, int minute_of_day);
int64_t	calendar_local_midnight(struct civil_date);
long	calendar_utc_offset(int64_t utc_seconds);
#define CALENDAR_LOCAL_LEN	40
void	calendar_format_local(int64_t instant, char buf[CALENDAR_LOCAL_LEN]);
int64_t	calendar_add_working_time(const struct calendar *, int64_t start,
	    int64_t duration);

#endif
