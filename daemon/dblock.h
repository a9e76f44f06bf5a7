/* One daemon to a database (dblock.c). */
#ifndef IDTSD_DBLOCK_H
#define IDTSD_DBLOCK_H

int	dblock_take(const char *database, char **cause);

#endif
