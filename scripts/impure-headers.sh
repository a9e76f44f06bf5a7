#!/bin/sh
# Write, under DIR, a header of the same name for every header of the I/O
# libraries (SQLite, libevent, libconfig, OpenSSL, systemd, ncurses), each
# one an #error.  The rules are compiled with DIR first on the include path,
# so a rule that includes any of them fails to compile: the rules stay pure.
set -eu
dir=$1
inc=/usr/include
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
for h in sqlite3.h sqlite3ext.h libconfig.h event.h evhttp.h evdns.h evrpc.h \
    evutil.h curses.h ncurses.h ncursesw/curses.h \
    $(cd "$inc" && ls event2/*.h openssl/*.h systemd/*.h 2>/dev/null); do
	mkdir -p "$dir.tmp/$(dirname "$h")"
	printf '#error "the rules are pure: <%s> does I/O (docs/design.md)"\n' \
	    "$h" >"$dir.tmp/$h"
done
rm -rf "$dir"
mv "$dir.tmp" "$dir"
