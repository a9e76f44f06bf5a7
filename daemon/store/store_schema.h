/* The schema migrations compiled into the binary (schema/NNN_*.sql). */
#ifndef IDTSD_STORE_SCHEMA_H
#define IDTSD_STORE_SCHEMA_H

struct store_migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

extern const struct store_migration	store_migrations[];
extern const int			store_migration_count;

#endif
