/* The ward board's last scores: each patient in custody's latest
 * observation that was not entered in error, plan or no plan. */
#include <string.h>

#include "store_board.h"
#include "store_internal.h"

/* Feed each patient in custody's last score to each(). */
enum store_result
store_board_scores(struct store *s,
    void (*each)(const struct store_board_score *, void *), void *arg)
{
	static const char sql[] = "SELECT o.patient_id, o.taken_at, "
	    "o.total, o.band FROM patients p JOIN observations o ON o.id = "
	    "(SELECT id FROM observations WHERE patient_id = p.id AND id "
	    "NOT IN (SELECT observation_id FROM observation_errors) "
	    "ORDER BY taken_at DESC LIMIT 1) "
	    "WHERE p.status = 'in_custody'";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct store_board_score score;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&score, 0, sizeof score);
		store_copy_text(st, 0, score.patient_id,
		    sizeof score.patient_id);
		score.taken_at = sqlite3_column_int64(st, 1);
		score.total = sqlite3_column_int(st, 2);
		store_copy_text(st, 3, score.band, sizeof score.band);
		each(&score, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "the board's scores");
}
