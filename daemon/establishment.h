/* This establishment's signing key and the establishments it trusts, as
 * establishment.* in the config names them, loaded once at start. */
#ifndef IDTSD_ESTABLISHMENT_H
#define IDTSD_ESTABLISHMENT_H

#include "config.h"
#include "jws.h"

struct establishment {
	const char		*code;		/* "" when not configured */
	const char		*name;
	struct signing_key	*key;		/* NULL: it signs nothing */
	struct trusted		 list[CONFIG_TRUSTED_MAX];
	struct trust		 trust;
};

struct establishment *establishment_open(const struct config *);
void	establishment_free(struct establishment *);

#endif
