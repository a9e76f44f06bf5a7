/* Prescriptions and the doses they ask for: maintenance or a reducing
 * regimen with dated steps, at round times in local time, every day or
 * every N days.  Pure, except that local time is the process's time zone
 * (see calendar.h). */
#ifndef IDTSD_PRESCRIPTION_H
#define IDTSD_PRESCRIPTION_H

#include <stdint.h>

#include "dose.h"
#include "refusal.h"
#include "timefmt.h"
#include "validate.h"

#define PRESCRIPTION_MAX_TIMES		8
#define PRESCRIPTION_MAX_STEPS		60
#define PRESCRIPTION_MAX_EVERY_DAYS	28
#define PRESCRIPTION_REASON_MAX		500	/* characters */
#define PRESCRIPTION_MAX_DAYS		366	/* start to end */
#define PRESCRIPTION_CODES_MAX		128	/* override codes, spaced */

enum regimen {
	REGIMEN_MAINTENANCE,
	REGIMEN_REDUCING,
};

/* From from, the dose is this (thousandths of the product's unit). */
struct prescription_step {
	struct civil_date	from;
	int64_t			dose;
};

struct prescription {
	char			id[UUID_STR_LEN];
	char			patient_id[UUID_STR_LEN];
	char			product_id[UUID_STR_LEN];
	enum regimen		regimen;
	int64_t			dose;		/* from the start date */
	int			times[PRESCRIPTION_MAX_TIMES];	/* minutes */
	int			ntimes;
	int			every_days;	/* 1 daily, 7 weekly */
	struct civil_date	start;
	struct civil_date	end;
	int			has_end;
	struct prescription_step steps[PRESCRIPTION_MAX_STEPS];
	int			nsteps;
	char			prescriber_id[UUID_STR_LEN];
	int64_t			created_at;
	int64_t			stopped_at;	/* 0 while not stopped */
	char			stopped_by[UUID_STR_LEN];
	char			stop_reason[PRESCRIPTION_REASON_MAX * 4 + 1];
	int64_t			held_at;	/* 0 while not held */
	int			not_taken_run;	/* consecutive doses not taken */
	int64_t			generated_until; /* doses exist before this */
	/* Written over the first-dose checks (prescribing.c): the
	 * prescriber's reason and what it overrode; "" when not. */
	char			override_reason[PRESCRIPTION_REASON_MAX * 4 + 1];
	char			override_codes[PRESCRIPTION_CODES_MAX];
};

/* One dose a prescription asks for. */
struct prescription_dose {
	struct civil_date	date;		/* local */
	int64_t			due_at;
	int64_t			dose;
};

const char *prescription_regimen_name(enum regimen);
int	prescription_regimen_parse(const char *, enum regimen *);
int	prescription_time_parse(const char *, int *minute_of_day);
void	prescription_time_format(int minute_of_day, char buf[6]);

int	prescription_check(const struct prescription *, struct civil_date today,
	    struct refusal *why);
int	prescription_check_times_apart(const struct prescription *,
	    int64_t window_ms, struct refusal *why);
int64_t	prescription_dose_on(const struct prescription *, struct civil_date);
int	prescription_is_dose_day(const struct prescription *,
	    struct civil_date);
const char *prescription_state(const struct prescription *,
	    struct civil_date today);
int64_t	prescription_doses_end(const struct prescription *);
struct dose_hold_change prescription_hold_event(struct prescription *,
	    enum dose_hold_event, int64_t now, int hold_after);
int	prescription_review(struct prescription *, int64_t now,
	    struct refusal *why);
int	prescription_doses(const struct prescription *, int64_t from,
	    int64_t to, void (*each)(const struct prescription_dose *, void *),
	    void *arg);

#endif
