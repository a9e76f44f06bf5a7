/* The ward board's read of the last scores (store_board.c); the rest of
 * the board comes from the store's usual lists (api_board.c). */
#ifndef IDTSD_STORE_BOARD_H
#define IDTSD_STORE_BOARD_H

#include "store.h"

/* A patient's last observation not entered in error. */
struct store_board_score {
	char	patient_id[UUID_STR_LEN];
	int64_t	taken_at;
	int	total;
	char	band[16];
};

enum store_result store_board_scores(struct store *,
	    void (*each)(const struct store_board_score *, void *), void *arg);

#endif
