/* A request on its way through the HTTP edge, for the parts of the edge
 * that keep one waiting: the PIN pool (http.c), a held answer (http.c),
 * the batch that commits together (http_batch.c) and work off the loop
 * (request_defer()). */
#ifndef IDTSD_HTTP_CALL_H
#define IDTSD_HTTP_CALL_H

#include "request.h"
#include "request_pin.h"

struct http;
struct evhttp_request;

/* One request from its arrival to its answer: the runs it takes (again
 * after PIN work), and an answer that waits. */
struct http_call {
	struct http		*h;
	struct evhttp_request	*req;		/* NULL once closed */
	struct request		 first;		/* each run starts from it */
	struct request_pins	 pins;
	int			 runs;
	int			 waiting;	/* jobs in the pool */
	int			 watching;	/* our close callback is set */
	int			 held;		/* its answer was held */
	struct event		*hold;		/* until the answer is sent */
	struct request		 answer;	/* the answer held */
	int			 batched;	/* waits for the batch */
	int			 deferred;	/* waits for request_resume() */
	struct http_call	*batch_next;
};

void	http_answer(struct http_call *, struct request *);
void	http_watch(struct http_call *);
void	http_call_free(struct http_call *);

/* The batch (http_batch.c). */
int	http_batch_start(struct http *);
void	http_batch_add(struct http_call *, const struct request *);
void	http_batch_arm(struct http *);
void	http_batch_flush(void *http);
void	http_batch_stop(struct http *);

#endif
