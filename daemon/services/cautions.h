/* Where the caution rules meet the store: the cautions of a dose to be
 * given now, and those confirmed when it was given.  Used by the dose
 * round's requests, inside their transaction. */
#ifndef IDTSD_CAUTIONS_H
#define IDTSD_CAUTIONS_H

#include <stdint.h>

#include "caution.h"

struct server;
struct store_dose_row;

int	cautions_of_dose(struct server *, const struct store_dose_row *,
	    int64_t now, struct caution_list *);
int	cautions_shown(struct server *, const struct store_dose_row *,
	    int64_t now, struct caution_list *);
int	cautions_confirm(struct server *, const char *dose_id,
	    const struct caution_list *, const char *staff_id, int64_t now);

#endif
