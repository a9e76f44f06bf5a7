/* idtsd --restore FILE: put a verified backup in place of the database. */
#ifndef IDTSD_RESTORE_H
#define IDTSD_RESTORE_H

#include "config.h"

int	restore_run(const struct config *, const char *file);

#endif
