/* Where the controlled-drug cover rule meets the store: the rounds of a
 * span of days checked against the duty rota, and the scheduler's job
 * that alerts the managers to a gap rota.warn_days ahead (the rules are
 * cover_check() and cover_fire()). */
#ifndef IDTSD_ROTA_H
#define IDTSD_ROTA_H

#include <stdint.h>

#include "batch.h"
#include "cover.h"

struct server;

/* A check and the duties it was made from (struct cover_duty), which the
 * rounds' nurse and witness index. */
struct rota_cover {
	struct cover_check	check;
	struct batch		duties;
};

struct rota_cover *rota_cover_check(struct server *, struct civil_date from,
	    int days, int64_t not_before);
void	rota_cover_free(struct rota_cover *);
int	rota_run(struct server *, int64_t now);
int	rota_next_deadline(struct server *, int64_t *at);

#endif
