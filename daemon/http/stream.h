/* GET /v1/alerts/stream: server-sent events of alerts raised and
 * acknowledged, resumable with Last-Event-ID. */
#ifndef IDTSD_STREAM_H
#define IDTSD_STREAM_H

#include <stdint.h>

struct server;
struct evhttp_request;

int	stream_init(struct server *);
int	stream_open(struct server *, struct evhttp_request *, int64_t after,
	    const char *token_hash);
void	stream_publish(struct server *);
void	stream_end_session(struct server *, const char *token_hash);
void	stream_free(struct server *);
int	stream_count(const struct server *);
int	stream_parse_event_id(const char *, int64_t *after);

#endif
