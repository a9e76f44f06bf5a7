#!/bin/sh
# Run the libFuzzer targets, one at a time.
#
#   run.sh FUZZ_BUILD SECONDS TARGET...
#	fuzz each target for SECONDS with its seeds (tests/fuzz/corpus/T/)
#	and dictionary (tests/fuzz/T.dict); what it finds is kept in
#	FUZZ_BUILD/corpus/T/, a crash in FUZZ_BUILD/crashes/T/.
#   run.sh --regress FUZZ_BUILD 0 TARGET...
#	run each target once over its kept crashes
#	(tests/fuzz/regressions/T/) and its seeds.
#
# Prints a line per target (executions, executions a second, coverage)
# and exits non-zero if any crashed.
set -u
regress=0
if [ "${1:-}" = "--regress" ]; then
	regress=1
	shift
fi
[ $# -ge 3 ] || { echo "usage: $0 [--regress] FUZZ_BUILD SECONDS TARGET..." >&2; exit 2; }
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
status=0
summary=""

for t in "$@"; do
	bin="$build/$t"
	log="$build/$t.log"
	[ "$regress" = 1 ] && log="$build/$t.regress.log"
	dict=""
	[ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
	mkdir -p "$build/crashes/$t"
	if [ "$regress" = 1 ]; then
		dirs=""
		[ -d "$here/regressions/$t" ] && dirs="$here/regressions/$t"
		[ -d "$here/corpus/$t" ] && dirs="$dirs $here/corpus/$t"
		# shellcheck disable=SC2086
		"$bin" -runs=0 -print_final_stats=1 \
		    -artifact_prefix="$build/crashes/$t/" $dirs >"$log" 2>&1
		rc=$?
	else
		echo "== $t: ${seconds}s"
		mkdir -p "$build/corpus/$t"
		# shellcheck disable=SC2086
		"$bin" -max_total_time="$seconds" -print_final_stats=1 \
		    -timeout=10 -rss_limit_mb=2048 $dict \
		    -artifact_prefix="$build/crashes/$t/" \
		    "$build/corpus/$t" "$here/corpus/$t" >"$log" 2>&1
		rc=$?
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1)
	ft=$(grep -ao 'ft: [0-9]*' "$log" | tail -1)
	if [ "$regress" = 1 ]; then
		line=$(printf '%-16s %5s inputs replayed  %s  %s' "$t" \
		    "${runs:-?}" "${cov:-cov: ?}" "${ft:-ft: ?}")
	else
		line=$(printf '%-16s %10s runs %7s exec/s  %s  %s' "$t" \
		    "${runs:-?}" "${rate:-?}" "${cov:-cov: ?}" "${ft:-ft: ?}")
	fi
	if [ "$rc" -ne 0 ]; then
		status=1
		line="$line  CRASHED (exit $rc): see $log"
		grep -aE '^(==[0-9]+==ERROR|SUMMARY|fuzz_|artifact_prefix|Test unit written)' \
		    "$log" | head -8 | sed 's/^/    /'
		ls "$build/crashes/$t" 2>/dev/null | sed 's/^/    crash: /'
	fi
	[ "$regress" = 1 ] || echo "$line"
	summary="$summary$line
"
done
[ "$regress" = 1 ] || echo "--"
printf '%s' "$summary"
exit $status
