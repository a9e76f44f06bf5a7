/* JSON as text, whole or not at all. */
#ifndef IDTSD_JSON_OUT_H
#define IDTSD_JSON_OUT_H

#include <jansson.h>

char	*json_out_text(const json_t *, size_t flags);

#endif
