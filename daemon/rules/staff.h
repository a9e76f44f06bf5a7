/* A member of staff as the rules see one, and the rule that keeps the
 * unit administrable.  Pure. */
#ifndef IDTSD_STAFF_H
#define IDTSD_STAFF_H

#include <stdint.h>

#include "auth_lock.h"
#include "refusal.h"
#include "validate.h"

#define STAFF_NAME_MAX	100

struct staff {
	char		id[UUID_STR_LEN];
	char		username[USERNAME_MAX + 1];
	char		display_name[STAFF_NAME_MAX * 4 + 1];	/* UTF-8 */
	unsigned	roles;
	char		pin_hash[AUTH_HASH_LEN];
	int		active;
	struct auth_lock lock;
	int64_t		created_at;
};

int	staff_check_admins_left(const struct staff *after,
	    int other_active_admins, struct refusal *why);

#endif
