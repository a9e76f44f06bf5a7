/* Staff roles as a bit set.  Pure. */
#ifndef IDTSD_ROLES_H
#define IDTSD_ROLES_H

#include <jansson.h>

enum role {
	ROLE_NURSE = 1 << 0,		/* qualified; may administer */
	ROLE_COMPETENT = 1 << 1,	/* may witness controlled drugs */
	ROLE_PRESCRIBER = 1 << 2,
	ROLE_PHARMACIST = 1 << 3,	/* may witness; manages stock */
	ROLE_RECEPTION = 1 << 4,
	ROLE_CARAT = 1 << 5,
	ROLE_MANAGER = 1 << 6,
	ROLE_ADMIN = 1 << 7,
	ROLE_IDTS_LEAD = 1 << 8,	/* owns the readiness toolkit */
};

/* Who reads prescriptions (GET /v1/prescriptions in router.c's table,
 * docs/access-matrix.tsv): a patient is answered to anyone else without
 * them. */
#define ROLES_READ_PRESCRIPTIONS \
	(ROLE_NURSE | ROLE_PRESCRIBER | ROLE_PHARMACIST | ROLE_MANAGER)

int	 roles_parse_name(const char *name, unsigned *role);
int	 roles_from_json(const json_t *array, unsigned *roles);
json_t	*roles_to_json(unsigned roles);

#endif
