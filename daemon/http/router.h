/* The table of API routes, and running one request through sign-in, role
 * checks, idempotency and its transaction. */
#ifndef IDTSD_ROUTER_H
#define IDTSD_ROUTER_H

struct request;

void	router_dispatch(struct request *);

#endif
