/* The ward board of the managers' dashboard (GET /v1/board): what each
 * patient's row says, decided from their open observation due, the day's
 * doses, open alerts and tomorrow's movements, with `now` passed in. */
#ifndef IDTSD_BOARD_H
#define IDTSD_BOARD_H

#include <stdint.h>

#include "alert.h"
#include "dose.h"
#include "movement.h"
#include "observation.h"

#define BOARD_WORDS_MAX	64

enum board_obs {
	BOARD_OBS_NONE,		/* no observation plan open */
	BOARD_OBS_DUE,		/* due later, or now within the grace */
	BOARD_OBS_OVERDUE,	/* past its grace, still not taken */
};

struct board_row {
	int		news2;		/* the last score; -1: none */
	char		band[16];	/* its band; "" none */
	int64_t		last_taken_at;	/* 0: none */
	enum board_obs	obs;
	int64_t		obs_due_at;	/* 0 with BOARD_OBS_NONE */
	char		obs_words[BOARD_WORDS_MAX];
	int		round_due;	/* doses whose window is open now */
	int		round_given;	/* of those, given */
	int		day_due;	/* the local day's doses */
	int		day_given;
	int		day_not_taken;	/* refused, withheld, missed */
	int		alerts_open;
	int		alerts_worst;	/* an alert_severity; -1: none */
	int64_t		court_at;	/* tomorrow's departure; 0: none */
};

void	board_row_init(struct board_row *);
void	board_score(struct board_row *, int total, const char *band,
	    int64_t taken_at);
void	board_observation(struct board_row *, const struct observation_due *,
	    int64_t now);
void	board_dose(struct board_row *, const struct dose *, int standing,
	    int64_t now);
void	board_alert(struct board_row *, const struct alert *);
void	board_movement(struct board_row *, const struct movement *,
	    int64_t tomorrow_from, int64_t tomorrow_to);
int	board_compare(const struct board_row *, const struct board_row *);
const char *board_obs_name(enum board_obs);

#endif
