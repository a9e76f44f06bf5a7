/* The store's statements for issue 20: the readiness register with its
 * history, the duty rota, the unit's round times and the dates whose gap
 * in controlled-drug cover the managers were alerted to. */
#ifndef IDTSD_STORE_READINESS_H
#define IDTSD_STORE_READINESS_H

#include "batch.h"
#include "cover.h"
#include "readiness.h"
#include "store.h"

#define READINESS_EVIDENCE_MAX	2000	/* characters */
#define ROTA_NAME_MAX		40	/* characters */

/* A section's recorded status (status NONE: nothing recorded), or one
 * change of it in the history. */
struct store_readiness_row {
	int			number;
	enum readiness_status	status;
	char			evidence[READINESS_EVIDENCE_MAX * 4 + 1];
	struct store_person	owner;		/* id "": none */
	char			target_date[TIMEFMT_DATE_LEN];	/* "": none */
	int64_t			at;
	struct store_person	by;
};

/* One person on one shift of the rota (a shift with nobody on it has one
 * row, its duty's username ""). */
struct store_rota_row {
	char			shift_id[UUID_STR_LEN];
	char			date[TIMEFMT_DATE_LEN];
	char			name[ROTA_NAME_MAX * 4 + 1];
	struct cover_duty	duty;
	char			display_name[STAFF_NAME_MAX * 4 + 1];
};

/* The daemon's own figures for sections 6, 23, 33 and 35 over [from, to)
 * (store_readiness_live()). */
struct store_readiness_live {
	/* 6: arrivals, patients started on a substitute, departures */
	int64_t	arrivals, substitute, released_prison, released_court;
	int64_t	transfers, court_trips;
	/* 23: observations due in the period, by how they closed */
	int64_t	obs_on_time, obs_late, obs_missed;
	/* 33: continuity clocks started, and met by their deadline */
	int64_t	clocks, clocks_met;
	/* 35: doses due in the 12 hours before a departure, and given
	 * before it */
	int64_t	escort_doses, escort_given;
};

enum store_result store_readiness_live(struct store *, int64_t from,
	    int64_t to, struct store_readiness_live *);
enum store_result store_readiness_detox(struct store *, int64_t from,
	    int64_t to, void (*each)(const char *drug, int64_t n, void *),
	    void *arg);
enum store_result store_readiness_list(struct store *,
	    struct store_readiness_row rows[READINESS_SECTIONS]);
enum store_result store_readiness_put(struct store *,
	    const struct store_readiness_row *);
enum store_result store_readiness_history(struct store *, int number,
	    void (*each)(const struct store_readiness_row *, void *),
	    void *arg);

enum store_result store_rota_clear(struct store *, const char *date);
enum store_result store_rota_shift_add(struct store *,
	    const struct store_rota_row *, int position);
enum store_result store_rota_staff_add(struct store *, const char *shift_id,
	    const char *staff_id);
enum store_result store_rota_by_date(struct store *, const char *from,
	    const char *to, void (*each)(const struct store_rota_row *, void *),
	    void *arg);
enum store_result store_rota_duties(struct store *, int64_t from,
	    int64_t to, struct batch *);
enum store_result store_rota_kept(struct store *, int *kept);
enum store_result store_round_times(struct store *, int64_t now,
	    int times[COVER_MAX_TIMES], int *n);
enum store_result store_cover_alerted(struct store *, const char *from,
	    struct batch *);
enum store_result store_cover_alert_add(struct store *, const char *date,
	    const char *alert_id, int64_t now);

#endif
