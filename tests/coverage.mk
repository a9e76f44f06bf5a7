# make coverage: the daemon, the clients and the unit tests built with gcov
# instrumentation (no sanitizers), the unit and integration tests run, and
# line coverage printed per layer of the daemon, for the clients and for
# the whole daemon (tests/coverage.sh, with gcovr).  It fails if a test
# fails, if the rules are under COVERAGE_RULES percent or the whole daemon
# under COVERAGE_DAEMON.  Not part of make check: it runs every test
# again.  Included by the Makefile.

COVERAGE_BUILD	?= build/coverage
COVERAGE_RULES	?= 98
COVERAGE_DAEMON	?= 90

.PHONY: coverage coverage-run

coverage: deps
	$(MAKE) --no-print-directory SAN=0 BUILD=$(COVERAGE_BUILD) \
	    CFLAGS='-O0 -g --coverage' LDFLAGS=--coverage coverage-run

# The counts of an earlier run are removed first.  The daemon built here
# writes its counts on SIGUSR2 before it dies by SIGKILL, which
# kill_daemon (tests/integration/lib.sh) sends under IDTS_COVERAGE.
ifeq ($(BUILD),$(COVERAGE_BUILD))
$(BUILD)/idtsd: $(BUILD)/tests/gcov_dump.o
endif

coverage-run: $(UNIT_BIN) $(BUILD)/idtsd $(BUILD)/idtsctl $(BUILD)/idts-ward
	find $(BUILD) -name '*.gcda' -delete
	IDTS_COVERAGE=1 tests/run.sh $(BUILD) unit integration; rc=$$?; \
	    tests/coverage.sh $(BUILD) $(COVERAGE_RULES) $(COVERAGE_DAEMON) && \
	    exit $$rc
