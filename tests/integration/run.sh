#!/bin/sh
# Run every integration test (t_*.sh) against the binaries in BUILD.
# Each test starts its own daemon on a temporary directory and free port.
# Prints "N passed, M failed" and exits non-zero if any failed.
set -u
BUILD=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$BUILD" && pwd)
export IDTS_BUILD="$BUILD"
passed=0
failed=0
failures=""
for t in "$here"/t_*.sh; do
	name=$(basename "$t" .sh)
	log=$(mktemp)
	start=$(date +%s)
	if sh "$t" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name ($(( $(date +%s) - start ))s)"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name"
		sed 's/^/    /' "$log" | tail -40
	fi
	rm -f "$log"
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
