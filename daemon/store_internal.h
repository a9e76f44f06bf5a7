/* What the store_*.c files share: the connection and the statement cache.
 * Nothing outside the store includes this. */
#ifndef IDTSD_STORE_INTERNAL_H
#define IDTSD_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

struct store_cached {
	const char	*sql;		/* compared by address */
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	int			 in_transaction;
	struct store_cached	*stmts;
	int			 nstmts, cap;
};

sqlite3_stmt	*store_stmt(struct store *, const char *sql);
void		 store_done(sqlite3_stmt *);
enum store_result store_step_done(struct store *, sqlite3_stmt *);
enum store_result store_failed(struct store *, int rc, const char *what);
enum store_result store_one_int64(struct store *, const char *sql,
		    const int64_t *bind, int64_t *out);
enum store_result store_get_one(struct store *, const char *sql,
		    const char *key, void (*row)(sqlite3_stmt *, void *),
		    void *out, const char *what);
void		 store_bind_optional(sqlite3_stmt *, int, const char *);
enum store_result store_earliest(struct store *, const char *sql_a,
		    const char *sql_b, int64_t *at);
const char	*store_text(sqlite3_stmt *, int col);
void		 store_person_columns(sqlite3_stmt *, int first,
		    struct store_person *);
void		 store_patient_ref_columns(sqlite3_stmt *, int first,
		    struct store_patient_ref *);
void		 store_copy_text(sqlite3_stmt *, int col, char *out,
		    size_t size);

#endif
