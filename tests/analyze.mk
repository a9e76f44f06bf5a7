# make analyze: the clang static analyzer (scan-build) over the daemon and
# the clients, in a build of its own made afresh so that every file is
# read again.  The baseline is zero reports: any report fails (.ci/run runs
# it), and is fixed rather than silenced.  The reports are kept as HTML
# under $(ANALYZE_BUILD)/reports.  The compiler's warnings are make
# check's to judge (WERROR=1 there): a plain -O2 build warns of things the
# sanitizer build does not, and they are not the analyzer's reports.
# Included by the Makefile.

ANALYZE_BUILD	?= build/analyze

.PHONY: analyze

analyze: deps
	rm -rf $(ANALYZE_BUILD)
	scan-build --status-bugs -o $(ANALYZE_BUILD)/reports \
	    $(MAKE) --no-print-directory SAN=0 WERROR=0 \
	    BUILD=$(ANALYZE_BUILD) all
