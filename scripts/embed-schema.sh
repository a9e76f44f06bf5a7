#!/bin/sh
# Compile schema/NNN_name.sql into a C array of migrations, in order.
# Usage: embed-schema.sh schema/*.sql > build/schema_sql.c
set -eu
printf '/* Generated from the schema folder by scripts/embed-schema.sh. */\n'
printf '#include "store_schema.h"\n\n'
printf 'const struct store_migration store_migrations[] = {\n'
n=0
for f in "$@"; do
	base=$(basename "$f" .sql)
	num=${base%%_*}
	n=$((n + 1))
	if [ "$(expr "$num" + 0)" -ne "$n" ]; then
		echo "embed-schema: $f: expected migration number $n" >&2
		exit 1
	fi
	printf '\t{ %d, "%s",\n' "$n" "$base"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t    "/' -e 's/$/\\n"/' "$f"
	printf '\t},\n'
done
printf '};\n\nconst int store_migration_count = %d;\n' "$n"
