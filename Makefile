# idtsd: see README.md.  `make run` and `make check` are the two commands a
# newcomer needs; both install what is missing first.

VERSION	= 0.1.0
PREFIX	?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR	?=
BUILD	?= build
SAN	?= 0

PKGS	= libevent libevent_openssl sqlite3 uuid libconfig jansson libcrypt \
	  libssl libcrypto libsystemd
# Warnings are errors where it matters (CI sets WERROR=1), not on a
# newcomer's newer compiler.
WERROR	?= 0
WARN	= -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes \
	  -Wstrict-prototypes -Wpointer-arith -Wundef
ifeq ($(WERROR),1)
WARN	+= -Werror
endif
CFLAGS	?= -O2 -g
# pkg-config runs once per make, not once per compile.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The daemon's layers (docs/design.md): the pure rules, the services that
# apply them, the store, the HTTP edge, and the rest of the daemon.
LAYERS	= daemon/rules daemon/services daemon/store daemon/http daemon
CPPFLAGS_BASE = -D_GNU_SOURCE -DIDTSD_VERSION='"$(VERSION)"' \
	  -DIDTSD_DATADIR='"$(PREFIX)/share/idtsd"'
CPPFLAGS_ALL = $(CPPFLAGS_BASE) $(LAYERS:%=-I%) -Iclients -I$(BUILD) \
	  $(PKG_CFLAGS)
# The rules see only each other and headers that do no I/O: every header of
# SQLite, libevent, libconfig, OpenSSL, systemd and ncurses is shadowed by
# an #error (scripts/impure-headers.sh), so impurity fails to compile.
IMPURE	= $(BUILD)/impure-headers
CPPFLAGS_RULES = $(CPPFLAGS_BASE) -I$(IMPURE) -Idaemon/rules \
	  $(shell pkg-config --cflags-only-I jansson uuid 2>/dev/null)
CFLAGS_ALL = -std=c11 $(WARN) $(CFLAGS) -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lm
ifeq ($(SAN),1)
CFLAGS_ALL += -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

DAEMON_SRC = $(filter-out daemon/main.c,$(wildcard $(LAYERS:%=%/*.c)))
RULES_SRC  = $(wildcard daemon/rules/*.c)
RULES_OBJ  = $(RULES_SRC:%.c=$(BUILD)/%.o)
DAEMON_OBJ = $(DAEMON_SRC:%.c=$(BUILD)/%.o) $(BUILD)/schema_sql.o
CTL_SRC   = $(wildcard clients/idtsctl*.c)
CTL_OBJ   = $(CTL_SRC:%.c=$(BUILD)/%.o)
CLIENT_SRC = $(filter-out $(CTL_SRC),$(wildcard clients/*.c))
CLIENT_OBJ = $(CLIENT_SRC:%.c=$(BUILD)/%.o)
WARD_SRC  = $(wildcard clients/ward/*.c)
WARD_OBJ  = $(WARD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check tests unit integration run install bench clean

all: $(BUILD)/idtsd $(BUILD)/idtsctl $(BUILD)/idts-ward

deps:
	@scripts/install-deps

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c -o $@ $<

$(RULES_OBJ): $(BUILD)/daemon/rules/%.o: daemon/rules/%.c | $(IMPURE)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_RULES) $(CFLAGS_ALL) -c -o $@ $<

$(IMPURE): scripts/impure-headers.sh
	scripts/impure-headers.sh $@

$(BUILD)/schema_sql.c: $(sort $(wildcard schema/*.sql)) scripts/embed-schema.sh
	@mkdir -p $(@D)
	scripts/embed-schema.sh $(sort $(wildcard schema/*.sql)) > $@.tmp
	mv $@.tmp $@

$(BUILD)/schema_sql.o: $(BUILD)/schema_sql.c
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c -o $@ $<

# The rules and the store as a library, so a unit test links only the
# modules it uses.  Made anew each time: `ar rcs` never drops the member of
# a deleted source.
$(BUILD)/libidtsd.a: $(DAEMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libidtsclient.a: $(CLIENT_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/idtsd: $(BUILD)/daemon/main.o $(BUILD)/libidtsd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# idtsctl shares the daemon's validation, time and prompt modules.
$(BUILD)/idtsctl: $(CTL_OBJ) $(BUILD)/libidtsclient.a $(BUILD)/libidtsd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# idts-ward, the full-screen ward terminal: the client library, the
# daemon's pure modules (NEWS2, validation, time) and ncurses.
$(WARD_OBJ): CPPFLAGS_ALL += $(shell pkg-config --cflags ncursesw)
$(BUILD)/idts-ward: $(WARD_OBJ) $(BUILD)/libidtsclient.a $(BUILD)/libidtsd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(shell pkg-config --libs ncursesw) \
	    $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libidtsd.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< \
	    $(BUILD)/libidtsd.a $(LDLIBS_ALL) $(shell pkg-config --libs cmocka)

# make check: install what is missing, build everything with
# AddressSanitizer and UndefinedBehaviorSanitizer, run every test, and end
# with one line of totals.
check: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=build/asan tests

# The safety suite checks the hazard log's tests ran (docs/safety/).
tests: $(UNIT_BIN) $(BUILD)/idtsd $(BUILD)/idtsctl $(BUILD)/idts-ward
	tests/run.sh $(BUILD) unit integration safety

unit: $(UNIT_BIN)
	tests/run.sh $(BUILD) unit

integration: $(BUILD)/idtsd $(BUILD)/idtsctl $(BUILD)/idts-ward
	tests/run.sh $(BUILD) integration

# make run: the daemon in the foreground on ./var/ with the DEMO ward.
run: deps
	$(MAKE) --no-print-directory all
	@mkdir -p var
	$(BUILD)/idtsd -f -c config/demo.conf --seed-demo

bench: deps
	$(MAKE) --no-print-directory all
	tests/bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system \
	    $(DESTDIR)$(PREFIX)/lib/sysusers.d \
	    $(DESTDIR)$(PREFIX)/share/idtsd \
	    $(DESTDIR)$(PREFIX)/share/idtsd/dashboard
	install -m 0755 $(BUILD)/idtsd $(DESTDIR)$(PREFIX)/sbin/idtsd
	install -m 0755 $(BUILD)/idtsctl $(DESTDIR)$(PREFIX)/bin/idtsctl
	install -m 0644 clients/idtsctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0755 $(BUILD)/idts-ward $(DESTDIR)$(PREFIX)/bin/idts-ward
	install -m 0644 clients/idts-ward.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 config/idtsd.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 daemon/idtsd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 config/idtsd.conf $(DESTDIR)$(PREFIX)/share/idtsd/
	@# The managers' dashboard (dashboard.directory); Chart.js is
	@# Debian's libjs-chart.js, served from where it is installed.
	install -m 0644 dashboard/*.html dashboard/*.js dashboard/*.css \
	    dashboard/*.svg $(DESTDIR)$(PREFIX)/share/idtsd/dashboard/
	@# The live config is the admin's: installed once, never overwritten.
	install -d $(DESTDIR)$(SYSCONFDIR)/idtsd
	[ -e $(DESTDIR)$(SYSCONFDIR)/idtsd/idtsd.conf ] || \
	    install -m 0644 config/idtsd.conf $(DESTDIR)$(SYSCONFDIR)/idtsd/
	sed 's|/usr/sbin/idtsd|$(PREFIX)/sbin/idtsd|' systemd/idtsd.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/idtsd.service
	install -m 0644 systemd/idtsd.sysusers \
	    $(DESTDIR)$(PREFIX)/lib/sysusers.d/idtsd.conf

clean:
	rm -rf build

# make faults (kill -9, I/O and allocation faults) and make fuzz
# (libFuzzer): their rules live beside their tests.
-include tests/faults/faults.mk tests/fuzz/fuzz.mk
# make coverage and make analyze (static analysis): tests/*.mk.
-include tests/coverage.mk tests/analyze.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
