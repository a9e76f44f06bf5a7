# make faults: the kill -9 test under load (ASan+UBSan build), the
# simulated week whose resident memory must stay flat (a plain build:
# ASan's own bookkeeping would swamp a leak), and the I/O and allocation
# fault tests (ASan+UBSan).  make kill9, make week, make io-faults and
# make alloc-faults run one each.  Included by the Makefile; the programs
# link the project's client library and daemon library.
#
#   make faults                 all, about 13 minutes on 2 cores (the
#                               kill test checks its checker first:
#                               selftest.sh)
#   make kill9 KILLS=300        more kills
#   make week                   the week alone
#   make io-faults              each write, sync and truncate of a request
#                               sequence failed in turn
#   make alloc-faults           each allocation of it failed in turn
#                               (sampled past ALLOC_ALL: see README.md)
#   make hostile                1,000 idle and slowloris connections and
#                               unread streams while a nurse signs off
#                               doses; a 10 MB body (hostile.sh)

FAULTS_ASAN_BUILD ?= build/faults-asan
FAULTS_BUILD	?= build/faults
KILLS		?= 110

FAULTS_COMMON	= $(BUILD)/tests/faults/faultlib.o $(BUILD)/libidtsclient.a \
		  $(BUILD)/libidtsd.a

.PHONY: faults kill9 week faults-kill9 faults-week
.PHONY: io-faults alloc-faults faults-io faults-alloc
.PHONY: hostile faults-hostile

faults: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-kill9
	$(MAKE) --no-print-directory SAN=0 BUILD=$(FAULTS_BUILD) faults-week
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-io
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-alloc
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-hostile

kill9: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-kill9

week: deps
	$(MAKE) --no-print-directory SAN=0 BUILD=$(FAULTS_BUILD) faults-week

io-faults: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-io

alloc-faults: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-alloc

hostile: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-hostile

faults-kill9: $(BUILD)/idtsd $(BUILD)/faults/loadgen
	tests/faults/selftest.sh $(BUILD)
	tests/faults/kill9.sh $(BUILD) $(KILLS)

faults-week: $(BUILD)/idtsd $(BUILD)/faults/week
	tests/faults/week.sh $(BUILD)

faults-io: $(BUILD)/faults/idtsd-faults
	tests/faults/io_faults.sh $(BUILD)

faults-alloc: $(BUILD)/faults/idtsd-faults
	tests/faults/alloc_faults.sh $(BUILD)

faults-hostile: $(BUILD)/idtsd $(BUILD)/faults/hostile
	tests/faults/hostile.sh $(BUILD)

$(BUILD)/faults/loadgen: $(BUILD)/tests/faults/loadgen.o $(FAULTS_COMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/faults/week: $(BUILD)/tests/faults/week.o $(FAULTS_COMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/faults/hostile: $(BUILD)/tests/faults/hostile.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The daemon with tests/faults/faultinject.c, which fails the Nth write,
# sync or truncate (a shim SQLite VFS) or the Nth allocation: SQLite's
# through its hook, the daemon's own through --wrap (which touches only
# the objects linked here, not the libraries), jansson's among them
# through the allocator the daemon gives it (not in jansson's parser,
# json_load*), libevent's through its hook but only inside the libevent
# calls wrapped here.
# --wrap=sd_notify shows it the end of start-up, --wrap=router_dispatch
# the request in flight, --wrap=dbcheck_start keeps the background check's
# thread out; -rdynamic names the functions in its backtraces.
FAULTS_WRAP	= -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
		  -Wl,--wrap=reallocarray,--wrap=strdup,--wrap=asprintf \
		  -Wl,--wrap=open_memstream,--wrap=sd_notify \
		  -Wl,--wrap=router_dispatch,--wrap=evbuffer_new \
		  -Wl,--wrap=evbuffer_add,--wrap=evbuffer_pullup \
		  -Wl,--wrap=evhttp_add_header,--wrap=evhttp_send_reply \
		  -Wl,--wrap=evhttp_parse_query_str \
		  -Wl,--wrap=bufferevent_socket_new,--wrap=event_add \
		  -Wl,--wrap=json_loadb,--wrap=json_loads \
		  -Wl,--wrap=dbcheck_start

$(BUILD)/faults/idtsd-faults: $(BUILD)/daemon/main.o \
    $(BUILD)/tests/faults/faultinject.o $(BUILD)/libidtsd.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -rdynamic $(FAULTS_WRAP) -o $@ $^ $(LDLIBS_ALL)
