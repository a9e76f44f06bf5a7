# libFuzzer targets (clang), included by the Makefile.
#
#   make fuzz                 run each target for FUZZ_SECONDS (default 60)
#                             with its seed corpus and dictionary
#   make fuzz FUZZ_TARGETS=fuzz_config FUZZ_SECONDS=300
#   make fuzz-regress         replay the kept crashes and the seeds, once
#   make fuzz-build           just build them
#
# The daemon's sources are compiled again with clang and
# -fsanitize=fuzzer-no-link,address,undefined into $(FUZZ_BUILD), apart
# from the gcc objects.  Inputs libFuzzer finds go to
# $(FUZZ_BUILD)/corpus/<target>/, crashes to $(FUZZ_BUILD)/crashes/.

FUZZ_CC		?= clang
FUZZ_BUILD	?= build/fuzz
FUZZ_SECONDS	?= 60
FUZZ_TARGETS	?= fuzz_router fuzz_json_body fuzz_config fuzz_sse_resume
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all \
		  -fno-omit-frame-pointer
# clang, unlike gcc, warns of vsnprintf(fmt) in the printf-like log_*().
FUZZ_CFLAGS	= -std=c11 $(WARN) -Wno-format-nonliteral -O1 -g $(FUZZ_SAN) -MMD -MP
FUZZ_CPPFLAGS	= $(CPPFLAGS_ALL) -Itests/fuzz

FUZZ_DAEMON_OBJ	= $(DAEMON_SRC:%.c=$(FUZZ_BUILD)/%.o) \
		  $(FUZZ_BUILD)/schema_sql.o
FUZZ_BIN	= $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

.PHONY: fuzz fuzz-build fuzz-regress

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-regress: $(FUZZ_BIN)
	tests/fuzz/run.sh --regress $(FUZZ_BUILD) 0 $(FUZZ_TARGETS)

# The daemon, for linking into a fuzzer: instrumented for coverage, but
# without libFuzzer's main.
$(FUZZ_BUILD)/daemon/%.o: daemon/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    -c -o $@ $<

$(FUZZ_BUILD)/schema_sql.o: $(BUILD)/schema_sql.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    -c -o $@ $<

$(FUZZ_BUILD)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    -c -o $@ $<

$(FUZZ_BUILD)/libidtsd.a: $(FUZZ_DAEMON_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# fuzz_ward.o (the seeded ward) goes first: its uuid_generate_random()
# replaces libuuid's.
$(FUZZ_BUILD)/fuzz_config: $(FUZZ_BUILD)/tests/fuzz/fuzz_config.o \
    $(FUZZ_BUILD)/libidtsd.a
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(LDLIBS_ALL)

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o \
    $(FUZZ_BUILD)/tests/fuzz/fuzz_ward.o $(FUZZ_BUILD)/libidtsd.a
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(LDLIBS_ALL)

# The fuzz build lives outside BUILD, so its header dependencies are read
# here: an object made before a header changed is made again.
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
