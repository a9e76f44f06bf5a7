#!/bin/sh
# Run the test suites named (unit, integration, safety) against the
# binaries in BUILD, go on past a failure, and end with one line of totals:
#   N passed, M failed
# A unit test counts as a cmocka test; an integration test as a script.  A
# unit binary that dies before cmocka reports (a sanitizer's abort) counts
# as one failure.  Every test that passes is written to BUILD/tests-ran.txt
# ("test_dose:test_givable", "t_doses.sh"); the safety suite, run last,
# checks that each test the hazard log cites is there
# (tests/safety_check.sh) and counts as one test.  Exits non-zero if
# anything failed.
set -u
BUILD=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
RAN=$BUILD/tests-ran.txt
case " $* " in
*" unit "* | *" integration "*) : >"$RAN" ;;
esac

# cmocka ends with "[  PASSED  ] N test(s)." and, if any failed,
# "[  FAILED  ] M test(s), listed below:".
unit() {
	up=0; uf=0
	for t in "$BUILD"/tests/test_*; do
		# Only the programs: not make's .d nor gcov's .gcno and .gcda.
		[ -f "$t" ] && [ -x "$t" ] || continue
		out=$(mktemp)
		"$t" >"$out" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
		p=${p:-0}; f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
		if [ "$f" -ne 0 ]; then
			echo "FAIL $(basename "$t") ($p passed, $f failed)"
			sed 's/^/    /' "$out" | tail -60
		else
			echo "ok   $(basename "$t") ($p)"
		fi
		up=$((up + p)); uf=$((uf + f))
		sed -n "s/^\[       OK \] \(.*\)/$(basename "$t"):\1/p" \
		    "$out" >>"$RAN"
		rm -f "$out"
	done
	echo "unit: $up passed, $uf failed"
	passed=$((passed + up)); failed=$((failed + uf))
}

integration() {
	out=$(mktemp)
	"$here"/integration/run.sh "$BUILD" | tee "$out"
	line=$(tail -1 "$out")
	sed -n 's/^ok   \(t_[^ ]*\) .*/\1.sh/p' "$out" >>"$RAN"
	rm -f "$out"
	ip=$(echo "$line" | sed -n 's/^integration: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	if_=$(echo "$line" | sed -n 's/^integration: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$ip" ]; then
		ip=0; if_=1
		echo "integration: the runner ended without its totals"
	fi
	passed=$((passed + ip)); failed=$((failed + if_))
}

# The hazard log's citations (docs/safety/): one test, passed or failed.
safety() {
	if "$here"/safety_check.sh "$here"/../docs/safety/hazard-log.md \
	    "$RAN"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

for suite in "$@"; do
	"$suite"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
