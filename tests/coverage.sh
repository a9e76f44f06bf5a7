#!/bin/sh
# tests/coverage.sh BUILD RULES DAEMON: after a run of the tests built with
# --coverage in BUILD, print line coverage per layer of the daemon, for the
# clients and for the whole daemon, and fail if the rules are under RULES
# percent or the whole daemon under DAEMON percent.  Run by make coverage
# (tests/coverage.mk); needs gcovr.
set -eu
BUILD=$1
RULES=$2
DAEMON=$3
cd "$(dirname "$0")/.."

command -v gcovr >/dev/null 2>&1 ||
    { echo "coverage: gcovr is missing (make deps)" >&2; exit 1; }
gcovr -r . --object-directory "$BUILD" --filter 'daemon/' \
    --filter 'clients/' --json-summary "$BUILD/coverage.json" \
    --html-details "$BUILD/coverage.html" >/dev/null

# A file's layer is its folder; daemon/ alone is the rest of the daemon,
# clients/ward/ counts with the clients.
jq -r --argjson rules "$RULES" --argjson daemon "$DAEMON" '
	def layer: if startswith("clients/") then "clients"
	    else sub("/[^/]*$"; "") end;
	def pct: if .total == 0 then 100.0
	    else (1000 * .covered / .total | floor) / 10 end;
	def row($name): "\($name)\t\(.covered)/\(.total)\t\(pct)%";
	[.files[] | {layer: (.filename | layer), covered: .line_covered,
	    total: .line_total}] as $f
	| ($f | group_by(.layer) | map({layer: .[0].layer,
	    covered: (map(.covered) | add), total: (map(.total) | add)}))
	    as $layers
	| ($f | map(select(.layer | startswith("daemon")))
	    | {covered: (map(.covered) | add), total: (map(.total) | add)})
	    as $whole
	| ($layers[] | row(.layer)),
	  ($whole | row("daemon (whole)")),
	  (($layers[] | select(.layer == "daemon/rules") | pct) as $r
	    | ($whole | pct) as $d
	    | if $r < $rules then
		"FAIL: the rules are \($r)% covered, under \($rules)%"
	      else empty end,
	      if $d < $daemon then
		"FAIL: the daemon is \($d)% covered, under \($daemon)%"
	      else empty end)
' "$BUILD/coverage.json" >"$BUILD/coverage.txt"
awk -F '\t' 'NF == 3 { printf "%-16s %12s %7s\n", $1, $2, $3; next }
    { print }' "$BUILD/coverage.txt"
echo "coverage: per file in $BUILD/coverage.html"
! grep -q '^FAIL' "$BUILD/coverage.txt"
