#!/bin/sh
# Group commit (issue 21): requests that arrive together commit together.
# Sixteen clients register 64 arrivals at once, and four of them the same
# prison number: every 201 is a patient stored, each of the three refused
# (409) created nothing and took nobody else's registration with it, and
# the fsyncs carried more than one request each (GET /metrics).  With
# http.group_commit = false each request commits alone.  That nothing is
# answered before its batch is on disk is tests/faults/kill9.sh's.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon
sign_in boss 424242
add_staff rita "Rita Reception" '["reception"]' 3333
sign_in rita 3333
RITA=$TOKEN

# register N: POST /v1/patients for prison number N (A1000AA + N), its
# status on a line "N STATUS".
cat >"$T/register" <<EOF
#!/bin/sh
n=\$1
num=\$(printf 'A%04dAA' "\$n")
[ "\$n" -ge 9000 ] && num=A9999ZZ	# the four that collide
body=\$(printf '{"prison_number":"%s","given_name":"Sam","family_name":"Stone %d","date_of_birth":"1984-02-29","arrived_at":"%s","location":"HB1","stimulant_user":false,"community_treatment":null}' "\$num" "\$n" "\$(date -u +%Y-%m-%dT%H:%M:%SZ)")
code=\$(curl -s -m 20 -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $RITA" -H 'Content-Type: application/json' \
    --data-binary "\$body" "$SCHEME://127.0.0.1:$PORT/v1/patients")
echo "\$n \$code"
EOF
chmod +x "$T/register"

# value SERIES: one series' value in $T/metrics, 0 when absent.
value() {
	awk -v s="$1" '$1 == s { v = $2 } END { print v + 0 }' "$T/metrics"
}
scrape() {
	curl -s -m 10 -o "$T/metrics" "$SCHEME://127.0.0.1:$PORT/metrics" ||
	    fail "cannot read /metrics"
}

# run FIRST: 60 numbers from FIRST, and the four that collide, 16 at a
# time; the statuses in $T/codes.
run() {
	{ seq "$1" $(($1 + 59)); seq 9000 9003; } |
	    xargs -P 16 -n 1 "$T/register" >"$T/codes"
	[ "$(wc -l <"$T/codes")" -eq 64 ] || fail "not every request was answered"
}

scrape
commits0=$(value idtsd_group_commits_total)
requests0=$(value idtsd_group_commit_requests_total)
run 1
checks=$((checks + 1))
ok=$(awk '$2 == 201' "$T/codes" | wc -l)
refused=$(awk '$2 == 409' "$T/codes" | wc -l)
[ "$ok" -eq 61 ] && [ "$refused" -eq 3 ] ||
    fail "expected 61 registered and 3 refused, got: $(awk '{ print $2 }' "$T/codes" | sort | uniq -c | tr '\n' ' ')"
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM patients")" -eq 61 ] ||
    fail "answered 201 61 times but stored $(sql "SELECT count(*) FROM patients")"
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM patients WHERE prison_number = 'A9999ZZ'")" -eq 1 ] ||
    fail "the colliding number was stored other than once"

scrape
commits=$(($(value idtsd_group_commits_total) - commits0))
requests=$(($(value idtsd_group_commit_requests_total) - requests0))
checks=$((checks + 1))
[ "$requests" -ge 64 ] ||
    fail "only $requests requests were answered from batches"
checks=$((checks + 1))
[ "$commits" -lt "$requests" ] ||
    fail "$requests requests took $commits fsyncs: none was shared"
echo "64 requests from 16 clients: $requests answered from $commits batches"

# Off: every request commits on its own, and no batch is counted.
stop_daemon
EXTRA_CONFIG='http = { group_commit = false; };' start_daemon
run 100
checks=$((checks + 1))
[ "$(awk '$2 == 201' "$T/codes" | wc -l)" -eq 60 ] ||
    fail "with group commit off: $(awk '{ print $2 }' "$T/codes" | sort | uniq -c | tr '\n' ' ')"
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM patients")" -eq 121 ] ||
    fail "with group commit off, stored $(sql "SELECT count(*) FROM patients") of 121"
scrape
checks=$((checks + 1))
[ "$(value idtsd_group_commits_total)" -eq 0 ] ||
    fail "batches were committed with http.group_commit = false"

pass
