/* bench_sqlite: durable single-row commits per second in raw SQLite.
 *
 * The floor under bench_writes: how fast SQLite alone can commit one row
 * per transaction on a disk, with the pragmas idtsd's store uses
 * (journal_mode=WAL, synchronous=FULL, foreign_keys=ON), into a copy of
 * idtsd's patients table (STRICT, its CHECKs, its foreign key to staff
 * and its partial unique index) with rows like the ones bench_writes
 * registers.  Each row is BEGIN IMMEDIATE; INSERT; COMMIT with prepared
 * statements, timed from BEGIN to the end of COMMIT (CLOCK_MONOTONIC).
 *
 *	bench_sqlite -f /var/tmp/somewhere/raw.db -n 2000 -l raw
 *
 *	-f FILE   database to create; it must not exist yet.  Put it on the
 *		  disk under test (the one the daemon's database is on).
 *	-n N      rows, one transaction each (1000)
 *	-l LABEL  name of the run in the output (raw)
 *
 * It prints a line for people and one "RESULT LABEL ROWS/S P50_MS P99_MS"
 * line for scripts (tests/bench/run.sh).  It leaves FILE (and its -wal and
 * -shm) behind for the caller to remove.
 * Build: cc -std=c11 -O2 bench_sqlite.c $(pkg-config --cflags --libs sqlite3) */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench_common.h"

/* idtsd's schema for the tables a registration writes to (see
 * schema/001_foundation.sql). */
static const char bench_schema[] =
    "CREATE TABLE staff ("
    " id TEXT PRIMARY KEY,"
    " username TEXT NOT NULL UNIQUE,"
    " display_name TEXT NOT NULL,"
    " roles INTEGER NOT NULL CHECK (roles > 0 AND roles < 256),"
    " pin_hash TEXT NOT NULL,"
    " active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    " failed_pins INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE patients ("
    " id TEXT PRIMARY KEY,"
    " prison_number TEXT NOT NULL"
    "  CHECK (prison_number GLOB '[A-Z][0-9][0-9][0-9][0-9][A-Z][A-Z]'),"
    " given_name TEXT NOT NULL,"
    " family_name TEXT NOT NULL,"
    " date_of_birth TEXT NOT NULL,"
    " arrived_at INTEGER NOT NULL,"
    " location TEXT NOT NULL,"
    " stimulant_user INTEGER NOT NULL CHECK (stimulant_user IN (0, 1)),"
    " status TEXT NOT NULL DEFAULT 'in_custody'"
    "  CHECK (status IN ('in_custody', 'released', 'transferred')),"
    " created_by TEXT NOT NULL REFERENCES staff(id),"
    " created_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE UNIQUE INDEX patients_in_custody ON patients(prison_number)"
    " WHERE status = 'in_custody';";

static const char bench_staff_id[] = "4b1c7d2e-9a0f-4c3b-8e5d-6f7a8b9c0d1e";

static sqlite3	*db;

static int64_t
wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn))
die_sqlite(const char *what)
{
	fprintf(stderr, "bench_sqlite: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void
exec(const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die_sqlite(sql);
}

/* A random version 4 UUID, as the daemon makes for each patient, so the
 * primary key index takes inserts all over as it does there. */
static void
random_uuid(uint64_t *state, char out[37])
{
	unsigned char	b[16];
	uint64_t	x = 0;
	int		i;

	for (i = 0; i < 16; i++) {
		if (i % 8 == 0) {	/* xorshift64* */
			*state ^= *state >> 12;
			*state ^= *state << 25;
			*state ^= *state >> 27;
			x = *state * 2685821657736338717ULL;
		}
		b[i] = (unsigned char)(x >> (8 * (i % 8)));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static sqlite3_stmt *
prepare(const char *sql)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK)
		die_sqlite(sql);
	return st;
}

/* Step a statement that returns no rows, and reset it. */
static void
step_done(sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die_sqlite(what);
	sqlite3_reset(st);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench_sqlite -f file [-n rows] [-l label]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char	*file = NULL, *label = "raw";
	sqlite3_stmt	*begin, *insert, *commit;
	char		 id[37], number[8], family[16], mode[16];
	char		*end;
	long		 rows = 1000, i;
	int64_t		*lat, t0, t1, start;
	uint64_t	 rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	double		 seconds;
	int		 ch;

	while ((ch = getopt(argc, argv, "f:l:n:")) != -1) {
		switch (ch) {
		case 'f':
			file = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'n':
			errno = 0;
			rows = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || rows < 1 ||
			    rows > 10000000)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc || file == NULL)
		usage();
	if (access(file, F_OK) == 0) {
		fprintf(stderr, "bench_sqlite: %s exists; give a new file\n",
		    file);
		return 2;
	}
	if ((lat = calloc((size_t)rows, sizeof *lat)) == NULL) {
		perror("bench_sqlite");
		return 1;
	}

	/* As store_open() does. */
	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		die_sqlite(file);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	{
		sqlite3_stmt	*st = prepare("PRAGMA journal_mode = WAL");

		if (sqlite3_step(st) != SQLITE_ROW)
			die_sqlite("PRAGMA journal_mode");
		snprintf(mode, sizeof mode, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		if (strcmp(mode, "wal") != 0) {
			fprintf(stderr, "bench_sqlite: %s: journal mode is %s, "
			    "not wal\n", file, mode);
			return 1;
		}
	}
	exec("PRAGMA synchronous = FULL");
	exec("PRAGMA foreign_keys = ON");
	exec("BEGIN IMMEDIATE");
	exec(bench_schema);
	{
		char	sql[512];

		snprintf(sql, sizeof sql, "INSERT INTO staff (id, username, "
		    "display_name, roles, pin_hash, created_at) VALUES ('%s', "
		    "'reception1', 'Bench Reception', 16, '$y$j9T$bench', %lld)",
		    bench_staff_id, (long long)wall_ms());
		exec(sql);
	}
	exec("COMMIT");

	begin = prepare("BEGIN IMMEDIATE");
	commit = prepare("COMMIT");
	insert = prepare("INSERT INTO patients (id, prison_number, "
	    "given_name, family_name, date_of_birth, arrived_at, location, "
	    "stimulant_user, status, created_by, created_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, 'in_custody', ?9, ?10)");

	start = now_ns();
	for (i = 0; i < rows; i++) {
		random_uuid(&rng, id);
		prison_number(i, number);
		snprintf(family, sizeof family, "Client%03ld", i % 16);

		t0 = now_ns();
		step_done(begin, "BEGIN IMMEDIATE");
		sqlite3_bind_text(insert, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 2, number, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 3, "Bench", -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 4, family, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 5, "1990-01-01", -1, SQLITE_STATIC);
		sqlite3_bind_int64(insert, 6, 1767254400000LL);
		sqlite3_bind_text(insert, 7, "Reception holding room 2", -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(insert, 8, 0);
		sqlite3_bind_text(insert, 9, bench_staff_id, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(insert, 10, wall_ms());
		step_done(insert, "INSERT INTO patients");
		sqlite3_clear_bindings(insert);
		step_done(commit, "COMMIT");
		t1 = now_ns();
		lat[i] = t1 - t0;
	}
	seconds = (double)(now_ns() - start) / 1e9;

	sqlite3_finalize(begin);
	sqlite3_finalize(insert);
	sqlite3_finalize(commit);
	if (sqlite3_close(db) != SQLITE_OK)
		die_sqlite("close");

	qsort(lat, (size_t)rows, sizeof *lat, cmp_int64);
	printf("%s: %ld rows, one commit each, in %.2f s: %.1f rows/s, "
	    "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", label, rows, seconds,
	    (double)rows / seconds, quantile_ms(lat, rows, 0.50),
	    quantile_ms(lat, rows, 0.99), (double)lat[rows - 1] / 1e6);
	printf("RESULT %s %.1f %.3f %.3f\n", label, (double)rows / seconds,
	    quantile_ms(lat, rows, 0.50), quantile_ms(lat, rows, 0.99));
	free(lat);
	return 0;
}
