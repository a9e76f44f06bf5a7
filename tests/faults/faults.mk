# make faults: the kill -9 test under load (ASan+UBSan build) and the
# simulated week whose resident memory must stay flat (a plain build:
# ASan's own bookkeeping would swamp a leak).  make kill9 and make week
# run one each.  Included by the Makefile; the programs link the
# project's client library and daemon library.
#
#   make faults                 both, about 8 minutes on 2 cores (the
#                               kill test checks its checker first:
#                               selftest.sh)
#   make kill9 KILLS=300        more kills
#   make week                   the week alone

FAULTS_ASAN_BUILD ?= build/faults-asan
FAULTS_BUILD	?= build/faults
KILLS		?= 110

FAULTS_COMMON	= $(BUILD)/tests/faults/faultlib.o $(BUILD)/libidtsclient.a \
		  $(BUILD)/libidtsd.a

.PHONY: faults kill9 week faults-kill9 faults-week

faults: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-kill9
	$(MAKE) --no-print-directory SAN=0 BUILD=$(FAULTS_BUILD) faults-week

kill9: deps
	$(MAKE) --no-print-directory SAN=1 BUILD=$(FAULTS_ASAN_BUILD) \
	    faults-kill9

week: deps
	$(MAKE) --no-print-directory SAN=0 BUILD=$(FAULTS_BUILD) faults-week

faults-kill9: $(BUILD)/idtsd $(BUILD)/faults/loadgen
	tests/faults/selftest.sh $(BUILD)
	tests/faults/kill9.sh $(BUILD) $(KILLS)

faults-week: $(BUILD)/idtsd $(BUILD)/faults/week
	tests/faults/week.sh $(BUILD)

$(BUILD)/faults/loadgen: $(BUILD)/tests/faults/loadgen.o $(FAULTS_COMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/faults/week: $(BUILD)/tests/faults/week.o $(FAULTS_COMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)
