/* The escort's prescription summary and the discharge letter as plain
 * text for A4, rendered from the summary's JSON (api_summary.c). */
#ifndef IDTSD_SUMMARY_H
#define IDTSD_SUMMARY_H

#include <stdint.h>

#include <jansson.h>

#include "movement.h"
#include "prescription.h"

int	summary_includes(const struct prescription *,
	    const struct movement *, int64_t now);
char	*summary_render(const json_t *summary);

#endif
