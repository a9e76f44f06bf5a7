/* Fault injection for the I/O and allocation fault tests (issue 8):
 * linked only into the test binary faults/idtsd-faults (the daemon's
 * main.o and libidtsd.a with this file), never into idtsd, so the
 * daemon's own code carries no test hook.  A constructor reads the plan
 * from the environment before main() runs:
 *
 *   IDTS_FAULT=count		fail nothing, count and log (the default)
 *   IDTS_FAULT=io:KIND:N:ERR	the Nth xWrite, xSync or xTruncate (KIND
 *				write, sync or truncate) since the process
 *				started fails with SQLITE_IOERR_WRITE,
 *				_FSYNC or _TRUNCATE (ERR ioerr) or with
 *				SQLITE_FULL (ERR full)
 *   IDTS_FAULT=alloc:N		the Nth allocation after the daemon said
 *				READY=1 fails
 *   IDTS_FAULT=alloc-startup:N	the Nth allocation since the process
 *				started fails (a fault in start-up)
 *
 * Every fault is one-shot: once it has fired, everything succeeds again,
 * so the test can show that the daemon recovers.
 *
 * I/O: a shim VFS, registered as the default, over the real default one;
 * each file it opens gets io_methods that count (and fail) xWrite, xSync
 * and xTruncate and pass everything else through.
 *
 * Allocations counted (and failed): SQLite's (SQLITE_CONFIG_MALLOC over
 * its default methods), and the daemon's own malloc, calloc, realloc,
 * reallocarray, strdup, asprintf and open_memstream, which the link
 * redirects here with -Wl,--wrap (only the daemon's objects and this
 * file are wrapped, not the libraries); jansson's among them, since the
 * daemon gives jansson its own allocator (daemon/json_alloc.c).  libevent's (event_set_mem_functions) only while the
 * daemon is in one of the libevent calls it makes for a request (the
 * evbuffer, header, reply, query and timer calls wrapped below): a
 * failure deeper in evhttp's own machinery finds bugs in libevent 2.1.12,
 * not in the daemon (evhttp_request_new frees the headers it failed to
 * allocate, a NULL dereference; a failed evbuffer_readln while reading a
 * request leaves the connection hanging until its timeout), so those are
 * neither counted nor failed.  Nor are jansson's inside json_loadb() and
 * json_loads(): jansson 2.14's lexer ignores a failed append to the text
 * it keeps (lex_save(), akheron/jansson#362) and then walks past its
 * buffer, a heap overflow in the library that no caller can prevent.
 * OpenSSL's are not either: its lazy initialisation fails for good after
 * one failed allocation, which is OpenSSL's affair.
 *
 * When allocations start to count: the daemon calls sd_notify("READY=1")
 * after start-up, just before its event loop; --wrap=sd_notify lets this
 * file see that moment.  The test then sends requests one at a time and
 * nothing else runs in the daemon (its time is pinned far from every
 * deadline), so the Nth allocation after READY is the same allocation in
 * every run.  --wrap=router_dispatch tells the log which request is in
 * the router when a fault fires.
 *
 * IDTS_FAULT_LOG=FILE gets one line per event, where C is "write=W
 * sync=S truncate=T alloc=A" (A counted since READY; before it, since
 * the start):
 *   plan PLAN
 *   ready C			start-up is done
 *   begin SEQ METHOD PATH C	a request enters the router
 *   end SEQ STATUS C		and leaves it
 *   fired WHAT N in SEQ METHOD PATH | fired WHAT N outside (after SEQ)
 *				followed by "  at ..." backtrace lines
 *   exit C
 * written with write(2), so logging never allocates.
 */
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>
#include <sqlite3.h>

#include "request.h"

enum fi_kind { FI_NONE, FI_WRITE, FI_SYNC, FI_TRUNCATE, FI_ALLOC,
    FI_ALLOC_STARTUP };

static struct {
	enum fi_kind	 kind;
	unsigned long	 n;
	int		 full;		/* SQLITE_FULL rather than an IOERR */
} fi_plan;

static int		 fi_log = -1;
static int		 fi_armed;	/* the hooks are in place */
static int		 fi_fired;
static int		 fi_ready;
static unsigned long	 fi_writes, fi_syncs, fi_truncates;
static unsigned long	 fi_allocs, fi_allocs_at_ready;
static unsigned long	 fi_seq;
static int		 fi_in_libevent;	/* in a libevent call of ours */
static int		 fi_in_json_load;	/* in jansson's parser */
static struct request	*fi_request;	/* in the router, or NULL */
static const char	*fi_method_names[] = {
	"GET", "POST", "PATCH", "DELETE", "OTHER"
};

/* The wrapped functions' prototypes (-Wmissing-prototypes). */
void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	*__real_reallocarray(void *, size_t, size_t);
char	*__real_strdup(const char *);
FILE	*__real_open_memstream(char **, size_t *);
int	 __real_sd_notify(int, const char *);
void	 __real_router_dispatch(struct request *);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	*__wrap_reallocarray(void *, size_t, size_t);
char	*__wrap_strdup(const char *);
int	 __wrap_asprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
FILE	*__wrap_open_memstream(char **, size_t *);
int	 __wrap_sd_notify(int, const char *);
void	 __wrap_router_dispatch(struct request *);
struct server;
int	 __wrap_dbcheck_start(struct server *);
struct evbuffer *__real_evbuffer_new(void);
int	 __real_evbuffer_add(struct evbuffer *, const void *, size_t);
unsigned char *__real_evbuffer_pullup(struct evbuffer *, ev_ssize_t);
int	 __real_evhttp_add_header(struct evkeyvalq *, const char *,
	    const char *);
void	 __real_evhttp_send_reply(struct evhttp_request *, int, const char *,
	    struct evbuffer *);
int	 __real_evhttp_parse_query_str(const char *, struct evkeyvalq *);
struct bufferevent *__real_bufferevent_socket_new(struct event_base *,
	    evutil_socket_t, int);
int	 __real_event_add(struct event *, const struct timeval *);
struct evbuffer *__wrap_evbuffer_new(void);
int	 __wrap_evbuffer_add(struct evbuffer *, const void *, size_t);
unsigned char *__wrap_evbuffer_pullup(struct evbuffer *, ev_ssize_t);
int	 __wrap_evhttp_add_header(struct evkeyvalq *, const char *,
	    const char *);
void	 __wrap_evhttp_send_reply(struct evhttp_request *, int, const char *,
	    struct evbuffer *);
int	 __wrap_evhttp_parse_query_str(const char *, struct evkeyvalq *);
struct bufferevent *__wrap_bufferevent_socket_new(struct event_base *,
	    evutil_socket_t, int);
int	 __wrap_event_add(struct event *, const struct timeval *);
json_t	*__real_json_loadb(const char *, size_t, size_t, json_error_t *);
json_t	*__real_json_loads(const char *, size_t, json_error_t *);
json_t	*__wrap_json_loadb(const char *, size_t, size_t, json_error_t *);
json_t	*__wrap_json_loads(const char *, size_t, json_error_t *);

/* --- the log -------------------------------------------------------- */

static void fi_say(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A line to the log, if there is one. */
static void
fi_say(const char *fmt, ...)
{
	char	line[512];
	va_list	ap;
	int	n;

	if (fi_log == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (write(fi_log, line, (size_t)n) == -1)
		return;
}

/* The counters, as the log shows them. */
static void
fi_counters(char *out, size_t size)
{
	snprintf(out, size, "write=%lu sync=%lu truncate=%lu alloc=%lu",
	    fi_writes, fi_syncs, fi_truncates, fi_ready ?
	    fi_allocs - fi_allocs_at_ready : fi_allocs);
}

/* Say that the fault fired, where, and the stack that asked. */
static void
fi_fire(const char *what, unsigned long n)
{
	void	*frames[32];
	char	 where[300];
	int	 nframes, i;

	fi_fired = 1;
	if (fi_request != NULL)
		snprintf(where, sizeof where, "in %lu %s %s", fi_seq,
		    fi_method_names[fi_request->method],
		    fi_request->path ? fi_request->path : "?");
	else
		snprintf(where, sizeof where, "outside (after %lu)", fi_seq);
	fi_say("fired %s %lu %s", what, n, where);
	if (fi_log == -1)
		return;
	/* Skip this function and the hook that called it. */
	nframes = backtrace(frames, 32);
	for (i = 2; i < nframes && i < 14; i++) {
		if (write(fi_log, "  at ", 5) == -1)
			return;
		backtrace_symbols_fd(&frames[i], 1, fi_log);
	}
}

/* --- I/O: the shim VFS ------------------------------------------------ */

static sqlite3_vfs	*fi_real_vfs;

/* A file of the shim: its own sqlite3_file, then the real one. */
struct fi_file {
	sqlite3_file	 base;
	sqlite3_file	*real;
};

#define FI_REAL(f)	(((struct fi_file *)(f))->real)

/* Whether this call of kind k is the one to fail; counts it. */
static int
fi_io_fails(enum fi_kind k, unsigned long *counter, const char *name)
{
	++*counter;
	if (fi_fired || fi_plan.kind != k || *counter != fi_plan.n)
		return 0;
	fi_fire(name, *counter);
	return 1;
}

static int
fi_io_error(int ioerr)
{
	return fi_plan.full ? SQLITE_FULL : ioerr;
}

static int
fi_close(sqlite3_file *f)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xClose(real);
}

static int
fi_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xRead(real, buf, n, off);
}

static int
fi_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file	*real = FI_REAL(f);

	if (fi_io_fails(FI_WRITE, &fi_writes, "write"))
		return fi_io_error(SQLITE_IOERR_WRITE);
	return real->pMethods->xWrite(real, buf, n, off);
}

static int
fi_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	sqlite3_file	*real = FI_REAL(f);

	if (fi_io_fails(FI_TRUNCATE, &fi_truncates, "truncate"))
		return fi_io_error(SQLITE_IOERR_TRUNCATE);
	return real->pMethods->xTruncate(real, size);
}

static int
fi_sync(sqlite3_file *f, int flags)
{
	sqlite3_file	*real = FI_REAL(f);

	if (fi_io_fails(FI_SYNC, &fi_syncs, "sync"))
		return fi_io_error(SQLITE_IOERR_FSYNC);
	return real->pMethods->xSync(real, flags);
}

static int
fi_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xFileSize(real, size);
}

static int
fi_lock(sqlite3_file *f, int level)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xLock(real, level);
}

static int
fi_unlock(sqlite3_file *f, int level)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xUnlock(real, level);
}

static int
fi_check_reserved_lock(sqlite3_file *f, int *out)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xCheckReservedLock(real, out);
}

static int
fi_file_control(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xFileControl(real, op, arg);
}

static int
fi_sector_size(sqlite3_file *f)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xSectorSize(real);
}

static int
fi_device_characteristics(sqlite3_file *f)
{
	sqlite3_file	*real = FI_REAL(f);

	return real->pMethods->xDeviceCharacteristics(real);
}

static int
fi_shm_map(sqlite3_file *f, int region, int size, int extend,
    void volatile **out)
{
	sqlite3_file	*real = FI_REAL(f);

	if (real->pMethods->iVersion < 2)
		return SQLITE_IOERR_SHMMAP;
	return real->pMethods->xShmMap(real, region, size, extend, out);
}

static int
fi_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	sqlite3_file	*real = FI_REAL(f);

	if (real->pMethods->iVersion < 2)
		return SQLITE_IOERR_SHMLOCK;
	return real->pMethods->xShmLock(real, offset, n, flags);
}

static void
fi_shm_barrier(sqlite3_file *f)
{
	sqlite3_file	*real = FI_REAL(f);

	if (real->pMethods->iVersion >= 2)
		real->pMethods->xShmBarrier(real);
}

static int
fi_shm_unmap(sqlite3_file *f, int delete)
{
	sqlite3_file	*real = FI_REAL(f);

	if (real->pMethods->iVersion < 2)
		return SQLITE_OK;
	return real->pMethods->xShmUnmap(real, delete);
}

static int
fi_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	sqlite3_file	*real = FI_REAL(f);

	if (real->pMethods->iVersion < 3) {
		*out = NULL;
		return SQLITE_OK;
	}
	return real->pMethods->xFetch(real, off, n, out);
}

static int
fi_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	sqlite3_file	*real = FI_REAL(f);

	if (real->pMethods->iVersion < 3)
		return SQLITE_OK;
	return real->pMethods->xUnfetch(real, off, p);
}

static const sqlite3_io_methods fi_io_methods = {
	3,
	fi_close,
	fi_read,
	fi_write,
	fi_truncate,
	fi_sync,
	fi_file_size,
	fi_lock,
	fi_unlock,
	fi_check_reserved_lock,
	fi_file_control,
	fi_sector_size,
	fi_device_characteristics,
	fi_shm_map,
	fi_shm_lock,
	fi_shm_barrier,
	fi_shm_unmap,
	fi_fetch,
	fi_unfetch,
};

/* Open the real file behind ours, and give ours the counting methods. */
static int
fi_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct fi_file	*ff = (struct fi_file *)f;
	int		 rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	rc = fi_real_vfs->xOpen(fi_real_vfs, name, ff->real, flags, out_flags);
	ff->base.pMethods = ff->real->pMethods != NULL ? &fi_io_methods : NULL;
	return rc;
}

static int
fi_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return fi_real_vfs->xDelete(fi_real_vfs, name, sync_dir);
}

static int
fi_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return fi_real_vfs->xAccess(fi_real_vfs, name, flags, out);
}

static int
fi_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return fi_real_vfs->xFullPathname(fi_real_vfs, name, n, out);
}

static void *
fi_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fi_real_vfs->xDlOpen(fi_real_vfs, name);
}

static void
fi_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	fi_real_vfs->xDlError(fi_real_vfs, n, out);
}

static void
(*fi_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return fi_real_vfs->xDlSym(fi_real_vfs, h, sym);
}

static void
fi_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	fi_real_vfs->xDlClose(fi_real_vfs, h);
}

static int
fi_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fi_real_vfs->xRandomness(fi_real_vfs, n, out);
}

static int
fi_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return fi_real_vfs->xSleep(fi_real_vfs, us);
}

static int
fi_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return fi_real_vfs->xCurrentTime(fi_real_vfs, out);
}

static int
fi_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fi_real_vfs->xGetLastError(fi_real_vfs, n, out);
}

static int
fi_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return fi_real_vfs->xCurrentTimeInt64(fi_real_vfs, out);
}

static int
fi_set_system_call(sqlite3_vfs *vfs, const char *name,
    sqlite3_syscall_ptr p)
{
	(void)vfs;
	return fi_real_vfs->xSetSystemCall(fi_real_vfs, name, p);
}

static sqlite3_syscall_ptr
fi_get_system_call(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fi_real_vfs->xGetSystemCall(fi_real_vfs, name);
}

static const char *
fi_next_system_call(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fi_real_vfs->xNextSystemCall(fi_real_vfs, name);
}

static sqlite3_vfs	fi_vfs = {
	3, 0, 0, NULL, "idts-faults", NULL,
	fi_open, fi_delete, fi_access, fi_full_pathname, fi_dlopen,
	fi_dlerror, fi_dlsym, fi_dlclose, fi_randomness, fi_sleep,
	fi_current_time, fi_get_last_error, fi_current_time_int64,
	fi_set_system_call, fi_get_system_call, fi_next_system_call,
};

/* --- allocations ------------------------------------------------------ */

/* Whether this allocation is the one to fail; counts it. */
static int
fi_alloc_fails(void)
{
	unsigned long	n;

	/* SQLite's own start in fi_init() is the harness's, not the
	 * daemon's. */
	if (!fi_armed)
		return 0;
	/* Nor jansson's parser's (see the top of the file). */
	if (fi_in_json_load)
		return 0;
	n = ++fi_allocs;
	if (fi_fired)
		return 0;
	if (fi_plan.kind == FI_ALLOC_STARTUP && !fi_ready && n == fi_plan.n) {
		fi_fire("alloc-startup", n);
		return 1;
	}
	if (fi_plan.kind == FI_ALLOC && fi_ready &&
	    n - fi_allocs_at_ready == fi_plan.n) {
		fi_fire("alloc", n - fi_allocs_at_ready);
		return 1;
	}
	return 0;
}

void *
__wrap_malloc(size_t n)
{
	if (fi_alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	if (fi_alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	if (fi_alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_realloc(p, n);
}

void *
__wrap_reallocarray(void *p, size_t n, size_t size)
{
	if (fi_alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_reallocarray(p, n, size);
}

char *
__wrap_strdup(const char *s)
{
	if (fi_alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_strdup(s);
}

int
__wrap_asprintf(char **out, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (fi_alloc_fails()) {
		errno = ENOMEM;
		return -1;
	}
	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	return n;
}

FILE *
__wrap_open_memstream(char **p, size_t *size)
{
	if (fi_alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_open_memstream(p, size);
}

json_t *
__wrap_json_loadb(const char *p, size_t n, size_t flags, json_error_t *err)
{
	json_t	*j;

	fi_in_json_load++;
	j = __real_json_loadb(p, n, flags, err);
	fi_in_json_load--;
	return j;
}

json_t *
__wrap_json_loads(const char *p, size_t flags, json_error_t *err)
{
	json_t	*j;

	fi_in_json_load++;
	j = __real_json_loads(p, flags, err);
	fi_in_json_load--;
	return j;
}

static void
fi_lib_free(void *p)
{
	free(p);
}

/* libevent's: counted and failed only inside the calls below. */
static void *
fi_event_malloc(size_t n)
{
	return fi_in_libevent && fi_alloc_fails() ? NULL : __real_malloc(n);
}

static void *
fi_event_realloc(void *p, size_t n)
{
	return fi_in_libevent && fi_alloc_fails() ? NULL :
	    __real_realloc(p, n);
}

/* The libevent calls the daemon makes for a request, whose allocations
 * count. */
struct evbuffer *
__wrap_evbuffer_new(void)
{
	struct evbuffer	*b;

	fi_in_libevent++;
	b = __real_evbuffer_new();
	fi_in_libevent--;
	return b;
}

int
__wrap_evbuffer_add(struct evbuffer *b, const void *p, size_t n)
{
	int	rc;

	fi_in_libevent++;
	rc = __real_evbuffer_add(b, p, n);
	fi_in_libevent--;
	return rc;
}

unsigned char *
__wrap_evbuffer_pullup(struct evbuffer *b, ev_ssize_t n)
{
	unsigned char	*p;

	fi_in_libevent++;
	p = __real_evbuffer_pullup(b, n);
	fi_in_libevent--;
	return p;
}

int
__wrap_evhttp_add_header(struct evkeyvalq *h, const char *k, const char *v)
{
	int	rc;

	fi_in_libevent++;
	rc = __real_evhttp_add_header(h, k, v);
	fi_in_libevent--;
	return rc;
}

void
__wrap_evhttp_send_reply(struct evhttp_request *req, int code,
    const char *reason, struct evbuffer *body)
{
	fi_in_libevent++;
	__real_evhttp_send_reply(req, code, reason, body);
	fi_in_libevent--;
}

int
__wrap_evhttp_parse_query_str(const char *q, struct evkeyvalq *h)
{
	int	rc;

	fi_in_libevent++;
	rc = __real_evhttp_parse_query_str(q, h);
	fi_in_libevent--;
	return rc;
}

struct bufferevent *
__wrap_bufferevent_socket_new(struct event_base *base, evutil_socket_t fd,
    int options)
{
	struct bufferevent	*bev;

	fi_in_libevent++;
	bev = __real_bufferevent_socket_new(base, fd, options);
	fi_in_libevent--;
	return bev;
}

int
__wrap_event_add(struct event *ev, const struct timeval *tv)
{
	int	rc;

	fi_in_libevent++;
	rc = __real_event_add(ev, tv);
	fi_in_libevent--;
	return rc;
}

/* SQLite's: its default methods, with the count in front. */
static sqlite3_mem_methods	fi_sqlite_real;

static void *
fi_sqlite_malloc(int n)
{
	return fi_alloc_fails() ? NULL : fi_sqlite_real.xMalloc(n);
}

static void *
fi_sqlite_realloc(void *p, int n)
{
	return fi_alloc_fails() ? NULL : fi_sqlite_real.xRealloc(p, n);
}

/* --- the background database check ------------------------------------ */

/* Not run here: SQLite's allocations on its thread, counted through the
 * same hook, would fall among the requests' at a different place in each
 * run, and the Nth allocation would no longer be the same one.  (Its I/O
 * is reads alone, which no plan fails; kill9.sh and week.sh run it.) */
int
__wrap_dbcheck_start(struct server *srv)
{
	(void)srv;
	return 0;
}

/* --- when start-up ends, and which request is running ----------------- */

int
__wrap_sd_notify(int unset, const char *state)
{
	char	c[128];

	if (!fi_ready && state != NULL && strncmp(state, "READY=1", 7) == 0) {
		fi_counters(c, sizeof c);
		fi_ready = 1;
		fi_allocs_at_ready = fi_allocs;
		fi_say("ready %s", c);
	}
	return __real_sd_notify(unset, state);
}

void
__wrap_router_dispatch(struct request *r)
{
	char	c[128];

	fi_seq++;
	fi_counters(c, sizeof c);
	fi_say("begin %lu %s %s %s", fi_seq, fi_method_names[r->method],
	    r->path ? r->path : "?", c);
	fi_request = r;
	__real_router_dispatch(r);
	fi_request = NULL;
	fi_counters(c, sizeof c);
	fi_say("end %lu %d %s", fi_seq, r->status, c);
}

/* --- the plan --------------------------------------------------------- */

static void __attribute__((noreturn))
fi_bad_plan(const char *plan)
{
	fprintf(stderr, "idtsd-faults: IDTS_FAULT=%s: expected count, "
	    "io:write|sync|truncate:N:ioerr|full, alloc:N or "
	    "alloc-startup:N\n", plan);
	_exit(2);
}

/* Read IDTS_FAULT into fi_plan. */
static void
fi_parse(const char *plan)
{
	char		 kind[16], err[16];
	unsigned long	 n;
	int		 end = 0;

	if (plan == NULL || *plan == '\0' || strcmp(plan, "count") == 0)
		return;
	if (sscanf(plan, "io:%15[a-z]:%lu:%15[a-z]%n", kind, &n, err, &end)
	    == 3 && plan[end] == '\0' && n > 0) {
		if (strcmp(kind, "write") == 0)
			fi_plan.kind = FI_WRITE;
		else if (strcmp(kind, "sync") == 0)
			fi_plan.kind = FI_SYNC;
		else if (strcmp(kind, "truncate") == 0)
			fi_plan.kind = FI_TRUNCATE;
		else
			fi_bad_plan(plan);
		if (strcmp(err, "full") == 0)
			fi_plan.full = 1;
		else if (strcmp(err, "ioerr") != 0)
			fi_bad_plan(plan);
		fi_plan.n = n;
		return;
	}
	end = 0;
	if (sscanf(plan, "alloc:%lu%n", &n, &end) == 1 && plan[end] == '\0' &&
	    n > 0) {
		fi_plan.kind = FI_ALLOC;
		fi_plan.n = n;
		return;
	}
	end = 0;
	if (sscanf(plan, "alloc-startup:%lu%n", &n, &end) == 1 &&
	    plan[end] == '\0' && n > 0) {
		fi_plan.kind = FI_ALLOC_STARTUP;
		fi_plan.n = n;
		return;
	}
	fi_bad_plan(plan);
}

/* Before main(): read the plan, then put every hook in place, whatever
 * the plan, so that a counting run takes the same steps as a failing
 * one.  SQLite's allocator must be replaced before sqlite3_initialize(),
 * which registering the VFS calls. */
static void __attribute__((constructor))
fi_init(void)
{
	const char	*plan = getenv("IDTS_FAULT");
	const char	*log = getenv("IDTS_FAULT_LOG");
	void		*frames[4];

	fi_parse(plan);
	if (log != NULL && *log != '\0' && (fi_log = open(log, O_WRONLY |
	    O_CREAT | O_APPEND | O_CLOEXEC, 0644)) == -1) {
		fprintf(stderr, "idtsd-faults: %s: %s\n", log, strerror(errno));
		_exit(2);
	}
	/* backtrace() loads its unwinder on first use: not in a fault. */
	(void)backtrace(frames, 4);
	fi_say("plan %s", plan != NULL && *plan != '\0' ? plan : "count");

	/* SQLite fills in its default allocator when it initialises, and
	 * takes a new one only while it is not initialised: start it and
	 * shut it down again to read the default. */
	if (sqlite3_initialize() != SQLITE_OK || sqlite3_shutdown() !=
	    SQLITE_OK || sqlite3_config(SQLITE_CONFIG_GETMALLOC,
	    &fi_sqlite_real) != SQLITE_OK || fi_sqlite_real.xMalloc == NULL) {
		fprintf(stderr, "idtsd-faults: cannot read SQLite's "
		    "allocator\n");
		_exit(2);
	}
	{
		sqlite3_mem_methods	m = fi_sqlite_real;

		m.xMalloc = fi_sqlite_malloc;
		m.xRealloc = fi_sqlite_realloc;
		if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) {
			fprintf(stderr, "idtsd-faults: cannot hook SQLite's "
			    "allocator\n");
			_exit(2);
		}
	}
	event_set_mem_functions(fi_event_malloc, fi_event_realloc,
	    fi_lib_free);

	if ((fi_real_vfs = sqlite3_vfs_find(NULL)) == NULL) {
		fprintf(stderr, "idtsd-faults: SQLite has no default VFS\n");
		_exit(2);
	}
	fi_vfs.szOsFile = (int)sizeof(struct fi_file) + fi_real_vfs->szOsFile;
	fi_vfs.mxPathname = fi_real_vfs->mxPathname;
	if (sqlite3_vfs_register(&fi_vfs, 1) != SQLITE_OK) {
		fprintf(stderr, "idtsd-faults: cannot register the VFS\n");
		_exit(2);
	}
	fi_armed = 1;
}

/* The totals, for the counting run. */
static void __attribute__((destructor))
fi_fini(void)
{
	char	c[128];

	fi_counters(c, sizeof c);
	fi_say("exit %s%s", c, fi_plan.kind != FI_NONE && !fi_fired ?
	    " (the fault never fired)" : "");
}
