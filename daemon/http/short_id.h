/* Short ids in paths: a unique prefix of a record's id stands for it. */
#ifndef IDTSD_SHORT_ID_H
#define IDTSD_SHORT_ID_H

#include "request.h"

#define SHORT_ID_MIN	8	/* characters, as idtsctl's tables show */

int	short_id_expand(struct request *, const char *pattern,
	    char params[][64]);

#endif
