/* The audit anchor: the chain's head signed with audit.key, at intervals
 * (a scheduler source) and at shutdown, kept in audit_anchors, in a file
 * beside the database and in the log. */
#ifndef IDTSD_ANCHORING_H
#define IDTSD_ANCHORING_H

#include <stdint.h>

#include "audit.h"

struct server;

int	anchoring_start(struct server *, int adopt);
int	anchoring_next_deadline(struct server *, int64_t *at);
int	anchoring_run(struct server *, int64_t now);
int	anchoring_now(struct server *);
int	anchoring_latest(struct server *, struct audit_anchor *,
	    enum audit_problem *);

#endif
