/* When to take an online backup, when the lack of one is overdue, and
 * which old ones to prune. */
#include "backup.h"

/* The earlier of two instants, where 0 means none. */
static int64_t
backup_earlier(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	return b != 0 && b < a ? b : a;
}

/* Whether a backup is due now, whether the want of a verified one is
 * overdue, and when to look again.  A backup is due one interval after
 * the last attempt (a failure waits its interval too, having alerted), or
 * one interval after the schedule began if there was none.  The wall
 * clock may step backwards (NTP, a corrected clock): a last attempt "in
 * the future" is taken as due now rather than waited for, so a step back
 * of a day cannot leave the record a day without a backup.  Overdue is
 * two intervals since the last verified backup (or the start) and is
 * never decided on a time that lies ahead.  While one is being taken
 * none is due: the next is planned from it once it is recorded. */
void
backup_plan(const struct backup_policy *p, const struct backup_history *h,
    int64_t now, struct backup_decision *d)
{
	int64_t	due_at, overdue_at, ref;

	d->due = d->overdue = 0;
	d->next_at = 0;
	if (p->interval_ms <= 0)
		return;
	if (h->last_attempt == 0)
		due_at = h->since + p->interval_ms;
	else if (h->last_attempt > now)
		due_at = now;
	else
		due_at = h->last_attempt + p->interval_ms;
	ref = h->last_verified != 0 ? h->last_verified : h->since;
	overdue_at = ref + 2 * p->interval_ms;
	d->due = !h->running && now >= due_at;
	d->overdue = ref <= now && now >= overdue_at;
	/* An overdue that has come is handled now; only one ahead is a
	 * time to wake for. */
	d->next_at = backup_earlier(h->running ? 0 : due_at,
	    overdue_at > now ? overdue_at : 0);
}

/* Which backups to prune: beyond the newest keep verified ones, every
 * verified one whose file is still there.  A failed backup never counts
 * (its file was removed when it failed), so failures cannot push a good
 * backup out.  The order is the order taken, not their times, which a
 * clock stepped backwards would misorder.  Sets prune[i]; returns how
 * many. */
size_t
backup_prune(const struct backup_policy *p, const struct backup_kept *b,
    size_t n, int *prune)
{
	size_t	i, count = 0;
	int	verified = 0;

	for (i = 0; i < n; i++) {
		prune[i] = 0;
		if (!b[i].verified)
			continue;
		verified++;
		if (verified > p->keep && !b[i].pruned) {
			prune[i] = 1;
			count++;
		}
	}
	return count;
}
