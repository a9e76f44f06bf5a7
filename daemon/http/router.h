/* The table of API routes, and running one request through sign-in, role
 * checks, idempotency and its transaction. */
#ifndef IDTSD_ROUTER_H
#define IDTSD_ROUTER_H

struct metrics_route_name;
struct request;

void	router_dispatch(struct request *);
int	router_route_name(int, struct metrics_route_name *);

#endif
