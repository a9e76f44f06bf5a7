/* The managers' web dashboard: a second listener on the same event base
 * (dashboard.listen) that serves the dashboard's static files and, under
 * /v1/, the same API through the same router, sessions, roles and
 * terminal rules.  One origin, so no CORS.  Every answer from it carries
 * a strict Content-Security-Policy: the pages run only their own scripts
 * and styles, talk only to this origin and cannot be framed. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "server.h"

/* The largest file served: Chart.js is about 200 KiB. */
#define DASHBOARD_FILE_MAX	(4 * 1024 * 1024)
/* Where the app asks for Chart.js (dashboard.chartjs says where it is). */
#define DASHBOARD_CHARTJS	"/vendor/chart.min.js"

#define DASHBOARD_CSP							\
	"default-src 'none'; script-src 'self'; style-src 'self'; "	\
	"img-src 'self'; connect-src 'self'; frame-ancestors 'none'; "	\
	"base-uri 'none'; form-action 'none'"

/* The types served, by a file's ending; any other file is not found. */
static const struct {
	const char	*ending;
	const char	*type;
} dashboard_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
};

/* The type of a file by its name, or NULL if it is not served. */
static const char *
dashboard_type(const char *name)
{
	size_t	len = strlen(name), i, n;

	for (i = 0; i < sizeof dashboard_types / sizeof dashboard_types[0];
	    i++) {
		n = strlen(dashboard_types[i].ending);
		if (len > n &&
		    strcmp(name + len - n, dashboard_types[i].ending) == 0)
			return dashboard_types[i].type;
	}
	return NULL;
}

/* Whether a decoded path names a file inside the directory: segments of
 * letters, digits, '-', '_' and '.', none empty or starting with a dot
 * (no "..", no hidden file), so nothing above the directory is named. */
static int
dashboard_path_ok(const char *path)
{
	const char	*p;
	int		 start = 1;

	if (path[0] != '/' || path[1] == '\0')
		return 0;
	for (p = path + 1; *p != '\0'; p++) {
		if (*p == '/') {
			if (start)
				return 0;	/* an empty segment */
			start = 1;
			continue;
		}
		if (start && *p == '.')
			return 0;
		start = 0;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return 0;
	}
	return !start;
}

/* The headers every answer of the dashboard's listener carries. */
static void
dashboard_headers(struct evhttp_request *req)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);

	evhttp_add_header(out, "Content-Security-Policy", DASHBOARD_CSP);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "Referrer-Policy", "no-referrer");
	evhttp_add_header(out, "X-Frame-Options", "DENY");
}

/* Send the answer built, without its body for a HEAD: evhttp sends
 * the output buffer whatever the method, and a client that asked HEAD on
 * a kept-alive connection would read that body as the next answer. */
static void
dashboard_send(struct evhttp_request *req, int status)
{
	struct evbuffer	*buf = evhttp_request_get_output_buffer(req);
	char		 len[24];

	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		snprintf(len, sizeof len, "%zu", evbuffer_get_length(buf));
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Length", len);
		evbuffer_drain(buf, evbuffer_get_length(buf));
	}
	evhttp_send_reply(req, status, NULL, NULL);
}

/* A plain-text error. */
static void
dashboard_error(struct evhttp_request *req, int status, const char *words)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);

	evhttp_add_header(out, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if (status == 405)
		evhttp_add_header(out, "Allow", "GET, HEAD");
	evbuffer_add_printf(evhttp_request_get_output_buffer(req), "%s\n",
	    words);
	dashboard_send(req, status);
}

/* Read a regular file of at most DASHBOARD_FILE_MAX bytes into buf,
 * following no link in its last part; -1 if it cannot be.  Opened
 * without blocking: a FIFO named like a file would otherwise stop the
 * event loop, every terminal with it, until someone wrote to it. */
static int
dashboard_read(const char *file, struct evbuffer *buf)
{
	struct stat	 st;
	int		 fd, n = 0;

	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC))
	    == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > DASHBOARD_FILE_MAX) {
		close(fd);
		return -1;
	}
	while (evbuffer_get_length(buf) < (size_t)st.st_size &&
	    (n = evbuffer_read(buf, fd, (int)st.st_size)) > 0)
		;
	close(fd);
	return n < 0 ? -1 : 0;
}

/* The file a path names: Chart.js where it is installed, or a file
 * under the directory, which must really be there (realpath) and not
 * reached by a link from outside it.  0, or -1 when none. */
static int
dashboard_file(const struct config *cfg, const char *path, char *file,
    size_t len)
{
	char	 root[PATH_MAX], real[PATH_MAX];
	size_t	 n;

	if (strcmp(path, DASHBOARD_CHARTJS) == 0)
		return snprintf(file, len, "%s", cfg->dashboard_chartjs) <
		    (int)len ? 0 : -1;
	if (!dashboard_path_ok(path) ||
	    realpath(cfg->dashboard_directory, root) == NULL ||
	    snprintf(file, len, "%s%s", root, path) >= (int)len ||
	    realpath(file, real) == NULL)
		return -1;
	n = strlen(root);
	return strncmp(real, root, n) == 0 && real[n] == '/' ? 0 : -1;
}

/* Serve one static file, GET or HEAD. */
static void
dashboard_static(struct evhttp_request *req, const struct config *cfg,
    const char *path)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*buf = evhttp_request_get_output_buffer(req);
	const char		*type;
	char			 file[PATH_MAX];

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	if ((type = dashboard_type(path)) == NULL ||
	    dashboard_file(cfg, path, file, sizeof file) == -1 ||
	    dashboard_read(file, buf) == -1) {
		evbuffer_drain(buf, evbuffer_get_length(buf));
		dashboard_error(req, 404, "not found");
		return;
	}
	evhttp_add_header(out, "Content-Type", type);
	/* Asked again each time, so an upgrade is seen at once. */
	evhttp_add_header(out, "Cache-Control", "no-cache");
	dashboard_send(req, 200);
}

/* Every request to the dashboard's listener: the API's to the router,
 * the rest to the static files. */
static void
dashboard_request(struct evhttp_request *req, void *arg)
{
	struct server		*srv = arg;
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(req);
	const char		*raw = uri ? evhttp_uri_get_path(uri) : NULL;
	char			*path;
	size_t			 len;
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);

	dashboard_headers(req);
	if (raw != NULL && strncmp(raw, "/v1/", 4) == 0) {
		/* As the API's own listener answers a HEAD. */
		if (cmd == EVHTTP_REQ_HEAD)
			dashboard_error(req, 501, "not implemented");
		else
			http_request(req, srv);
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		dashboard_error(req, 405, "only GET and HEAD");
		return;
	}
	/* Decoded, so "%2e%2e" is seen as the ".." it is; a "%00" cuts
	 * the string short and is refused. */
	if (raw == NULL || (path = evhttp_uridecode(raw, 0, &len)) == NULL) {
		dashboard_error(req, 404, "not found");
		return;
	}
	if (strlen(path) != len)
		path[0] = '\0';
	dashboard_static(req, srv->cfg, path);
	free(path);
}

/* The dashboard's listener, if dashboard.listen is set. */
int
dashboard_start(struct http *h, char **cause)
{
	const struct config	*cfg = h->srv->cfg;

	if (cfg->dashboard_port == 0)
		return 0;
	if ((h->dash_evh = http_evhttp_new(h, dashboard_request)) == NULL)
		return -1;
	/* The API's methods, and HEAD for the files. */
	evhttp_set_allowed_methods(h->dash_evh, EVHTTP_REQ_GET |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PATCH |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_PUT);
	if ((h->dash_listener = http_listen(h, h->dash_evh,
	    cfg->dashboard_address, cfg->dashboard_port, cause)) == NULL)
		return -1;
	log_info("the dashboard is at http%s://%s:%d/ (files in %s)",
	    h->tls ? "s" : "", cfg->dashboard_address, cfg->dashboard_port,
	    cfg->dashboard_directory);
	return 0;
}

/* Close the dashboard's connections and listener. */
void
dashboard_free(struct http *h)
{
	if (h->dash_evh != NULL)
		evhttp_free(h->dash_evh);
	h->dash_evh = NULL;
	h->dash_listener = NULL;	/* evhttp_free freed it */
}
