/* A simulated week of a 40-bed stabilisation unit, run against a real
 * idtsd with the test clock, to show its resident memory stays flat
 * (week.sh starts the daemon and passes its pid).
 *
 *   week -s URL --pid PID [--days 7] [--tolerance 10]
 *
 * The clock goes forward 15 minutes at a time.  At each step the ward does
 * what a ward does: gives the doses that are due (a nurse with a witness),
 * now and then has one refused or lets one go, takes the observations that
 * are due (a few late, some scores high), and acknowledges its alerts
 * (not always at once, so some escalate); a prescriber reviews a held
 * prescription.  Each day: fresh sign-ins, a stock check and a delivery
 * when stock runs low, keyworkers allocated, a court trip out and back,
 * four releases (with their discharge letters) and four arrivals (in
 * treatment, stimulant users or both) with their prescriptions, the
 * managers' compliance report, the register's page and the audit walk.
 * A ward terminal follows the alert stream all week, reconnecting daily
 * with Last-Event-ID.  At the end of each day the daemon's VmRSS is read
 * from /proc; the test passes if day 7 is within the tolerance of day 2.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "faultlib.h"

#define ADMIN_PIN	"424242"
#define BEDS		40
#define MAX_PATIENTS	200
#define STEP_SECONDS	900

struct patient {
	char	id[37];
	char	pn[8];
	int64_t	arrived;
	int	treated;	/* in community treatment: prescribed */
	int	stim;		/* stimulant user: observed */
	int	keyworker;	/* allocated */
	int	released;
};

static struct patient	pats[MAX_PATIENTS];
static int		npats, narrivals;
static struct fl_api	boss, approver, nina, doc, rob, cara, mo, phil, ward;
static char		product[37];
static const char	*opt_server;
static int		opt_days = 7, opt_pid;
static double		opt_tolerance = 10.0;
static int64_t		now;

/* Tallies of the week, to show it was busy. */
static struct {
	long	calls, given, refused, skipped, obs, obs_late, acks, escalated,
		reviews, arrivals, releases, courts, events, stream_restarts,
		signins, stream_lapsed;
} n;

/* --- small helpers ---------------------------------------------------- */

/* One call; a session that lapsed (30 idle minutes) is renewed by
 * signing in again, as the person at the terminal would. */
static int
call(struct fl_api *a, const char *method, const char *path, json_t *req,
    json_t **body)
{
	char	key[37];
	int	status;

	n.calls++;
	fl_uuid(key);
	status = fl_call(a, method, path, json_incref(req),
	    strcmp(method, "GET") == 0 ? NULL : key, body);
	if (status == 401) {
		if (body != NULL)
			json_decref(*body);
		n.signins++;
		if (fl_signin(a) == -1)
			fl_die("cannot sign in again as %s", a->user);
		n.calls++;
		status = fl_call(a, method, path, json_incref(req),
		    strcmp(method, "GET") == 0 ? NULL : key, body);
	}
	json_decref(req);
	return status;
}

/* A call that must answer want. */
static json_t *
must(struct fl_api *a, int want, const char *method, const char *path,
    json_t *req)
{
	json_t	*body = NULL;
	char	*text;
	int	 status = call(a, method, path, req, &body);

	if (status != want) {
		text = body ? json_dumps(body, JSON_COMPACT) : NULL;
		fl_die("%s %s as %s: expected %d, got %d: %s", method, path,
		    a->user, want, status, text ? text : "(no body)");
	}
	return body;
}

static void
sign_all(void)
{
	struct fl_api	*all[] = { &boss, &nina, &doc, &rob, &cara, &mo, &phil };
	size_t		 i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (fl_signin(all[i]) == -1)
			fl_die("cannot sign in %s", all[i]->user);
}

static json_t *
witness(void)
{
	return json_pack("{s:s,s:s}", "username", "carl", "pin", "3333");
}

static int
minute_of_day(void)
{
	return (int)((now / 60000) % (24 * 60));	/* UTC = local in winter */
}

/* Move the clock on; the daemon's scheduler catches up as it answers. */
static void
advance(int seconds)
{
	json_t	*a = must(&boss, 200, "POST", "/test/clock",
		    json_pack("{s:i}", "advance_seconds", seconds));

	now = fl_parse_instant(fl_str(a, "now"));
	json_decref(a);
}

/* --- the alert stream of the ward terminal ----------------------------- */

static struct client_stream	*stream;
static int			 stream_refused;

static int
on_event(const char *id, const char *event, const char *data, void *arg)
{
	(void)id;
	(void)event;
	(void)data;
	(void)arg;
	n.events++;
	return 0;
}

static void
on_state(int state, int status, void *arg)
{
	(void)arg;
	/* The stream's session lapses when the test clock runs faster than
	 * the daemon's heartbeats can keep it in use: the terminal signs in
	 * again, as a nurse would. */
	if (state == CLIENT_STREAM_REFUSED) {
		if (status != 401)
			fl_die("the alert stream was refused: %d", status);
		stream_refused = 1;
	}
}

/* (Re)connect the ward terminal's stream with a fresh sign-in, resuming
 * where the last one stopped. */
static void
stream_restart(void)
{
	char	after[64] = "";

	if (stream != NULL) {
		fl_copy(after, sizeof after, client_stream_last_id(stream));
		client_stream_stop(stream);
		event_base_loop(ward.c.base, EVLOOP_NONBLOCK);
		n.stream_restarts++;
	}
	if (fl_signin(&ward) == -1)
		fl_die("cannot sign in the ward terminal");
	if ((stream = client_stream_start(&ward.c, "/alerts/stream", after,
	    on_event, on_state, NULL)) == NULL)
		fl_die("cannot follow the alert stream");
}

/* Read what the stream has sent. */
static void
stream_poll(void)
{
	int	i;

	for (i = 0; i < 20; i++)
		event_base_loop(ward.c.base, EVLOOP_NONBLOCK);
	if (stream_refused) {
		stream_refused = 0;
		n.stream_lapsed++;
		stream_restart();
	}
}

/* --- the unit --------------------------------------------------------- */

static void
prescribe(struct patient *p)
{
	char	date[11];

	fl_local_date(now, date);
	json_decref(must(&doc, 201, "POST", "/prescriptions", json_pack(
	    "{s:s,s:s,s:s,s:i,s:[s,s],s:s}", "patient_id", p->id,
	    "product_id", product, "regimen", "maintenance", "dose",
	    30 + 10 * (int)fl_rand(4), "times", "08:00", "18:00",
	    "start_date", date)));
}

/* Reception registers an arrival: treated, stimulant user, both or
 * neither, in turn. */
static void
arrive(int64_t arrived)
{
	struct patient	*p;
	json_t		*b, *ct = json_null();
	char		 at[32], last[32], loc[32];
	int		 k = narrivals++;

	if (npats == MAX_PATIENTS)
		fl_die("too many patients");
	p = &pats[npats++];
	memset(p, 0, sizeof *p);
	snprintf(p->pn, sizeof p->pn, "W%04uAA", (unsigned)k % 10000u);
	p->treated = k % 4 != 2;
	p->stim = k % 4 >= 2;
	p->arrived = arrived;
	fl_instant(arrived, at);
	if (p->treated) {
		json_decref(ct);
		fl_instant(arrived - 20 * 3600 * 1000, last);
		ct = json_pack("{s:s,s:i,s:s,s:s,s:s}", "drug", "methadone",
		    "dose", 40, "unit", "ml", "prescriber", "Dr Community",
		    "last_dose_at", last);
	}
	snprintf(loc, sizeof loc, "Wing S, cell %d", 1 + k % BEDS);
	b = must(&rob, 201, "POST", "/patients", json_pack(
	    "{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}", "prison_number", p->pn,
	    "given_name", "Week", "family_name", "Patient", "date_of_birth",
	    "1988-08-08", "arrived_at", at, "location", loc,
	    "stimulant_user", p->stim, "community_treatment", ct));
	fl_copy(p->id, sizeof p->id, fl_str(b, "id"));
	json_decref(b);
	n.arrivals++;
	if (p->treated)
		prescribe(p);
}

static char	refuser[8];	/* who refuses every dose, two days running */

/* The codes of a dose's cautions, each confirmed as the nurse at the
 * hatch does having read it (issue 15). */
static json_t *
cautions(const json_t *dose)
{
	json_t		*codes = json_array();
	const json_t	*c;
	size_t		 i;

	json_array_foreach(json_object_get(dose, "cautions"), i, c)
		json_array_append(codes, json_object_get(c, "code"));
	return codes;
}

/* The round: every dose due is given, but one in thirty is refused, one
 * in fifty left to be missed, and one patient a day refuses them all
 * (three in a row hold the prescription for review). */
static void
round_give(void)
{
	json_t	*list, *d, *a;
	size_t	 i;
	char	 path[256];
	int	 status;

	list = must(&nina, 200, "GET", "/doses?state=due", NULL);
	json_array_foreach(list, i, d) {
		unsigned	r = fl_rand(100);

		if (strcmp(fl_str(json_object_get(d, "patient"),
		    "prison_number"), refuser) == 0)
			r = 3;
		if (r < 2) {
			n.skipped++;
			continue;
		}
		if (r < 5) {
			snprintf(path, sizeof path, "/doses/%s/refuse",
			    fl_str(d, "id"));
			status = call(&nina, "POST", path, json_pack("{s:s}",
			    "reason", "declined at the hatch"), NULL);
			if (status != 200)
				fl_die("refuse: %d", status);
			n.refused++;
			continue;
		}
		snprintf(path, sizeof path, "/doses/%s/administer",
		    fl_str(d, "id"));
		a = NULL;
		status = call(&nina, "POST", path, json_pack("{s:o,s:o,s:s}",
		    "witness", witness(), "confirm_cautions", cautions(d),
		    "note", "cautions read and considered"), &a);
		if (status == 200)
			n.given++;
		else if (status != 422 || strcmp(fl_str(json_object_get(a,
		    "error"), "code"), "held_for_review") != 0)
			fl_die("administer: %d", status);
		json_decref(a);
	}
	json_decref(list);
}

/* At night (22:00 to 06:00) the ward looks round only on the hour. */
static int
night_off(void)
{
	int	m = minute_of_day();

	return (m < 6 * 60 || m >= 22 * 60) && m % 60 != 0;
}

/* Observations that are due, taken now; one in twenty left for later. */
static void
observe(void)
{
	json_t	*list, *d, *a;
	size_t	 i;
	char	 at[32];
	int	 status, high;

	if (night_off())
		return;
	list = must(&nina, 200, "GET", "/observations/due", NULL);
	fl_instant(now, at);
	json_array_foreach(list, i, d) {
		if (fl_parse_instant(fl_str(d, "next_due_at")) > now)
			continue;
		if (fl_rand(100) < 5)
			continue;
		high = fl_rand(100) < 8;
		a = NULL;
		status = call(&nina, "POST", "/observations", json_pack(
		    "{s:s,s:s,s:i,s:i,s:i,s:b,s:i,s:i,s:s,s:f}", "patient_id",
		    fl_str(json_object_get(d, "patient"), "id"), "taken_at",
		    at, "respiratory_rate", high ? 25 : 16, "spo2",
		    high ? 93 : 97, "spo2_scale", 1, "on_oxygen", 0,
		    "systolic_bp", 120, "pulse", high ? 115 : 72,
		    "consciousness", "A", "temperature", 36.8), &a);
		if (status != 201)
			fl_die("observation: %d", status);
		n.obs++;
		if (json_is_true(json_object_get(d, "overdue")))
			n.obs_late++;
		json_decref(a);
	}
	json_decref(list);
}

/* Acknowledge open alerts, each by someone on its list; one in ten waits
 * for the next step, and at night the ward looks only on the hour, so
 * some escalate.  A held prescription is reviewed. */
static void
acknowledge(void)
{
	json_t		*list, *al, *a;
	struct fl_api	*who;
	const char	*aud, *kind;
	size_t		 i;
	char		 path[128];
	int		 status;

	if (night_off())
		return;
	list = must(&mo, 200, "GET", "/alerts?state=open", NULL);
	json_array_foreach(list, i, al) {
		if (fl_rand(100) < 10)
			continue;
		aud = fl_str(al, "audience");
		kind = fl_str(al, "kind");
		/* The doctor on call's copy of a deterioration is a
		 * prescriber's, not the nurse's (issue 16's read matrix). */
		who = strcmp(aud, "manager") == 0 ? &mo :
		    strcmp(aud, "prescriber") == 0 ||
		    strcmp(aud, "on_call") == 0 ? &doc :
		    strcmp(aud, "pharmacy") == 0 ? &phil : &nina;
		if (strcmp(kind, "escalation") == 0)
			n.escalated++;
		if (strcmp(kind, "prescription_held") == 0 && who == &doc) {
			snprintf(path, sizeof path, "/prescriptions/%s/review",
			    fl_str(al, "subject_id"));
			status = call(&doc, "POST", path, json_pack("{s:s}",
			    "note", "reviewed on the ward round; continue"),
			    NULL);
			if (status == 200)
				n.reviews++;
			else if (status != 409)
				fl_die("review: %d", status);
		}
		snprintf(path, sizeof path, "/alerts/%s/ack", fl_str(al, "id"));
		a = NULL;
		status = call(who, "POST", path, json_pack("{s:s}", "note",
		    "seen"), &a);
		if (status == 200)
			n.acks++;
		else if (status != 409)
			fl_die("ack %s as %s: %d", kind, who->user, status);
		json_decref(a);
	}
	json_decref(list);
}

/* --- daily work ------------------------------------------------------- */

/* A stock check, and a delivery when stock runs low. */
static void
pharmacy(void)
{
	json_t	*p;
	char	 path[256];
	double	 balance;

	snprintf(path, sizeof path, "/products/%s", product);
	p = must(&phil, 200, "GET", path, NULL);
	balance = json_number_value(json_object_get(p, "balance"));
	json_decref(p);
	snprintf(path, sizeof path, "/register/%s/checks", product);
	json_decref(must(&phil, 201, "POST", path, json_pack("{s:f,s:o}",
	    "counted", balance, "witness", witness())));
	if (balance < 5000) {
		snprintf(path, sizeof path, "/register/%s/receipts", product);
		json_decref(must(&phil, 201, "POST", path, json_pack(
		    "{s:i,s:s,s:s,s:o}", "quantity", 10000, "supplier",
		    "Alliance", "reference", "WEEKLY", "witness", witness())));
	}
}

/* Each arrival in treatment gets a keyworker the morning after. */
static void
allocate_keyworkers(const char *cara_id)
{
	char	path[256];
	int	i;

	for (i = 0; i < npats; i++) {
		if (pats[i].released || !pats[i].treated || pats[i].keyworker)
			continue;
		snprintf(path, sizeof path, "/patients/%.36s/keyworker",
		    pats[i].id);
		json_decref(must(&cara, 200, "POST", path, json_pack("{s:s}",
		    "staff_id", cara_id)));
		pats[i].keyworker = 1;
	}
}

static char	court_id[37];
static int	court_patient = -1;

/* One patient in treatment goes to court at 09:30 and back at 16:00. */
static void
court_book(int day)
{
	char	 at[32];
	json_t	*m;
	int	 i = 0, tries;

	court_id[0] = '\0';
	court_patient = -1;
	for (tries = 0; tries < npats; tries++) {
		i = (day * 7 + tries) % npats;
		if (!pats[i].released && pats[i].treated)
			break;
	}
	if (tries == npats)
		return;
	fl_instant(now + (150 * 60000), at);	/* 07:00 + 2.5 h */
	m = must(&rob, 201, "POST", "/movements", json_pack(
	    "{s:s,s:s,s:s,s:s}", "patient_id", pats[i].id, "kind", "court",
	    "departs_at", at, "destination", "Leeds Crown Court"));
	fl_copy(court_id, sizeof court_id, fl_str(m, "id"));
	court_patient = i;
	json_decref(m);
	n.courts++;
}

static void
court_move(const char *what)
{
	char	path[256];

	if (court_id[0] == '\0')
		return;
	snprintf(path, sizeof path, "/movements/%s/%s", court_id, what);
	json_decref(must(&rob, 200, "POST", path, json_pack("{}")));
}

/* Today's patient who refuses: one in treatment, not leaving. */
static void
pick_refuser(int day)
{
	int	i, tries;

	refuser[0] = '\0';
	for (tries = 0; tries < npats; tries++) {
		i = (day / 2 * 11 + 3 + tries) % npats;
		if (!pats[i].released && pats[i].treated && i != court_patient) {
			fl_copy(refuser, sizeof refuser, pats[i].pn);
			return;
		}
	}
}

static char	release_ids[4][37];

/* The four longest here are released at 11:00; their letters printed. */
static void
releases_book(void)
{
	struct client_reply	 out;
	char			 at[32], path[256], *cause = NULL;
	int			 i, k = 0, status;

	memset(release_ids, 0, sizeof release_ids);
	fl_instant(now + 2 * 3600 * 1000, at);	/* 09:00 + 2 h */
	for (i = 0; i < npats && k < 4; i++) {
		if (pats[i].released || i == court_patient)
			continue;
		status = call(&rob, "POST", "/movements", json_pack(
		    "{s:s,s:s,s:s,s:s,s:s}", "patient_id", pats[i].id, "kind",
		    "release", "departs_at", at, "destination", "home",
		    "follow_up", "Community drug team, Monday 10:00"), NULL);
		if (status != 201)
			fl_die("book a release: %d", status);
		pats[i].released = 1;
		k++;
	}
	/* Find the movements booked today, for their departure and letter. */
	{
		char	date[11];
		json_t	*list, *mv;
		size_t	 j;

		fl_local_date(now, date);
		snprintf(path, sizeof path, "/movements?date=%s", date);
		list = must(&rob, 200, "GET", path, NULL);
		k = 0;
		json_array_foreach(list, j, mv) {
			if (strcmp(fl_str(mv, "kind"), "release") != 0 ||
			    strcmp(fl_str(mv, "state"), "planned") != 0 ||
			    k == 4)
				continue;
			fl_copy(release_ids[k++], 37, fl_str(mv, "id"));
			snprintf(path, sizeof path, "/movements/%s/summary",
			    fl_str(mv, "id"));
			n.calls++;
			/* The letter is clinical: the nurse's to read, not
			 * reception's (issue 16's read matrix). */
			if (client_call_accept(&nina.c, "GET", path, NULL,
			    NULL, "text/plain", &out, &cause) == -1 ||
			    out.status != 200)
				fl_die("discharge letter: %s", cause ? cause :
				    "not 200");
			client_reply_free(&out);
		}
		json_decref(list);
	}
}

static void
releases_depart(void)
{
	char	path[256];
	int	k;

	for (k = 0; k < 4; k++) {
		if (release_ids[k][0] == '\0')
			continue;
		snprintf(path, sizeof path, "/movements/%s/depart",
		    release_ids[k]);
		json_decref(must(&rob, 200, "POST", path, json_pack("{}")));
		n.releases++;
	}
}

/* What managers and the pharmacy read at midday. */
static void
reading(void)
{
	struct client_reply	 out;
	char			 path[160], from[11], to[11], *cause = NULL;
	json_t			*a;

	fl_local_date(now - 6 * 24 * 3600 * 1000LL, from);
	fl_local_date(now, to);
	snprintf(path, sizeof path, "/reports/observations?from=%s&to=%s",
	    from, to);
	json_decref(must(&mo, 200, "GET", path, NULL));
	n.calls++;
	if (client_call_accept(&mo.c, "GET", path, NULL, NULL, "text/csv",
	    &out, &cause) == -1 || out.status != 200)
		fl_die("CSV report: %s", cause ? cause : "not 200");
	client_reply_free(&out);
	snprintf(path, sizeof path, "/register/%s", product);
	json_decref(must(&phil, 200, "GET", path, NULL));
	json_decref(must(&nina, 200, "GET", "/patients?status=in_custody",
	    NULL));
	json_decref(must(&mo, 200, "GET", "/clocks", NULL));
	json_decref(must(&mo, 200, "GET", "/alerts", NULL));
	a = must(&boss, 200, "GET", "/audit/verify", NULL);
	if (!json_is_true(json_object_get(a, "ok")))
		fl_die("the audit chain does not verify");
	json_decref(a);
}

/* --- memory ----------------------------------------------------------- */

static long
rss_kb(const char *field)
{
	char	 file[64], line[256];
	long	 kb = -1;
	size_t	 len = strlen(field);
	FILE	*f;

	snprintf(file, sizeof file, "/proc/%d/status", opt_pid);
	if ((f = fopen(file, "r")) == NULL)
		fl_die("%s: %s", file, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, len) == 0 && line[len] == ':')
			kb = atol(line + len + 1);
	fclose(f);
	return kb;
}

/* The daemon's open descriptors. */
static int
open_fds(void)
{
	char		 dir[64];
	struct dirent	*e;
	DIR		*d;
	int		 count = 0;

	snprintf(dir, sizeof dir, "/proc/%d/fd", opt_pid);
	if ((d = opendir(dir)) == NULL)
		fl_die("%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			count++;
	closedir(d);
	return count;
}

/* A new member of staff, made by boss; a guarded role's grant, which
 * waits for a second person (issue 16), approved by the second admin
 * (made at the console by week.sh). */
static void
staff_add(const char *user, const char *name, json_t *roles, const char *pin)
{
	json_t	*b, *change;
	char	 path[128];

	b = must(&boss, 201, "POST", "/staff", json_pack(
	    "{s:s,s:s,s:o,s:s}", "username", user, "display_name", name,
	    "roles", roles, "pin", pin));
	if ((change = json_object_get(b, "pending_change")) != NULL) {
		snprintf(path, sizeof path, "/staff/changes/%s/approve",
		    fl_str(change, "id"));
		json_decref(must(&approver, 200, "POST", path, NULL));
	}
	json_decref(b);
}

static void
open_as(struct fl_api *a, const char *user, const char *pin)
{
	if (fl_open(a, opt_server, user, pin) == -1)
		fl_die("cannot sign in as %s", user);
}

int
main(int argc, char *argv[])
{
	long	 rss[32] = { 0 }, hwm[32] = { 0 };
	int	 fds[32] = { 0 };
	char	 cara_id[37];
	json_t	*b;
	int	 i, day, step, m;
	double	 growth;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-s") == 0)
			opt_server = argv[i + 1];
		else if (strcmp(argv[i], "--pid") == 0)
			opt_pid = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--days") == 0)
			opt_days = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--tolerance") == 0)
			opt_tolerance = atof(argv[i + 1]);
		else
			break;
	}
	if (i != argc || opt_server == NULL || opt_pid <= 0 || opt_days < 3 ||
	    opt_days > 30) {
		fprintf(stderr, "usage: week -s URL --pid PID [--days 7] "
		    "[--tolerance 10]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fl_seed(8);

	/* Monday 1 February 2027, 06:00: winter, so local time is UTC. */
	open_as(&boss, "boss", ADMIN_PIN);
	b = must(&boss, 200, "POST", "/test/clock", json_pack("{s:s}", "now",
	    "2027-02-01T06:00:00Z"));
	now = fl_parse_instant(fl_str(b, "now"));
	json_decref(b);
	fl_signin(&boss);
	open_as(&approver, "approver", "975317");
	staff_add("mo", "Mo Manager", json_pack("[s]", "manager"), "8888");
	open_as(&mo, "mo", "8888");
	staff_add("nina", "Nina Nurse", json_pack("[s]", "nurse"), "2222");
	staff_add("nora", "Nora Nurse", json_pack("[s]", "nurse"), "2323");
	staff_add("carl", "Carl Competent", json_pack("[s]", "competent"),
	    "3333");
	staff_add("phil", "Phil Pharmacist", json_pack("[s]", "pharmacist"),
	    "4444");
	staff_add("rob", "Rob Reception", json_pack("[s]", "reception"),
	    "5555");
	staff_add("cara", "Cara CARAT", json_pack("[s]", "carat"), "6666");
	staff_add("doc", "Dr Doc", json_pack("[s]", "prescriber"), "7777");
	b = must(&boss, 200, "GET", "/staff", NULL);
	{
		json_t	*s;
		size_t	 j;

		json_array_foreach(b, j, s)
			if (strcmp(fl_str(s, "username"), "cara") == 0)
				fl_copy(cara_id, sizeof cara_id,
				    fl_str(s, "id"));
	}
	json_decref(b);
	open_as(&nina, "nina", "2222");
	open_as(&doc, "doc", "7777");
	open_as(&rob, "rob", "5555");
	open_as(&cara, "cara", "6666");
	open_as(&phil, "phil", "4444");
	open_as(&ward, "nora", "2323");
	b = must(&phil, 201, "POST", "/products", json_pack("{s:s,s:s,s:s,s:s}",
	    "name", "Methadone", "form", "oral solution", "strength",
	    "1 mg/ml", "unit", "ml"));
	fl_copy(product, sizeof product, fl_str(b, "id"));
	json_decref(b);
	{
		char	path[256];

		snprintf(path, sizeof path, "/register/%s/receipts", product);
		json_decref(must(&phil, 201, "POST", path, json_pack(
		    "{s:i,s:s,s:s,s:o}", "quantity", 20000, "supplier",
		    "Alliance", "reference", "OPENING", "witness",
		    witness())));
	}
	for (i = 0; i < BEDS; i++)
		arrive(now - (int64_t)(1 + i % 12) * 3600 * 1000);
	stream_restart();

	printf("a week of a %d-bed unit, 15-minute steps; the daemon is "
	    "pid %d\n", BEDS, opt_pid);
	printf("%-5s %-10s %10s %10s %5s %8s %8s %6s %6s\n", "day", "date",
	    "VmRSS kB", "VmHWM kB", "fds", "calls", "given", "obs", "acks");
	for (day = 1; day <= opt_days; day++) {
		long	calls0 = n.calls, given0 = n.given, obs0 = n.obs,
			acks0 = n.acks;
		char	date[11];

		fl_local_date(now, date);
		for (step = 0; step < 24 * 3600 / STEP_SECONDS; step++) {
			advance(STEP_SECONDS);
			m = minute_of_day();
			if (m == 7 * 60) {
				sign_all();
				stream_restart();
				pharmacy();
				allocate_keyworkers(cara_id);
				court_book(day);
				pick_refuser(day);
			}
			if (m == 9 * 60)
				releases_book();
			if (m == 9 * 60 + 30)
				court_move("depart");
			if (m == 11 * 60)
				releases_depart();
			if (m == 12 * 60)
				reading();
			if (m == 14 * 60)
				for (i = 0; i < 4; i++)
					arrive(now - (int64_t)(i + 1) *
					    600000);
			if (m == 16 * 60)
				court_move("return");
			round_give();
			observe();
			acknowledge();
			stream_poll();
		}
		rss[day] = rss_kb("VmRSS");
		hwm[day] = rss_kb("VmHWM");
		fds[day] = open_fds();
		printf("%-5d %-10s %10ld %10ld %5d %8ld %8ld %6ld %6ld\n", day,
		    date, rss[day], hwm[day], fds[day], n.calls - calls0,
		    n.given - given0, n.obs - obs0, n.acks - acks0);
	}
	client_stream_stop(stream);
	event_base_loop(ward.c.base, EVLOOP_NONBLOCK);

	printf("the week: %ld calls; %ld doses given, %ld refused, %ld left "
	    "to be missed; %ld observations (%ld overdue); %ld alerts "
	    "acknowledged (%ld escalations), %ld holds reviewed; %ld "
	    "arrivals, %ld releases, %ld court trips; %ld stream events, "
	    "%ld stream reconnections (%ld after its session lapsed); %ld "
	    "sign-ins after a lapsed session\n", n.calls, n.given, n.refused,
	    n.skipped, n.obs, n.obs_late, n.acks, n.escalated, n.reviews,
	    n.arrivals, n.releases, n.courts, n.events, n.stream_restarts,
	    n.stream_lapsed, n.signins);
	growth = 100.0 * (double)(rss[opt_days] - rss[2]) / (double)rss[2];
	printf("resident memory: day 2 %ld kB, day %d %ld kB: %+.1f%% "
	    "(tolerance +%.0f%%)\n", rss[2], opt_days, rss[opt_days], growth,
	    opt_tolerance);
	printf("open descriptors: day 2 %d, day %d %d\n", fds[2], opt_days,
	    fds[opt_days]);
	if (growth > opt_tolerance) {
		printf("FAIL: resident memory grew from day 2 to day %d\n",
		    opt_days);
		return 1;
	}
	/* A few for the stream and the connection being served. */
	if (fds[opt_days] > fds[2] + 8) {
		printf("FAIL: open descriptors grew from day 2 to day %d\n",
		    opt_days);
		return 1;
	}
	printf("resident memory and descriptors flat from day 2 to day %d: "
	    "passed\n", opt_days);
	return 0;
}
