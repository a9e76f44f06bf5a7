#!/bin/bash
# Allocation faults (issue 8).  tests/faults/alloc_faults.sh BUILD
#
# io_faults.sh's set-up, sequence and checks, with the daemon built with
# tests/faults/faultinject.c failing the Nth allocation instead of the
# Nth write: SQLite's (its allocator hook), jansson's and libevent's
# (theirs), and the daemon's own malloc, calloc, realloc, reallocarray,
# strdup, asprintf and open_memstream (wrapped at link time).  They are
# counted from the moment the daemon says READY=1, so N names the same
# allocation in every run.  What the request the fault hit may answer is
# wider than for I/O: any 4xx or 5xx with a JSON error, or (for a fault
# inside libevent's connection handling) the connection closed without
# an answer, never a hang.  Either way it stored nothing, or it stored
# everything and said so (500 "the change was committed..."); a GET
# answers 200 after it, it succeeds when sent again, the rest of the
# sequence answers as without faults, the database ends as without
# faults, and the daemon exits 0 on SIGTERM with no leak (under ASan).
# Then a sample of start-up's allocations: the daemon exits with a
# message and status 1 to 127 (no crash, no sanitizer report, the
# database untouched), or starts and runs the sequence as without
# faults.
#
# Every allocation after READY up to ALLOC_ALL (100) is failed, then
# every Sth, S chosen to keep to about ALLOC_RUNS (500) runs, starting
# where SEED puts it (so runs with other seeds fail other allocations);
# ALLOC_STRIDE=1 fails every one (about 10,500 runs: an hour and a half
# on two cores).  About STARTUP_RUNS (60) of start-up's 3,700
# (STARTUP_STRIDE=1: all).  JOBS, VERBOSE, KEEP_GOING, PLANS and KEEP as
# for io_faults.sh.
FAULT_MODE=alloc exec "$(dirname "$0")/io_faults.sh" "$@"
