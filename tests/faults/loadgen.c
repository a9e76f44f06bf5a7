/* The load generator and checker of the kill -9 test (kill9.sh).
 *
 *   loadgen setup -s URL -d DIR
 *	staff, a product with stock, patients with hourly prescriptions and
 *	stimulant users with observation plans; their ids go in DIR/setup.
 *   loadgen run -s URL -d DIR -n CLIENTS -c CYCLE
 *	CLIENTS processes (fork) each send a mix of writes (arrivals,
 *	sign-offs, refusals, observations, register receipts and returns,
 *	alert acknowledgements), each with a fresh Idempotency-Key and a
 *	marker to find it by, and log each as acknowledged (2xx), refused
 *	(4xx) or unknown (no answer: the daemon was killed) in
 *	DIR/new.N.  A client stops at its first unanswered request.
 *   loadgen down -d DIR --db DB --killed-at MS --jump SECONDS
 *	with the daemon dead: move the stored test clock on, so deadlines
 *	come due while it is down.
 *   loadgen check -s URL -d DIR --db DB --up-at MS
 *	after a restart: wait for the scheduler to catch up, then check
 *	the store (integrity, every acknowledged write once, no write in
 *	part, every deadline fired once), retry each unknown write with its
 *	own key (as a terminal would), check again, and walk the audit chain
 *	(GET /v1/audit/verify).  Exit 1 on any failure.
 *   loadgen report -d DIR
 *	the totals.
 *
 * DIR/state holds every write sent so far, one a line:
 * kind class status was_present key user method path m1 m2 ret body
 * (tab-separated), class A acknowledged, R refused, U unknown, P unknown
 * then acknowledged by its retry, Q unknown then refused by its retry.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "faultlib.h"

#define ADMIN_USER	"boss"
#define ADMIN_PIN	"424242"
#define WITNESS_USER	"wit"
#define WITNESS_PIN	"135791"
#define DOCTOR_USER	"doc"
#define DOCTOR_PIN	"975313"
#define APPROVER_USER	"approver"	/* a second admin (issue 16) */
#define APPROVER_PIN	"975317"
#define MAX_CLIENTS	8
#define SETUP_PRESCRIBED 64	/* methadone and buprenorphine, 3-hourly */
#define SETUP_STIMULANT	24	/* observation plans */
#define SETUP_BOTH	8	/* of which also prescribed */

enum kind {
	K_ARRIVAL, K_ADMINISTER, K_REFUSE, K_OBSERVATION, K_RECEIPT,
	K_RETURN, K_ACK, K_N
};
static const char *const kind_names[K_N] = {
	"arrival", "administer", "refuse", "observation", "receipt",
	"return", "ack"
};

struct rec {
	int	 kind;
	char	 cls;
	int	 status;
	int	 was_present;	/* unknowns: found before the retry; -1 */
	char	 key[37];
	char	 user[33];
	char	 method[8];
	char	 path[160];
	char	 m1[80];
	char	 m2[80];
	char	 ret[80];
	char	*body;
};

static const char	*opt_server, *opt_dir, *opt_db;
static int		 opt_clients = 4, opt_cycle;
static int64_t		 opt_killed_at, opt_up_at, opt_jump;
static volatile sig_atomic_t stop_flag;

/* --- files ------------------------------------------------------------ */

static void
path_in(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", opt_dir, name);
}

/* One record as a line of the log. */
static void
rec_write(FILE *f, const struct rec *r)
{
	fprintf(f, "%s\t%c\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
	    kind_names[r->kind], r->cls, r->status, r->was_present, r->key,
	    r->user, r->method, r->path, r->m1[0] ? r->m1 : "-",
	    r->m2[0] ? r->m2 : "-", r->ret[0] ? r->ret : "-",
	    r->body ? r->body : "null");
}

static void
field(char *out, size_t size, const char *s)
{
	fl_copy(out, size, strcmp(s, "-") == 0 ? "" : s);
}

/* Parse a line of the log; -1 if it is not one. */
static int
rec_parse(char *line, struct rec *r)
{
	char	*f[12], *p = line;
	int	 i, k;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; i < 12; i++) {
		f[i] = p;
		if (i < 11) {
			if ((p = strchr(p, '\t')) == NULL)
				return -1;
			*p++ = '\0';
		}
	}
	memset(r, 0, sizeof *r);
	for (k = 0; k < K_N; k++)
		if (strcmp(f[0], kind_names[k]) == 0)
			break;
	if (k == K_N)
		return -1;
	r->kind = k;
	r->cls = f[1][0];
	r->status = atoi(f[2]);
	r->was_present = atoi(f[3]);
	field(r->key, sizeof r->key, f[4]);
	field(r->user, sizeof r->user, f[5]);
	field(r->method, sizeof r->method, f[6]);
	field(r->path, sizeof r->path, f[7]);
	field(r->m1, sizeof r->m1, f[8]);
	field(r->m2, sizeof r->m2, f[9]);
	field(r->ret, sizeof r->ret, f[10]);
	r->body = strdup(f[11]);
	return 0;
}

struct recs {
	struct rec	*v;
	size_t		 n, cap;
};

static void
recs_add(struct recs *rs, const struct rec *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		if ((rs->v = realloc(rs->v, rs->cap * sizeof *rs->v)) == NULL)
			fl_die("out of memory");
	}
	rs->v[rs->n++] = *r;
}

static void
recs_load(struct recs *rs, const char *file)
{
	FILE	*f = fopen(file, "r");
	char	*line = NULL;
	size_t	 cap = 0;
	struct rec r;

	if (f == NULL)
		return;
	while (getline(&line, &cap, f) != -1)
		if (rec_parse(line, &r) == 0)
			recs_add(rs, &r);
		else
			fl_die("%s: a line that is not a record", file);
	free(line);
	fclose(f);
}

/* setup: "name value" lines. */
struct setup {
	char	product[2][37];
	int	nproducts;
	char	obs[64][37];	/* stimulant patients */
	int64_t	obs_arrived[64];
	int	nobs;
};

static void
setup_load(struct setup *s)
{
	char	 file[512], name[32], value[64], *line = NULL;
	size_t	 cap = 0;
	long long arrived;
	FILE	*f;

	memset(s, 0, sizeof *s);
	path_in(file, sizeof file, "setup");
	if ((f = fopen(file, "r")) == NULL)
		fl_die("%s: %s (run loadgen setup first)", file,
		    strerror(errno));
	while (getline(&line, &cap, f) != -1) {
		arrived = 0;
		if (sscanf(line, "%31s %63s %lld", name, value, &arrived) < 2)
			continue;
		if (strcmp(name, "product") == 0 && s->nproducts < 2)
			fl_copy(s->product[s->nproducts++], 37, value);
		else if (strcmp(name, "obs") == 0 && s->nobs < 64) {
			s->obs_arrived[s->nobs] = arrived;
			fl_copy(s->obs[s->nobs++], 37, value);
		}
	}
	free(line);
	fclose(f);
}

/* --- setup ------------------------------------------------------------ */

/* A new member of staff, made by admin; a clinical role's grant, which
 * waits for a second admin (issue 16), approved by approver. */
static void
staff_add(struct fl_api *admin, struct fl_api *approver, const char *user,
    const char *name, json_t *roles, const char *pin)
{
	json_t	*b, *change;
	char	 path[128];

	b = fl_must(admin, 201, "POST", "/staff", json_pack(
	    "{s:s,s:s,s:o,s:s}", "username", user, "display_name", name,
	    "roles", roles, "pin", pin));
	if ((change = json_object_get(b, "pending_change")) != NULL) {
		snprintf(path, sizeof path, "/staff/changes/%s/approve",
		    fl_str(change, "id"));
		json_decref(fl_must(approver, 200, "POST", path, NULL));
	}
	json_decref(b);
}

static void
cmd_setup(void)
{
	struct fl_api	 admin, approver, doc, load;
	json_t		*b, *times;
	char		 file[512], user[16], pin[16], pn[8], date[11];
	char		 id[37], product[2][37], t[8];
	int		 h, k;
	int64_t		 now, arrived;
	FILE		*f;
	int		 i;

	/* Both admins made at the console (kill9.sh): an admin made through
	 * the API waits for a second one (issue 16). */
	if (fl_open(&admin, opt_server, ADMIN_USER, ADMIN_PIN) == -1)
		fl_die("cannot sign in as %s", ADMIN_USER);
	if (fl_open(&approver, opt_server, APPROVER_USER, APPROVER_PIN) == -1)
		fl_die("cannot sign in as %s", APPROVER_USER);
	staff_add(&admin, &approver, WITNESS_USER, "Wendy Witness",
	    json_pack("[s]", "competent"), WITNESS_PIN);
	staff_add(&admin, &approver, DOCTOR_USER, "Dr Doc", json_pack("[s]",
	    "prescriber"), DOCTOR_PIN);
	for (i = 0; i < MAX_CLIENTS; i++) {
		snprintf(user, sizeof user, "load%d", i);
		snprintf(pin, sizeof pin, "24680%d", i % 10);
		snprintf(file, sizeof file, "Load Nurse %d", i);
		staff_add(&admin, &approver, user, file, json_pack(
		    "[s,s,s,s]", "nurse", "reception", "pharmacist",
		    "manager"), pin);
	}
	if (fl_open(&doc, opt_server, DOCTOR_USER, DOCTOR_PIN) == -1 ||
	    fl_open(&load, opt_server, "load0", "246800") == -1)
		fl_die("cannot sign in the set-up staff");

	path_in(file, sizeof file, "setup");
	if ((f = fopen(file, "w")) == NULL)
		fl_die("%s: %s", file, strerror(errno));
	for (h = 0; h < 2; h++) {
		b = fl_must(&load, 201, "POST", "/products", json_pack(
		    "{s:s,s:s,s:s,s:s}", "name", h ? "Buprenorphine" :
		    "Methadone", "form", h ? "sublingual tablet" :
		    "oral solution", "strength", h ? "2 mg" : "1 mg/ml",
		    "unit", h ? "tablet" : "ml"));
		fl_copy(product[h], sizeof product[h], fl_str(b, "id"));
		json_decref(b);
		fprintf(f, "product %s\n", product[h]);
		snprintf(file, sizeof file, "/register/%s/receipts",
		    product[h]);
		json_decref(fl_must(&load, 201, "POST", file, json_pack(
		    "{s:i,s:s,s:s,s:{s:s,s:s}}", "quantity", 200000,
		    "supplier", "Set-up", "reference", "SETUP-1", "witness",
		    "username", WITNESS_USER, "pin", WITNESS_PIN)));
	}

	now = fl_daemon_now(&admin);
	fl_local_date(now, date);
	arrived = now - 3600 * 1000;
	for (i = 0; i < SETUP_PRESCRIBED + SETUP_STIMULANT - SETUP_BOTH; i++) {
		int	stim = i >= SETUP_PRESCRIBED - SETUP_BOTH;
		int	rx = i < SETUP_PRESCRIBED;
		char	at[32];

		snprintf(pn, sizeof pn, "Z%04dAA", i);
		fl_instant(arrived, at);
		b = fl_must(&load, 201, "POST", "/patients", json_pack(
		    "{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:n}", "prison_number", pn,
		    "given_name", "Set", "family_name", "Up", "date_of_birth",
		    "1985-06-15", "arrived_at", at, "location",
		    "Stabilisation unit", "stimulant_user", stim,
		    "community_treatment"));
		fl_copy(id, sizeof id, fl_str(b, "id"));
		json_decref(b);
		if (stim)
			fprintf(f, "obs %s %lld\n", id, (long long)arrived);
		if (!rx)
			continue;
		/* Methadone every three hours on the hour, buprenorphine
		 * every three hours at half past one: each dose's window is
		 * two hours in three (doses in kill9.sh's config). */
		for (k = 0; k < 2; k++) {
			times = json_array();
			for (h = 0; h < 8; h++) {
				snprintf(t, sizeof t, "%02d:%s", 3 * h + k,
				    k ? "30" : "00");
				json_array_append_new(times, json_string(t));
			}
			json_decref(fl_must(&doc, 201, "POST",
			    "/prescriptions", json_pack("{s:s,s:s,s:s,s:i,"
			    "s:o,s:s}", "patient_id", id, "product_id",
			    product[k], "regimen", "maintenance", "dose",
			    1 + i % 3, "times", times, "start_date", date)));
		}
	}
	fclose(f);
	fl_close(&admin);
	fl_close(&approver);
	fl_close(&doc);
	fl_close(&load);
	printf("set up: %d patients, %d on 3-hourly methadone and "
	    "buprenorphine, %d observed\n",
	    SETUP_PRESCRIBED + SETUP_STIMULANT - SETUP_BOTH, SETUP_PRESCRIBED,
	    SETUP_STIMULANT);
}

/* --- run: one client -------------------------------------------------- */

struct worker {
	int		 id;
	struct fl_api	 api;
	struct setup	 s;
	FILE		*log;
	int64_t		 offset;	/* daemon now - real now */
	int		 n;		/* writes sent this run */
	int		 arrivals;
	/* the patients this client observes, and when it last did */
	char		 pat[256][37];
	int64_t		 pat_arrived[256];
	int64_t		 pat_last[256];
	int		 npat;
	/* what it last saw due or open, and each dose's cautions */
	char		 doses[128][37];
	char		 cautions[128][256];	/* codes, a JSON array */
	int		 ndoses, doses_age;
	char		 alerts[128][37];
	int		 nalerts, alerts_age;
};

static int64_t
worker_now(struct worker *w)
{
	return fl_real_ms() + w->offset;
}

/* Send a tracked write and log how it ended.  Takes body.  Returns the
 * status (0: unanswered); the answer is left in *answer if wanted. */
static int
worker_write(struct worker *w, enum kind kind, const char *path,
    json_t *body, const char *m1, const char *m2, json_t **answer)
{
	struct rec	 r;
	json_t		*a = NULL;
	char		*text;

	memset(&r, 0, sizeof r);
	r.kind = kind;
	r.was_present = -1;
	fl_uuid(r.key);
	fl_copy(r.user, sizeof r.user, w->api.user);
	snprintf(r.method, sizeof r.method, "POST");
	fl_copy(r.path, sizeof r.path, path);
	fl_copy(r.m1, sizeof r.m1, m1);
	fl_copy(r.m2, sizeof r.m2, m2 ? m2 : "");
	text = json_dumps(body, JSON_COMPACT);
	r.body = text;
	r.status = fl_call(&w->api, "POST", path, json_incref(body), r.key,
	    &a);
	json_decref(body);
	if (r.status >= 200 && r.status < 300) {
		r.cls = 'A';
		switch (kind) {
		case K_ARRIVAL:
		case K_OBSERVATION:
		case K_RECEIPT:
		case K_RETURN:
			fl_copy(r.ret, sizeof r.ret, fl_str(a, "id"));
			break;
		case K_ADMINISTER:
			snprintf(r.ret, sizeof r.ret, "%s",
			    fl_str(a, "register_entry_id"));
			break;
		default:
			break;
		}
	} else if (r.status >= 400 && r.status < 500) {
		r.cls = 'R';	/* ret holds the error's code */
		fl_copy(r.ret, sizeof r.ret, fl_str(json_object_get(a,
		    "error"), "code"));
	} else
		r.cls = 'U';
	if (r.status == 401)
		fl_signin(&w->api);
	rec_write(w->log, &r);
	fflush(w->log);
	free(text);
	w->n++;
	if (answer != NULL)
		*answer = a;
	else
		json_decref(a);
	return r.status;
}

static void
marker(struct worker *w, char *out, size_t size)
{
	snprintf(out, size, "lg%d.%d.%d", w->id, opt_cycle, w->n);
}

static json_t *
witness(void)
{
	return json_pack("{s:s,s:s}", "username", WITNESS_USER, "pin",
	    WITNESS_PIN);
}

/* A dose's caution codes as a JSON array, to confirm each as the nurse
 * does having read it (issue 15); "[]" if they do not fit. */
static void
worker_keep_cautions(const json_t *d, char out[256])
{
	json_t		*codes = json_array();
	const json_t	*c;
	char		*text;
	size_t		 i;

	json_array_foreach(json_object_get(d, "cautions"), i, c)
		json_array_append(codes, json_object_get(c, "code"));
	text = json_dumps(codes, JSON_COMPACT);
	fl_copy(out, 256, text != NULL && strlen(text) < 256 ? text : "[]");
	free(text);
	json_decref(codes);
}

/* Today's due doses, from the daemon. */
static int
worker_refresh_doses(struct worker *w)
{
	json_t	*list = NULL, *d;
	size_t	 i;
	int	 status;

	status = fl_call(&w->api, "GET", "/doses?state=due", NULL, NULL,
	    &list);
	if (status == 0)
		return -1;
	w->ndoses = 0;
	w->doses_age = 0;
	json_array_foreach(list, i, d) {
		if (w->ndoses == 128)
			break;
		worker_keep_cautions(d, w->cautions[w->ndoses]);
		fl_copy(w->doses[w->ndoses++], 37, fl_str(d, "id"));
	}
	json_decref(list);
	return 0;
}

static int
worker_refresh_alerts(struct worker *w)
{
	json_t	*list = NULL, *a;
	size_t	 i;
	int	 status;

	status = fl_call(&w->api, "GET", "/alerts?state=open", NULL, NULL,
	    &list);
	if (status == 0)
		return -1;
	w->nalerts = 0;
	w->alerts_age = 0;
	json_array_foreach(list, i, a) {
		if (w->nalerts == 128)
			break;
		fl_copy(w->alerts[w->nalerts++], 37, fl_str(a, "id"));
	}
	json_decref(list);
	return 0;
}

/* A dose to sign off or refuse, taken from the list (several clients
 * may race for the same one: one wins, the others are refused). */
static int
worker_pick_dose(struct worker *w, char out[37], char cautions[256])
{
	unsigned	i;

	if ((w->ndoses == 0 || ++w->doses_age > 8) &&
	    worker_refresh_doses(w) == -1)
		return -1;
	if (w->ndoses == 0)
		return 0;
	i = fl_rand((unsigned)w->ndoses);
	memcpy(out, w->doses[i], 37);
	memcpy(cautions, w->cautions[i], 256);
	memmove(w->doses[i], w->doses[i + 1], (size_t)(w->ndoses - i - 1) *
	    37);
	memmove(w->cautions[i], w->cautions[i + 1],
	    (size_t)(w->ndoses - i - 1) * 256);
	w->ndoses--;
	return 1;
}

static int
do_administer(struct worker *w)
{
	char	dose[37], cautions[256], m[64], path[128];
	int	got;

	if ((got = worker_pick_dose(w, dose, cautions)) <= 0)
		return got;
	marker(w, m, sizeof m);
	snprintf(path, sizeof path, "/doses/%s/administer", dose);
	return worker_write(w, K_ADMINISTER, path, json_pack("{s:o,s:s,s:o}",
	    "witness", witness(), "note", m, "confirm_cautions",
	    json_loads(cautions, 0, NULL)), dose, m, NULL) ? 0 : -1;
}

static int
do_refuse(struct worker *w)
{
	char	dose[37], cautions[256], m[64], path[128];
	int	got;

	if ((got = worker_pick_dose(w, dose, cautions)) <= 0)
		return got;
	marker(w, m, sizeof m);
	snprintf(path, sizeof path, "/doses/%s/refuse", dose);
	return worker_write(w, K_REFUSE, path, json_pack("{s:s}", "reason", m),
	    dose, m, NULL) ? 0 : -1;
}

static int
do_observation(struct worker *w)
{
	char	 at[32], ms[24];
	json_t	*body;
	int64_t	 t;
	int	 i, high;

	if (w->npat == 0)
		return 0;
	i = (int)fl_rand((unsigned)w->npat);
	/* Taken two seconds ago: later than any this client sent in an
	 * earlier run (time has passed since), and never twice at once. */
	t = worker_now(w) - 2000;
	if (t <= w->pat_last[i])
		t = w->pat_last[i] + 1000;
	if (t < w->pat_arrived[i])
		return 0;
	w->pat_last[i] = t;
	fl_instant(t, at);
	snprintf(ms, sizeof ms, "%lld", (long long)t);
	high = fl_rand(100) < 15;
	body = json_pack("{s:s,s:s,s:i,s:i,s:i,s:b,s:i,s:i,s:s,s:f}",
	    "patient_id", w->pat[i], "taken_at", at,
	    "respiratory_rate", high ? 25 : 14 + (int)fl_rand(5),
	    "spo2", high ? 93 : 96 + (int)fl_rand(4), "spo2_scale", 1,
	    "on_oxygen", 0, "systolic_bp", 115 + (int)fl_rand(20),
	    "pulse", high ? 115 : 60 + (int)fl_rand(30),
	    "consciousness", "A", "temperature", 36.5 + fl_rand(10) / 10.0);
	return worker_write(w, K_OBSERVATION, "/observations", body, w->pat[i],
	    ms, NULL) ? 0 : -1;
}

static int
do_arrival(struct worker *w)
{
	char	 pn[8], at[32], last[32], loc[32];
	json_t	*body, *answer = NULL, *ct = json_null();
	int64_t	 arrived = worker_now(w) - 60000 - fl_rand(3600) * 1000;
	unsigned num = (unsigned)(opt_cycle * 200 + w->arrivals);
	int	 stim, status;

	if (w->arrivals >= 200)
		return 0;
	w->arrivals++;
	pn[0] = (char)('A' + w->id);
	snprintf(pn + 1, 5, "%04u", num % 10000u);
	pn[5] = (char)('A' + num / 10000u / 26u % 26u);
	pn[6] = (char)('A' + num / 10000u % 26u);
	pn[7] = '\0';
	fl_instant(arrived, at);
	snprintf(loc, sizeof loc, "Wing L, cell %u", 1 + fl_rand(40));
	stim = fl_rand(100) < 35;
	if (fl_rand(100) < 35) {
		json_decref(ct);
		fl_instant(arrived - 10 * 3600 * 1000, last);
		ct = json_pack("{s:s,s:i,s:s,s:s,s:s}", "drug", "methadone",
		    "dose", 30, "unit", "ml", "prescriber", "Dr Community",
		    "last_dose_at", last);
	}
	body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}",
	    "prison_number", pn, "given_name", "Lee", "family_name", "Load",
	    "date_of_birth", "1991-03-04", "arrived_at", at, "location", loc,
	    "stimulant_user", stim, "community_treatment", ct);
	status = worker_write(w, K_ARRIVAL, "/patients", body, pn, NULL,
	    &answer);
	if (status == 201 && stim && w->npat < 256) {
		fl_copy(w->pat[w->npat], 37, fl_str(answer, "id"));
		w->pat_arrived[w->npat] = arrived;
		w->pat_last[w->npat++] = 0;
	}
	json_decref(answer);
	return status ? 0 : -1;
}

static int
do_register(struct worker *w, enum kind kind)
{
	const char	*product = w->s.product[fl_rand(2)];
	char		 m[64], path[128];
	json_t		*body;

	marker(w, m, sizeof m);
	if (kind == K_RECEIPT) {
		snprintf(path, sizeof path, "/register/%s/receipts", product);
		body = json_pack("{s:i,s:s,s:s,s:o}", "quantity", 250,
		    "supplier", "Loadgen Pharmacy", "reference", m, "witness",
		    witness());
	} else {
		snprintf(path, sizeof path, "/register/%s/returns", product);
		body = json_pack("{s:i,s:s,s:o}", "quantity", 1, "reason", m,
		    "witness", witness());
	}
	return worker_write(w, kind, path, body, product, m, NULL) ? 0 : -1;
}

static int
do_ack(struct worker *w)
{
	char		m[64], path[128], alert[37];
	unsigned	i;

	if ((w->nalerts == 0 || ++w->alerts_age > 8) &&
	    worker_refresh_alerts(w) == -1)
		return -1;
	if (w->nalerts == 0)
		return 0;
	i = fl_rand((unsigned)w->nalerts);
	memcpy(alert, w->alerts[i], 37);
	memmove(w->alerts[i], w->alerts[i + 1], (size_t)(w->nalerts - i - 1) *
	    37);
	w->nalerts--;
	marker(w, m, sizeof m);
	snprintf(path, sizeof path, "/alerts/%s/ack", alert);
	return worker_write(w, K_ACK, path, json_pack("{s:s}", "note", m),
	    alert, m, NULL) ? 0 : -1;
}

/* Client 0 moves the test clock on now and then, so deadlines also come
 * due under load: as the admin, whom the test clock needs (issue 16),
 * signed in again when the clock has idled their session out. */
static int
do_clock(struct worker *w)
{
	static struct fl_api	 admin;
	static int		 opened;
	json_t			*a = NULL;
	int			 status;
	int64_t			 now;

	if (!opened && fl_open(&admin, opt_server, ADMIN_USER, ADMIN_PIN) ==
	    -1)
		return -1;	/* the daemon is gone */
	opened = 1;
	status = fl_call(&admin, "POST", "/test/clock", json_pack("{s:i}",
	    "advance_seconds", 60 + (int)fl_rand(240)), NULL, &a);
	if (status == 401)
		fl_signin(&admin);
	if (status == 200 && (now = fl_parse_instant(fl_str(a, "now"))) > 0)
		w->offset = now - fl_real_ms();
	json_decref(a);
	return status ? 0 : -1;
}

static void
on_term(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
worker_main(int id)
{
	struct worker	*w;
	char		 file[512], user[16], pin[16];
	int64_t		 now;
	int		 i, rc;
	unsigned	 pick;

	if ((w = calloc(1, sizeof *w)) == NULL)
		fl_die("out of memory");
	w->id = id;
	fl_seed((unsigned)getpid() ^ (unsigned)fl_real_ms());
	setup_load(&w->s);
	for (i = 0; i < w->s.nobs; i++)
		if (i % opt_clients == id && w->npat < 256) {
			fl_copy(w->pat[w->npat], 37, w->s.obs[i]);
			w->pat_arrived[w->npat++] = w->s.obs_arrived[i];
		}
	snprintf(file, sizeof file, "%s/new.%d", opt_dir, id);
	if ((w->log = fopen(file, "a")) == NULL)
		fl_die("%s: %s", file, strerror(errno));
	snprintf(user, sizeof user, "load%d", id);
	snprintf(pin, sizeof pin, "24680%d", id % 10);
	if (fl_open(&w->api, opt_server, user, pin) == -1 ||
	    (now = fl_daemon_now(&w->api)) == -1)
		exit(0);	/* killed already */
	w->offset = now - fl_real_ms();

	while (!stop_flag) {
		pick = fl_rand(100);
		if (pick < 30)
			rc = do_administer(w);
		else if (pick < 35)
			rc = do_refuse(w);
		else if (pick < 60)
			rc = do_observation(w);
		else if (pick < 70)
			rc = do_arrival(w);
		else if (pick < 75)
			rc = do_register(w, K_RECEIPT);
		else if (pick < 78)
			rc = do_register(w, K_RETURN);
		else if (pick < 98 || id != 0)
			rc = do_ack(w);
		else
			rc = do_clock(w);
		if (rc == -1)
			break;	/* the daemon is gone */
	}
	fclose(w->log);
	fl_close(&w->api);
	exit(0);
}

static void
cmd_run(void)
{
	pid_t	pids[MAX_CLIENTS];
	int	i, status;

	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < opt_clients; i++) {
		if ((pids[i] = fork()) == -1)
			fl_die("fork: %s", strerror(errno));
		if (pids[i] == 0)
			worker_main(i);
	}
	for (i = 0; i < opt_clients; i++) {
		while (waitpid(pids[i], &status, 0) == -1 && errno == EINTR)
			for (int j = 0; j < opt_clients; j++)
				kill(pids[j], SIGTERM);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fl_die("client %d did not exit cleanly", i);
	}
}

/* --- the store, read directly ----------------------------------------- */

static sqlite3	*db;

struct stmt_cache {
	const char	*sql;
	sqlite3_stmt	*st;
};
static struct stmt_cache	stmts[128];

static sqlite3_stmt *
stmt(const char *sql)
{
	int	i;

	for (i = 0; i < 128 && stmts[i].sql != NULL; i++)
		if (stmts[i].sql == sql) {
			sqlite3_reset(stmts[i].st);
			sqlite3_clear_bindings(stmts[i].st);
			return stmts[i].st;
		}
	if (i == 128)
		fl_die("too many statements");
	if (sqlite3_prepare_v2(db, sql, -1, &stmts[i].st, NULL) != SQLITE_OK)
		fl_die("prepare %s: %s", sql, sqlite3_errmsg(db));
	stmts[i].sql = sql;
	return stmts[i].st;
}

static void
stmts_free(void)
{
	int	i;

	for (i = 0; i < 128 && stmts[i].sql != NULL; i++) {
		sqlite3_finalize(stmts[i].st);
		stmts[i].sql = NULL;
	}
}

static void
exec(const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fl_die("%s: %s", sql, err ? err : "?");
}

/* Run sql with ?1 and ?2 bound (either may be NULL): the number of rows,
 * and the first row's first column as text in out (if out). */
static int
rows(const char *sql, const char *a, const char *b, char *out, size_t size)
{
	sqlite3_stmt	*st = stmt(sql);
	int		 n = 0, rc;

	if (a != NULL)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (out != NULL)
		out[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0 && out != NULL)
			snprintf(out, size, "%s",
			    sqlite3_column_text(st, 0) ?
			    (const char *)sqlite3_column_text(st, 0) : "");
	}
	if (rc != SQLITE_DONE)
		fl_die("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_reset(st);
	return n;
}

/* The first column of the first row of sql, as an integer. */
static int64_t
one(const char *sql, const char *a, const char *b)
{
	sqlite3_stmt	*st = stmt(sql);
	int64_t		 v = 0;
	int		 rc;

	if (a != NULL)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		fl_die("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_reset(st);
	return v;
}

static int64_t
one_i(const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt	*st = stmt(sql);
	int64_t		 v = 0;
	int		 rc;

	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		fl_die("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_reset(st);
	return v;
}

static void
db_open(int readonly)
{
	if (sqlite3_open_v2(opt_db, &db, readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fl_die("%s: %s", opt_db, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 10000);
}

static void
db_close(void)
{
	stmts_free();
	sqlite3_close(db);
	db = NULL;
}

/* The daemon's now, as the test clock stored in the store has it. */
static int64_t
test_now(void)
{
	return fl_real_ms() + one("SELECT value FROM meta WHERE name = "
	    "'test_clock_offset_ms'", NULL, NULL);
}

/* --- down: move the clock on while the daemon is dead ------------------ */

static void
cmd_down(void)
{
	char	 file[512], sql[200];
	int64_t	 offset;
	FILE	*f;

	db_open(0);
	offset = one("SELECT value FROM meta WHERE name = "
	    "'test_clock_offset_ms'", NULL, NULL);
	if (opt_jump > 0) {
		snprintf(sql, sizeof sql, "UPDATE meta SET value = value + %lld "
		    "WHERE name = 'test_clock_offset_ms'",
		    (long long)opt_jump * 1000);
		exec(sql);
	}
	db_close();
	path_in(file, sizeof file, "down");
	if ((f = fopen(file, "w")) == NULL)
		fl_die("%s: %s", file, strerror(errno));
	fprintf(f, "%lld\n", (long long)(opt_killed_at + offset));
	fclose(f);
}

/* --- check ------------------------------------------------------------ */

/* The deadlines that came due in (lo, hi], while the daemon was down, by
 * kind: a dose's window opening and closing (missed: one dose_missed
 * alert), an observation's grace ending (one observation_overdue) and the
 * next one's time coming (missed), a clock's warning and breach, an
 * alert's escalation. */
enum { D_DOSE_OPEN, D_DOSE_CLOSE, D_OBS_WARN, D_OBS_MISS, D_CLOCK_WARN,
    D_CLOCK_BREACH, D_ESCALATE, D_N };
static const char *const down_names[D_N] = {
	"dose windows opened", "dose windows closed",
	"observations overdue", "observations missed", "clock warnings",
	"clock breaches", "escalations"
};
static const char *const sql_down[D_N] = {
	"SELECT count(*) FROM doses WHERE window_start > ?1 AND "
	"window_start <= ?2",
	"SELECT count(*) FROM doses WHERE window_end > ?1 AND window_end <= ?2",
	"SELECT count(*) FROM observation_dues WHERE warn_at > ?1 AND "
	"warn_at <= ?2",
	"SELECT count(*) FROM observation_dues WHERE missed_at > ?1 AND "
	"missed_at <= ?2",
	"SELECT count(*) FROM care_clocks WHERE (met_at IS NULL OR met_at > "
	"?1) AND warn_at > ?1 AND warn_at <= ?2",
	"SELECT count(*) FROM care_clocks WHERE (met_at IS NULL OR met_at > "
	"?1) AND due_at > ?1 AND due_at <= ?2",
	"SELECT count(*) FROM alerts WHERE (acked_at IS NULL OR acked_at > ?1) "
	"AND escalate_at > ?1 AND escalate_at <= ?2",
};

struct tally {
	long	acked, refused, unknown, unknown_present, retried_acked,
		retried_refused, lost, duplicated, partial, wrong_id,
		deadlines_down, failures;
	long	down[D_N];
};
static struct tally	t;

static void
failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
failure(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	t.failures++;
}

/* Copies of what the per-write checks look up often, with indexes: the
 * audit by action and record, and register entries by marker. */
static void
snapshot_tables(void)
{
	exec("DROP TABLE IF EXISTS temp.au; DROP TABLE IF EXISTS temp.regm");
	exec("CREATE TEMP TABLE au AS SELECT action, record_id, CASE action "
	    "WHEN 'dose.refuse' THEN json_extract(detail, '$.reason') END "
	    "AS extra FROM main.audit");
	exec("CREATE INDEX temp.au_i ON au(action, record_id)");
	exec("CREATE TEMP TABLE regm AS SELECT id, kind, coalesce(reference, "
	    "reason) AS m FROM main.register_entries WHERE kind IN "
	    "('receipt', 'return')");
	exec("CREATE INDEX temp.regm_i ON regm(m)");
}

/* How many times r's write is in the store; its id there in id. */
static int
rec_count(const struct rec *r, char *id, size_t size)
{
	char	note[128];
	int	n;

	id[0] = '\0';
	switch (r->kind) {
	case K_ARRIVAL:
		return rows("SELECT id FROM patients WHERE prison_number = ?1",
		    r->m1, NULL, id, size);
	case K_ADMINISTER:
		if (rows("SELECT note FROM doses WHERE id = ?1 AND state = "
		    "'given'", r->m1, NULL, note, sizeof note) == 0)
			return 0;
		if (strcmp(note, r->m2) != 0)
			return 0;
		rows("SELECT register_entry_id FROM doses WHERE id = ?1",
		    r->m1, NULL, id, size);
		return 1;
	case K_REFUSE:
		n = (int)one("SELECT count(*) FROM au WHERE action = "
		    "'dose.refuse' AND record_id = ?1 AND extra = ?2", r->m1,
		    r->m2);
		fl_copy(id, size, r->m1);
		return n;
	case K_OBSERVATION:
		return rows("SELECT id FROM observations WHERE patient_id = ?1 "
		    "AND taken_at = CAST(?2 AS INTEGER)", r->m1, r->m2, id,
		    size);
	case K_RECEIPT:
		return rows("SELECT id FROM regm WHERE m = ?2 AND kind = "
		    "'receipt'", NULL, r->m2, id, size);
	case K_RETURN:
		return rows("SELECT id FROM regm WHERE m = ?2 AND kind = "
		    "'return'", NULL, r->m2, id, size);
	case K_ACK:
		if (rows("SELECT ack_note FROM alerts WHERE id = ?1 AND "
		    "acked_at IS NOT NULL", r->m1, NULL, note, sizeof note) ==
		    0 || strcmp(note, r->m2) != 0)
			return 0;
		fl_copy(id, size, r->m1);
		return 1;
	}
	return 0;
}

/* Whether a write that is there is whole: everything its transaction
 * wrote is there with it.  Says what is missing. */
static int
rec_whole(const struct rec *r, const char *id)
{
	json_t	*body;
	char	 entry[64];
	int	 ok = 1;

	switch (r->kind) {
	case K_ARRIVAL:
		if (one("SELECT count(*) FROM au WHERE action = "
		    "'patient.create' AND record_id = ?1", id, NULL) != 1) {
			failure("arrival %s: no audit entry", r->m1);
			ok = 0;
		}
		body = json_loads(r->body, 0, NULL);
		if (json_is_true(json_object_get(body, "stimulant_user")) &&
		    one("SELECT count(*) FROM observation_plans WHERE "
		    "patient_id = ?1", id, NULL) != 1) {
			failure("arrival %s: no observation plan", r->m1);
			ok = 0;
		}
		if (json_is_object(json_object_get(body,
		    "community_treatment")) &&
		    (one("SELECT count(*) FROM community_treatments WHERE "
		    "patient_id = ?1", id, NULL) != 1 ||
		    one("SELECT count(*) FROM care_clocks WHERE patient_id = "
		    "?1", id, NULL) != 2)) {
			failure("arrival %s: community treatment or clocks "
			    "missing", r->m1);
			ok = 0;
		}
		json_decref(body);
		break;
	case K_ADMINISTER:
		if (rows("SELECT id FROM register_entries WHERE dose_id = ?1 "
		    "AND kind = 'administration'", r->m1, NULL, entry,
		    sizeof entry) != 1 || strcmp(entry, id) != 0) {
			failure("dose %s given without its register entry",
			    r->m1);
			ok = 0;
		}
		if (one("SELECT count(*) FROM au WHERE action = "
		    "'dose.administer' AND record_id = ?1", r->m1, NULL) != 1) {
			failure("dose %s given without one audit entry", r->m1);
			ok = 0;
		}
		break;
	case K_OBSERVATION:
		if (one("SELECT count(*) FROM au WHERE action = "
		    "'observation.create' AND record_id = ?1", id, NULL) != 1) {
			failure("observation %s: no audit entry", id);
			ok = 0;
		}
		break;
	case K_RECEIPT:
	case K_RETURN:
		if (one("SELECT count(*) FROM au WHERE action = "
		    "'register.entry' AND record_id = ?1", id, NULL) != 1) {
			failure("register entry %s: no audit entry", id);
			ok = 0;
		}
		break;
	case K_ACK:
		if (one("SELECT count(*) FROM alert_events WHERE alert_id = ?1 "
		    "AND event = 'ack'", r->m1, NULL) != 1 ||
		    one("SELECT count(*) FROM au WHERE action = 'alert.ack' AND "
		    "record_id = ?1", r->m1, NULL) != 1) {
			failure("ack of %s: no stream event or audit entry",
			    r->m1);
			ok = 0;
		}
		break;
	default:
		break;
	}
	if (!ok)
		t.partial++;
	return ok;
}

/* Check one write against the store as it is now. */
static void
rec_check(const struct rec *r)
{
	char	id[80];
	int	n = rec_count(r, id, sizeof id);

	switch (r->cls) {
	case 'A':
	case 'P':
		if (n == 0) {
			failure("LOST: acknowledged %s %s %s (key %s)",
			    kind_names[r->kind], r->m1, r->m2, r->key);
			t.lost++;
			return;
		}
		if (n > 1) {
			failure("DUPLICATED: %s %s %s is there %d times",
			    kind_names[r->kind], r->m1, r->m2, n);
			t.duplicated++;
		}
		if (r->ret[0] && strcmp(r->ret, id) != 0) {
			failure("%s %s: answered %s, stored %s",
			    kind_names[r->kind], r->m1, r->ret, id);
			t.wrong_id++;
		}
		rec_whole(r, id);
		break;
	case 'R':
	case 'Q':
		if (n != 0) {
			failure("refused %s %s %s (status %d) is there",
			    kind_names[r->kind], r->m1, r->m2, r->status);
			t.partial++;
		}
		break;
	default:	/* unknown: there once and whole, or not at all */
		if (n > 1) {
			failure("DUPLICATED: unknown %s %s is there %d times",
			    kind_names[r->kind], r->m1, n);
			t.duplicated++;
		} else if (n == 1)
			rec_whole(r, id);
		break;
	}
}

struct invariant {
	const char	*what;
	const char	*sql;	/* counts the rows that break it */
};

/* What must hold of the whole store whatever was interrupted: no
 * transaction is there in part, and every deadline fired once. */
static const struct invariant invariants[] = {
	{ "a given dose without its register entry",
	  "SELECT count(*) FROM doses d WHERE d.state = 'given' AND NOT "
	  "EXISTS (SELECT 1 FROM register_entries e WHERE e.dose_id = d.id "
	  "AND e.id = d.register_entry_id)" },
	{ "an administration in the register without its given dose",
	  "SELECT count(*) FROM register_entries e WHERE e.kind = "
	  "'administration' AND NOT EXISTS (SELECT 1 FROM doses d WHERE d.id "
	  "= e.dose_id AND d.state = 'given' AND d.register_entry_id = e.id)" },
	{ "a dose given without one audit entry, or audited but not given",
	  "SELECT count(*) FROM doses d LEFT JOIN (SELECT record_id, count(*) "
	  "AS n FROM au WHERE action = 'dose.administer' GROUP BY record_id) "
	  "a ON a.record_id = d.id WHERE (d.state = 'given') <> "
	  "(coalesce(a.n, 0) = 1) OR coalesce(a.n, 0) > 1" },
	{ "an administration audited for a dose that does not exist",
	  "SELECT count(*) FROM au WHERE action = 'dose.administer' AND "
	  "record_id NOT IN (SELECT id FROM doses)" },
	{ "a refused dose without its audit entry",
	  "SELECT count(*) FROM doses d WHERE d.state = 'refused' AND NOT "
	  "EXISTS (SELECT 1 FROM au WHERE action = 'dose.refuse' AND "
	  "record_id = d.id)" },
	{ "a dose note used twice",
	  "SELECT count(*) FROM (SELECT note FROM doses WHERE note IS NOT "
	  "NULL AND note <> '' GROUP BY note HAVING count(*) > 1)" },
	{ "a patient without one patient.create audit entry",
	  "SELECT count(*) FROM patients p LEFT JOIN (SELECT record_id, "
	  "count(*) AS n FROM au WHERE action = 'patient.create' GROUP BY "
	  "record_id) a ON a.record_id = p.id WHERE coalesce(a.n, 0) <> 1" },
	{ "a patient.create audit entry without its patient",
	  "SELECT count(*) FROM au WHERE action = 'patient.create' AND "
	  "record_id NOT IN (SELECT id FROM patients)" },
	{ "a stimulant user without an observation plan",
	  "SELECT count(*) FROM patients p WHERE p.stimulant_user = 1 AND NOT "
	  "EXISTS (SELECT 1 FROM observation_plans o WHERE o.patient_id = "
	  "p.id)" },
	{ "an arrival in treatment without both clocks",
	  "SELECT count(*) FROM community_treatments c WHERE (SELECT "
	  "count(*) FROM care_clocks k WHERE k.patient_id = c.patient_id) "
	  "<> 2" },
	{ "an observation without one audit entry",
	  "SELECT count(*) FROM observations o LEFT JOIN (SELECT record_id, "
	  "count(*) AS n FROM au WHERE action = 'observation.create' GROUP "
	  "BY record_id) a ON a.record_id = o.id WHERE coalesce(a.n, 0) <> 1" },
	{ "an observation.create audit entry without its observation",
	  "SELECT count(*) FROM au WHERE action = 'observation.create' AND "
	  "record_id NOT IN (SELECT id FROM observations)" },
	{ "an observation without its NEWS2 alerts (three for a high "
	  "score: the ward, the doctor on call, the managers; none "
	  "otherwise)",
	  "SELECT count(*) FROM observations o WHERE (SELECT count(*) FROM "
	  "alerts a WHERE a.kind = 'news2_high' AND a.subject_id = o.id) <> "
	  "CASE WHEN o.band IN ('low_medium', 'medium', 'high') THEN 3 ELSE "
	  "0 END" },
	{ "a register entry without one audit entry",
	  "SELECT count(*) FROM register_entries e LEFT JOIN (SELECT "
	  "record_id, count(*) AS n FROM au WHERE action = 'register.entry' "
	  "GROUP BY record_id) a ON a.record_id = e.id WHERE e.kind <> "
	  "'administration' AND coalesce(a.n, 0) <> 1" },
	{ "a register.entry audit entry without its entry",
	  "SELECT count(*) FROM au WHERE action = 'register.entry' AND "
	  "record_id NOT IN (SELECT id FROM register_entries)" },
	{ "an alert without one alert.raise audit entry",
	  "SELECT count(*) FROM alerts x LEFT JOIN (SELECT record_id, "
	  "count(*) AS n FROM au WHERE action = 'alert.raise' GROUP BY "
	  "record_id) a ON a.record_id = x.id WHERE coalesce(a.n, 0) <> 1" },
	{ "an alert.raise audit entry without its alert",
	  "SELECT count(*) FROM au WHERE action = 'alert.raise' AND record_id "
	  "NOT IN (SELECT id FROM alerts)" },
	{ "an alert without one stream event, or acknowledged without one "
	  "ack event (or the reverse)",
	  "SELECT count(*) FROM alerts a WHERE (SELECT count(*) FROM "
	  "alert_events e WHERE e.alert_id = a.id AND e.event = 'alert') <> 1 "
	  "OR (SELECT count(*) FROM alert_events e WHERE e.alert_id = a.id "
	  "AND e.event = 'ack') <> (a.acked_at IS NOT NULL)" },
	{ "an alert.ack audit entry twice, or for an alert not acknowledged",
	  "SELECT count(*) FROM (SELECT record_id, count(*) AS n FROM au "
	  "WHERE action = 'alert.ack' GROUP BY record_id) x LEFT JOIN alerts "
	  "a ON a.id = x.record_id WHERE x.n > 1 OR a.acked_at IS NULL" },
	/* Deadlines: each fired exactly once. */
	{ "a missed dose without one dose_missed alert, or an alert for a "
	  "dose not missed",
	  "SELECT count(*) FROM doses d WHERE (SELECT count(*) FROM alerts a "
	  "WHERE a.kind = 'dose_missed' AND a.subject_id = d.id) <> "
	  "(d.state = 'missed')" },
	{ "an observation due warned without one observation_overdue alert "
	  "(or alerted but not warned)",
	  "SELECT count(*) FROM observation_dues d WHERE (SELECT count(*) "
	  "FROM alerts a WHERE a.kind = 'observation_overdue' AND "
	  "a.subject_id = d.id) <> d.warned" },
	{ "a clock warning alerted twice or unmarked, or a breach not "
	  "alerted once",
	  "SELECT count(*) FROM care_clocks c WHERE (SELECT count(*) FROM "
	  "alerts a WHERE a.kind = 'clock_warning' AND a.subject_id = c.id) "
	  "> c.warned OR (SELECT count(*) FROM alerts a WHERE a.kind = "
	  "'clock_breach' AND a.subject_id = c.id) <> c.breach_fired" },
	{ "an escalated alert without one escalation (or an escalation of "
	  "one not marked)",
	  "SELECT count(*) FROM alerts x WHERE (SELECT count(*) FROM alerts e "
	  "WHERE e.kind = 'escalation' AND e.subject_id = x.id) <> "
	  "x.escalated" },
	{ "the same alert raised twice for one subject",
	  "SELECT count(*) FROM (SELECT 1 FROM alerts WHERE subject_id IS "
	  "NOT NULL AND kind NOT IN ('prescription_held', 'staff_change') "
	  "GROUP BY kind, subject_id, audience HAVING count(*) > 1)" },
	/* A change of access tells the managers at each step (asked,
	 * approved or declined, one's own PIN), so one person may be the
	 * subject of several: one alert for each audited step. */
	{ "a staff change alerted twice, or a step of one not alerted",
	  "SELECT count(*) FROM (SELECT subject_id AS s, count(*) AS n FROM "
	  "alerts WHERE kind = 'staff_change' GROUP BY subject_id) a FULL "
	  "JOIN (SELECT CASE action WHEN 'staff.pin_change' THEN record_id "
	  "ELSE json_extract(detail, '$.staff_id') END AS s, count(*) AS n "
	  "FROM main.audit WHERE action IN ('staff.change_request', "
	  "'staff.change_approve', 'staff.change_decline', "
	  "'staff.pin_change') GROUP BY 1) b ON a.s = b.s WHERE "
	  "coalesce(a.n, 0) <> coalesce(b.n, 0)" },
};

/* Deadlines at or before cutoff that have not fired. */
static const char sql_pending[] =
    "SELECT (SELECT count(*) FROM doses WHERE (state = 'scheduled' AND "
    "window_start <= ?1) OR (state IN ('scheduled', 'due') AND "
    "window_end <= ?1)) + (SELECT count(*) FROM observation_dues WHERE "
    "state = 'open' AND ((warned = 0 AND warn_at <= ?1) OR missed_at <= "
    "?1)) + (SELECT count(*) FROM care_clocks WHERE met_at IS NULL AND "
    "((warned = 0 AND warn_at <= ?1) OR (breach_fired = 0 AND due_at <= "
    "?1))) + (SELECT count(*) FROM alerts WHERE acked_at IS NULL AND "
    "escalated = 0 AND escalate_at IS NOT NULL AND escalate_at <= ?1)";

/* Wait until the scheduler has fired every deadline that has come; the
 * instant up to which it has. */
static int64_t
settle(void)
{
	int64_t	cutoff = 0, pending = 0;
	int	i;

	for (i = 0; i < 600; i++) {
		cutoff = test_now() - 1500;
		if ((pending = one_i(sql_pending, cutoff, 0)) == 0)
			return cutoff;
		usleep(50000);
	}
	failure("the scheduler left %lld deadlines due by %lld unfired for "
	    "30 s", (long long)pending, (long long)cutoff);
	return cutoff;
}

/* Walk the register's balances, product by product. */
static void
check_balances(void)
{
	sqlite3_stmt	*st = stmt("SELECT product_id, seq, quantity, "
			    "balance_after FROM register_entries ORDER BY "
			    "product_id, seq");
	char		 product[64] = "";
	int64_t		 balance = 0;
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char	*p = (const char *)sqlite3_column_text(st, 0);

		if (strcmp(p, product) != 0) {
			fl_copy(product, sizeof product, p);
			balance = 0;
		}
		balance += sqlite3_column_int64(st, 2);
		if (balance != sqlite3_column_int64(st, 3) || balance < 0) {
			failure("register of %s: entry %lld has balance %lld, "
			    "the entries before it make %lld", product,
			    (long long)sqlite3_column_int64(st, 1),
			    (long long)sqlite3_column_int64(st, 3),
			    (long long)balance);
			balance = sqlite3_column_int64(st, 3);
		}
	}
	if (rc != SQLITE_DONE)
		fl_die("register: %s", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

/* Everything about the store as a whole, in one read transaction. */
static void
check_store(int64_t down_from, int64_t down_to, int count_down)
{
	char	text[256];
	size_t	i;
	int64_t	bad;

	exec("BEGIN");
	rows("PRAGMA integrity_check", NULL, NULL, text, sizeof text);
	if (strcmp(text, "ok") != 0)
		failure("PRAGMA integrity_check: %s", text);
	if (rows("PRAGMA foreign_key_check", NULL, NULL, text,
	    sizeof text) != 0)
		failure("PRAGMA foreign_key_check: a row in %s", text);
	snapshot_tables();
	for (i = 0; i < sizeof invariants / sizeof invariants[0]; i++)
		if ((bad = one(invariants[i].sql, NULL, NULL)) != 0) {
			failure("%lld times: %s", (long long)bad,
			    invariants[i].what);
			t.partial++;
		}
	check_balances();
	if (count_down && down_from > 0 && down_to > down_from)
		for (i = 0; i < D_N; i++) {
			bad = one_i(sql_down[i], down_from, down_to);
			t.down[i] += bad;
			t.deadlines_down += bad;
		}
	exec("COMMIT");
}

/* A signed-in client for each member of staff a retry is sent as. */
static struct fl_api	retry_api[MAX_CLIENTS];
static int		retry_open[MAX_CLIENTS];

static struct fl_api *
api_for(const char *user)
{
	int	i;
	char	pin[16];

	if (sscanf(user, "load%d", &i) != 1 || i < 0 || i >= MAX_CLIENTS)
		fl_die("no client for %s", user);
	if (!retry_open[i]) {
		snprintf(pin, sizeof pin, "24680%d", i % 10);
		if (fl_open(&retry_api[i], opt_server, user, pin) == -1)
			fl_die("cannot sign in as %s to retry", user);
		retry_open[i] = 1;
	}
	return &retry_api[i];
}

/* Send an unknown write again under its own key: the daemon must replay
 * the first answer if it was stored, or do it now. */
static void
retry(struct rec *r)
{
	json_t	*body = json_loads(r->body, 0, NULL), *a = NULL;
	int	 status;

	status = fl_call(api_for(r->user), r->method, r->path, body, r->key,
	    &a);
	if (status == 401) {
		fl_signin(api_for(r->user));
		json_decref(a);
		body = json_loads(r->body, 0, NULL);
		status = fl_call(api_for(r->user), r->method, r->path, body,
		    r->key, &a);
	}
	r->status = status;
	if (status >= 200 && status < 300) {
		r->cls = 'P';
		t.retried_acked++;
		if (r->kind == K_ADMINISTER)
			snprintf(r->ret, sizeof r->ret, "%s",
			    fl_str(a, "register_entry_id"));
		else if (r->kind != K_REFUSE && r->kind != K_ACK)
			fl_copy(r->ret, sizeof r->ret, fl_str(a, "id"));
	} else if (status >= 400 && status < 500) {
		r->cls = 'Q';
		t.retried_refused++;
		fl_copy(r->ret, sizeof r->ret, fl_str(json_object_get(a,
		    "error"), "code"));
		if (r->was_present == 1)
			failure("%s %s was stored, but its retry under the same "
			    "key was refused %d %s", kind_names[r->kind], r->m1,
			    status, fl_str(json_object_get(a, "error"),
			    "code"));
	} else
		fl_warn("retry of %s %s: status %d; tried again next time",
		    kind_names[r->kind], r->m1, status);
	json_decref(a);
}

static void
audit_verify(void)
{
	struct fl_api	 admin;
	json_t		*a;

	if (fl_open(&admin, opt_server, ADMIN_USER, ADMIN_PIN) == -1)
		fl_die("cannot sign in as %s", ADMIN_USER);
	a = fl_must(&admin, 200, "GET", "/audit/verify", NULL);
	if (!json_is_true(json_object_get(a, "ok"))) {
		char	*text = json_dumps(a, JSON_COMPACT);

		failure("GET /v1/audit/verify: %s", text);
		free(text);
	}
	json_decref(a);
	fl_close(&admin);
}

static void
tally_load(void)
{
	char	file[512];
	FILE	*f;
	int	i;

	memset(&t, 0, sizeof t);
	path_in(file, sizeof file, "tally");
	if ((f = fopen(file, "r")) == NULL)
		return;
	if (fscanf(f, "%ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld",
	    &t.acked, &t.refused, &t.unknown, &t.unknown_present,
	    &t.retried_acked, &t.retried_refused, &t.lost, &t.duplicated,
	    &t.partial, &t.wrong_id, &t.deadlines_down) != 11)
		fl_die("%s: unreadable", file);
	for (i = 0; i < D_N; i++)
		if (fscanf(f, "%ld", &t.down[i]) != 1)
			fl_die("%s: unreadable", file);
	fclose(f);
}

static void
tally_save(void)
{
	char	file[512];
	FILE	*f;
	int	i;

	path_in(file, sizeof file, "tally");
	if ((f = fopen(file, "w")) == NULL)
		fl_die("%s: %s", file, strerror(errno));
	fprintf(f, "%ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld\n", t.acked,
	    t.refused, t.unknown, t.unknown_present, t.retried_acked,
	    t.retried_refused, t.lost, t.duplicated, t.partial, t.wrong_id,
	    t.deadlines_down);
	for (i = 0; i < D_N; i++)
		fprintf(f, "%ld\n", t.down[i]);
	fclose(f);
}

static void
cmd_check(void)
{
	struct recs	 rs = { NULL, 0, 0 };
	char		 file[512], tmp[512], id[80];
	int64_t		 down_from = 0, down_to, new_acked = 0, new_unknown = 0;
	size_t		 i, old;
	long		 failures_before;
	FILE		*f;
	int		 c;

	tally_load();
	path_in(file, sizeof file, "state");
	recs_load(&rs, file);
	old = rs.n;
	for (c = 0; c < MAX_CLIENTS; c++) {
		snprintf(file, sizeof file, "%s/new.%d", opt_dir, c);
		recs_load(&rs, file);
	}
	for (i = old; i < rs.n; i++) {
		if (rs.v[i].cls == 'A') {
			t.acked++;
			new_acked++;
		} else if (rs.v[i].cls == 'R')
			t.refused++;
		else {
			t.unknown++;
			new_unknown++;
		}
	}
	path_in(file, sizeof file, "down");
	if ((f = fopen(file, "r")) != NULL) {
		long long v;

		if (fscanf(f, "%lld", &v) == 1)
			down_from = v;
		fclose(f);
	}

	db_open(1);
	down_to = opt_up_at + one("SELECT value FROM meta WHERE name = "
	    "'test_clock_offset_ms'", NULL, NULL);
	failures_before = t.failures;
	settle();
	/* The store as the crash left it (and the scheduler caught up). */
	check_store(down_from, down_to, 1);
	exec("BEGIN");
	snapshot_tables();
	for (i = 0; i < rs.n; i++)
		if (rs.v[i].cls == 'U') {
			rs.v[i].was_present = rec_count(&rs.v[i], id,
			    sizeof id);
			if (rs.v[i].was_present > 0)
				t.unknown_present++;
			rec_check(&rs.v[i]);
		}
	exec("COMMIT");

	/* Retry the unknowns, as a terminal would. */
	for (i = 0; i < rs.n; i++)
		if (rs.v[i].cls == 'U')
			retry(&rs.v[i]);

	/* Every write, acknowledged, refused or retried, against the store
	 * as it is now. */
	settle();
	check_store(0, 0, 0);
	exec("BEGIN");
	snapshot_tables();
	for (i = 0; i < rs.n; i++)
		rec_check(&rs.v[i]);
	exec("COMMIT");
	db_close();
	audit_verify();

	path_in(file, sizeof file, "state.tmp");
	path_in(tmp, sizeof tmp, "state");
	if ((f = fopen(file, "w")) == NULL)
		fl_die("%s: %s", file, strerror(errno));
	for (i = 0; i < rs.n; i++)
		rec_write(f, &rs.v[i]);
	if (fclose(f) != 0 || rename(file, tmp) == -1)
		fl_die("%s: cannot write", tmp);
	for (c = 0; c < MAX_CLIENTS; c++) {
		snprintf(file, sizeof file, "%s/new.%d", opt_dir, c);
		unlink(file);
	}
	path_in(file, sizeof file, "down");
	unlink(file);
	for (c = 0; c < MAX_CLIENTS; c++)
		if (retry_open[c]) {
			fl_close(&retry_api[c]);
			retry_open[c] = 0;
		}
	for (i = 0; i < rs.n; i++)
		free(rs.v[i].body);
	free(rs.v);
	tally_save();
	printf("  checked %zu writes (%lld new acknowledged, %lld unknown); "
	    "lost %ld, duplicated %ld, partial %ld; deadlines due while "
	    "down so far %ld\n", rs.n, (long long)new_acked,
	    (long long)new_unknown, t.lost, t.duplicated, t.partial,
	    t.deadlines_down);
	if (t.failures != failures_before)
		exit(1);
}

/* A refusal's kind and code, and how often. */
struct refusal_count {
	int	kind;
	char	code[48];
	long	n;
};

static void
cmd_report(void)
{
	struct recs		 rs = { NULL, 0, 0 };
	struct refusal_count	 rc[64];
	char			 file[512];
	long			 by[K_N][2];
	size_t			 i;
	int			 k, nrc = 0, j;

	tally_load();
	path_in(file, sizeof file, "state");
	recs_load(&rs, file);
	memset(by, 0, sizeof by);
	for (i = 0; i < rs.n; i++) {
		by[rs.v[i].kind][0] += rs.v[i].cls == 'A' ||
		    rs.v[i].cls == 'P';
		by[rs.v[i].kind][1]++;
		if (rs.v[i].cls == 'R' || rs.v[i].cls == 'Q') {
			for (j = 0; j < nrc; j++)
				if (rc[j].kind == rs.v[i].kind &&
				    strcmp(rc[j].code, rs.v[i].ret) == 0)
					break;
			if (j == nrc && nrc < 64) {
				rc[nrc].kind = rs.v[i].kind;
				fl_copy(rc[nrc].code, sizeof rc[nrc].code,
				    rs.v[i].ret);
				rc[nrc++].n = 0;
			}
			if (j < 64)
				rc[j].n++;
		}
		free(rs.v[i].body);
	}
	free(rs.v);
	printf("writes sent:            %zu\n", rs.n);
	printf("acknowledged (2xx):     %ld, and %ld more unknown ones "
	    "acknowledged by their retry\n", t.acked, t.retried_acked);
	for (k = 0; k < K_N; k++)
		printf("  %-12s          %ld acknowledged of %ld sent\n",
		    kind_names[k], by[k][0], by[k][1]);
	printf("refused (4xx):          %ld, each checked absent:\n",
	    t.refused);
	for (j = 0; j < nrc; j++)
		printf("  %-12s %-24s %ld\n", kind_names[rc[j].kind],
		    rc[j].code, rc[j].n);
	printf("unknown outcomes:       %ld (no answer: killed in flight or "
	    "not listening); %ld of them were stored, whole, before the "
	    "retry (replayed), %ld retried and refused\n", t.unknown,
	    t.unknown_present, t.retried_refused);
	printf("lost:                   %ld\n", t.lost);
	printf("duplicated:             %ld\n", t.duplicated);
	printf("partial (half-present): %ld\n", t.partial);
	printf("wrong id answered:      %ld\n", t.wrong_id);
	printf("deadlines that came due while down: %ld, none left unfired "
	    "after the restart, none fired twice:\n", t.deadlines_down);
	for (k = 0; k < D_N; k++)
		printf("  %-24s %ld\n", down_names[k], t.down[k]);
}

static void
usage(void)
{
	fprintf(stderr, "usage: loadgen setup|run|down|check|report -s URL "
	    "-d DIR [--db DB] [-n CLIENTS] [-c CYCLE] [--killed-at MS] "
	    "[--jump S] [--up-at MS]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char	*cmd;
	int		 i;

	if (argc < 2)
		usage();
	cmd = argv[1];
	for (i = 2; i < argc; i++) {
		const char	*o = argv[i], *v = i + 1 < argc ? argv[i + 1] :
				    NULL;

		if (v == NULL)
			usage();
		if (strcmp(o, "-s") == 0)
			opt_server = v;
		else if (strcmp(o, "-d") == 0)
			opt_dir = v;
		else if (strcmp(o, "--db") == 0)
			opt_db = v;
		else if (strcmp(o, "-n") == 0)
			opt_clients = atoi(v);
		else if (strcmp(o, "-c") == 0)
			opt_cycle = atoi(v);
		else if (strcmp(o, "--killed-at") == 0)
			opt_killed_at = atoll(v);
		else if (strcmp(o, "--up-at") == 0)
			opt_up_at = atoll(v);
		else if (strcmp(o, "--jump") == 0)
			opt_jump = atoll(v);
		else
			usage();
		i++;
	}
	if (opt_dir == NULL || opt_clients < 1 || opt_clients > MAX_CLIENTS)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "setup") == 0 && opt_server)
		cmd_setup();
	else if (strcmp(cmd, "run") == 0 && opt_server)
		cmd_run();
	else if (strcmp(cmd, "down") == 0 && opt_db)
		cmd_down();
	else if (strcmp(cmd, "check") == 0 && opt_server && opt_db)
		cmd_check();
	else if (strcmp(cmd, "report") == 0)
		cmd_report();
	else
		usage();
	return 0;
}
