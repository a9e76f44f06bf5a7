/* The rule that keeps the unit administrable. */
#include "roles.h"
#include "staff.h"

/* No change may leave the unit without an active admin: the last one
 * gives the role to someone else before giving it up or leaving, or
 * nobody could add staff, reset a PIN or lift a lockout again.
 * other_active_admins counts the active admins other than this person. */
int
staff_check_admins_left(const struct staff *after, int other_active_admins,
    struct refusal *why)
{
	if (other_active_admins == 0 &&
	    (!after->active || (after->roles & ROLE_ADMIN) == 0))
		return refuse(why, 0, "last_admin", "this would leave no "
		    "active admin; give another person the admin role first");
	return 0;
}
