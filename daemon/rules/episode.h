/* A treatment episode for the national returns: a patient's
 * prescriptions in this stay drawn together (the first start, the last
 * end or none while one runs, the drugs, why the last one ended).  Pure:
 * the store feeds each prescription. */
#ifndef IDTSD_EPISODE_H
#define IDTSD_EPISODE_H

#include <stdint.h>

#define EPISODE_OPEN		INT64_MAX	/* no end yet */
#define EPISODE_DRUGS_MAX	512		/* bytes */
#define EPISODE_REASON_MAX	2001		/* bytes */

/* One prescription as the episode reads it: it ends at ends_at (the end
 * date's, or EPISODE_OPEN) or when stopped, whichever is first. */
struct episode_rx {
	int64_t		 starts_at;
	int64_t		 ends_at;
	int64_t		 stopped_at;	/* 0: not stopped */
	const char	*drug;
	const char	*stop_reason;	/* or NULL */
};

struct episode {
	int	n;		/* prescriptions */
	int64_t	start;
	int64_t	end;		/* EPISODE_OPEN while one runs */
	char	drugs[EPISODE_DRUGS_MAX];	/* "; " between names */
	char	discharge_reason[EPISODE_REASON_MAX];
};

void	episode_begin(struct episode *);
void	episode_add(struct episode *, const struct episode_rx *);
int	episode_overlaps(const struct episode *, int64_t from, int64_t to);

#endif
