/* First run: the first admin account, with a PIN read from standard input,
 * so the daemon never ships with a default password. */
#ifndef IDTSD_BOOTSTRAP_H
#define IDTSD_BOOTSTRAP_H

#include <stdint.h>
#include <stdio.h>

struct store;

int	bootstrap_admin(struct store *, const char *username, FILE *in,
	    int64_t now, char **cause);

#endif
