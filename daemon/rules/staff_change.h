/* Two people for access: a grant of a guarded role (one that signs
 * controlled drugs, or one that approves access), a PIN reset of someone
 * who holds one, and the reactivation of an account that holds one, wait
 * for a second admin or manager; nobody approves their own request or
 * changes their own roles.  Pure. */
#ifndef IDTSD_STAFF_CHANGE_H
#define IDTSD_STAFF_CHANGE_H

#include <stdint.h>

#include "alert.h"
#include "roles.h"
#include "staff.h"

/* The roles that sign controlled drugs. */
#define STAFF_CLINICAL_ROLES	(ROLE_NURSE | ROLE_COMPETENT | ROLE_PHARMACIST)
/* The roles that approve a change of access. */
#define STAFF_DECIDER_ROLES	(ROLE_ADMIN | ROLE_MANAGER)
/* The roles a grant of which waits: a decider given at once would be the
 * second person of its own asker's changes. */
#define STAFF_GUARDED_ROLES	(STAFF_CLINICAL_ROLES | STAFF_DECIDER_ROLES)
/* How long a change waits for its second person before it expires. */
#define STAFF_CHANGE_TTL_MS	(7 * 24 * 3600 * 1000LL)

enum staff_change_kind {
	STAFF_CHANGE_GRANT,
	STAFF_CHANGE_RESET,
};

enum staff_change_state {
	STAFF_CHANGE_PENDING,
	STAFF_CHANGE_APPROVED,
	STAFF_CHANGE_DECLINED,
	STAFF_CHANGE_SUPERSEDED,	/* a newer request of the same kind */
	STAFF_CHANGE_EXPIRED,		/* pending at expires_at; not stored */
};

struct staff_change {
	char			 id[UUID_STR_LEN];
	char			 staff_id[UUID_STR_LEN];
	enum staff_change_kind	 kind;
	unsigned		 roles;		/* a grant's guarded roles */
	char			 pin_hash[AUTH_HASH_LEN];	/* a reset's */
	char			 requested_by[UUID_STR_LEN];
	int64_t			 requested_at;
	int64_t			 expires_at;
	enum staff_change_state	 state;		/* as stored */
	char			 decided_by[UUID_STR_LEN];	/* or "" */
	int64_t			 decided_at;	/* 0 while pending */
};

/* What an admin asks of a person's roles, PIN and whether they are
 * active: a new account, or a PATCH. */
struct staff_ask {
	int		 creating;	/* a new account: its first PIN */
	int		 roles_asked;
	unsigned	 roles;
	int		 pin_asked;
	int		 activate;	/* active: true asked */
};

/* What the ask comes to. */
struct staff_plan {
	unsigned	 roles_now;	/* the roles in effect at once */
	unsigned	 grant;		/* roles that wait; 0: no grant */
	int		 pin_now;	/* the new PIN takes effect at once */
	int		 reset;		/* the new PIN waits */
	int		 supersede_grant; /* a pending grant is superseded */
	int		 supersede_reset; /* a pending reset is superseded */
};

/* What an approval or a decline comes to. */
struct staff_decision {
	int			 forbidden;	/* refused for who (403) */
	enum staff_change_state	 state;		/* approved or declined */
	struct staff		 after;		/* the person, once decided */
	int			 end_sessions;	/* a new PIN ends them */
};

/* What a manager is told. */
enum staff_change_event {
	STAFF_EVENT_REQUESTED,
	STAFF_EVENT_APPROVED,
	STAFF_EVENT_DECLINED,
	STAFF_EVENT_OWN_PIN,
};

const char *staff_change_kind_name(enum staff_change_kind);
const char *staff_change_state_name(enum staff_change_state);
int	staff_change_kind_parse(const char *, enum staff_change_kind *);
int	staff_change_state_parse(const char *, enum staff_change_state *);
int	staff_same_person(const char *a_id, const char *b_id);
enum staff_change_state staff_change_state_at(const struct staff_change *,
	    int64_t now);
int	staff_change_plan(const struct staff *before, unsigned pending_grant,
	    const char *actor_id, const struct staff_ask *,
	    struct staff_plan *, struct refusal *why);
void	staff_change_new(struct staff_change *, enum staff_change_kind,
	    const char *staff_id, const char *actor_id, int64_t now);
int	staff_change_decide(const struct staff_change *,
	    const struct staff *subject, const struct staff *decider,
	    int approve, int64_t now, struct staff_decision *,
	    struct refusal *why);
void	staff_change_alert(struct alert *, enum staff_change_event,
	    const struct staff_change *, const struct staff *subject,
	    const struct staff *actor, int64_t now);

#endif
