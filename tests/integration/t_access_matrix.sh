#!/bin/sh
# Least privilege (issue 16): who may call each route is one table,
# docs/access-matrix.tsv, and the daemon, the router's table, the API
# reference and docs/design.md all say what it says.  One person in each
# role signs in and calls every route of the router's table: a route the
# table says "no" to is 403 forbidden, any other is not.  Where a role
# reads a resource in part, the part is checked: reception reads patients
# without their prescriptions and only reception's alerts, on the list and
# on the stream; only a nurse, a competent person or a prescriber
# acknowledges an alert to the ward (reception cannot stop an emergency's
# escalation).
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MATRIX=$ROOT/docs/access-matrix.tsv
ROUTER=$ROOT/daemon/http/router.c
ROLES="nurse competent prescriber pharmacist reception carat manager admin idts_lead"
ID=00000000-0000-4000-8000-000000000000

# The table without its comments, path parameters written {}.
grep -v '^#' "$MATRIX" | tail -n +2 | sed 's/{[^}/]*}/{}/g' >"$T/matrix"

# The router's table as "METHOD path roles": path parameters {}, roles
# lower case and comma-separated ("-" for 0, anyone signed in or not).
ENTRY='.*{ *METHOD_\([A-Z]*\), *"\([^"]*\)", *[a-z_]*, *\([^,]*\), *\([^}]*\)}'
sed -n '/^static const struct route routes\[\]/,/^};/p' "$ROUTER" |
    tr -d '\n\t' | sed 's/},/}\n/g' | sed -n "s/$ENTRY.*/\1 \2 \3/p" |
    sed 's/ *| */,/g; s/ROLE_//g' | tr '[:upper:]' '[:lower:]' |
    awk '{ print toupper($1), $2, ($3 == "0" ? "-" : $3) }' >"$T/routes"

# 1. The extraction found the routes, or the rest proves nothing.
checks=$((checks + 1))
n=$(wc -l <"$T/routes")
[ "$n" -ge 50 ] && [ "$n" -eq "$(grep -c '{ METHOD_' "$ROUTER")" ] ||
    fail "read $n routes of router.c's table"

# 2. Every route has a row, every row a route, and the roles that may call
# it are the router's roles column (0 is every role).
awk -F'\t' -v roles="$ROLES" 'BEGIN { split(roles, r, " ") }
    { ok = ""; for (i = 1; i <= 9; i++) if ($(i + 2) != "no")
	ok = ok (ok == "" ? "" : ",") r[i]
    print $1, $2, (ok == "nurse,competent,prescriber,pharmacist,reception,carat,manager,admin,idts_lead" ? "-" : ok) }' \
    "$T/matrix" | sort >"$T/tabled"
awk '{ n = split($3, r, ","); out = "";
    split("nurse competent prescriber pharmacist reception carat manager admin idts_lead", o, " ");
    for (i = 1; i <= 9; i++) for (j = 1; j <= n; j++) if (r[j] == o[i])
	out = out (out == "" ? "" : ",") o[i]
    print $1, $2, ($3 == "-" ? "-" : out) }' "$T/routes" | sort >"$T/served"
checks=$((checks + 1))
if ! diff "$T/served" "$T/tabled" >"$T/diff"; then
	echo "< router.c's table, > docs/access-matrix.tsv:" >&2
	cat "$T/diff" >&2
	fail "the router's roles and the access matrix differ"
fi

# 3. docs/design.md shows the same table (scripts/access-matrix prints it).
checks=$((checks + 1))
sh "$ROOT/scripts/access-matrix" "$MATRIX" >"$T/table.md"
sed -n '/^<!-- access-matrix begins/,/^<!-- access-matrix ends/p' \
    "$ROOT/docs/design.md" | sed '1d;$d' >"$T/found"
if ! cmp -s "$T/table.md" "$T/found"; then
	echo "docs/design.md should hold, as printed by scripts/access-matrix:" >&2
	cat "$T/table.md" >&2
	fail "docs/design.md's read matrix differs from docs/access-matrix.tsv"
fi

# One person in each role: the DEMO ward's (README), and an admin who is
# nothing else.
start_daemon --test-clock --seed-demo
sign_in admin 1111
api POST /staff '{"username":"ada","display_name":"Ada Admin","roles":["admin"],"pin":"9090"}'
expect_status 201
ADA_GRANT=$(jqout .pending_change.id)
sign_in mo 8888		# a grant of admin waits for a second person
api POST "/staff/changes/$ADA_GRANT/approve"
expect_status 200
sign_in admin 1111	# the IDTS lead's role is not guarded: at once
api POST /staff '{"username":"lena","display_name":"Lena Lead","roles":["idts_lead"],"pin":"9191"}'
expect_status 201
for who in nurse:nina:2222 competent:carl:3333 prescriber:dev:7777 \
    pharmacist:priya:4444 reception:rob:5555 carat:cara:6666 \
    manager:mo:8888 admin:ada:9090 idts_lead:lena:9191; do
	role=${who%%:*}
	rest=${who#*:}
	sign_in "${rest%:*}" "${rest#*:}"
	eval "TOKEN_$role=\$TOKEN"
done

# call METHOD PATH: STATUS and CODE of the answer to $TOKEN ({} as $ID;
# a stream is cut after a second: its status is what counts).
call() {
	rm -f "$T/out"
	STATUS=$(curl -s -m 2 -o "$T/out" -w '%{http_code}' -X "$1" \
	    -H "Authorization: Bearer $TOKEN" \
	    -H 'Content-Type: application/json' \
	    $([ "$1" = GET ] || echo "--data-binary {}") \
	    "$SCHEME://127.0.0.1:$PORT$(echo "$2" | sed "s/{}/$ID/g")") || true
	CODE=$(jq -r '.error.code // empty' "$T/out" 2>/dev/null || true)
}

# 4. Every role, every route; signing out last.
col=3
for role in $ROLES; do
	eval "TOKEN=\$TOKEN_$role"
	grep -v '^DELETE	/v1/sessions/current	' "$T/matrix" >"$T/order"
	grep '^DELETE	/v1/sessions/current	' "$T/matrix" >>"$T/order"
	while IFS='	' read -r method path rest; do
		want=$(printf '%s\t%s\t%s\n' "$method" "$path" "$rest" |
		    cut -f "$col")
		call "$method" "$path"
		checks=$((checks + 1))
		if [ "$want" = no ]; then
			[ "$STATUS" = 403 ] && [ "$CODE" = forbidden ] ||
			    fail "$role: $method $path: expected 403 forbidden, got $STATUS $CODE"
		else
			[ "$STATUS" != 403 ] || [ "$CODE" != forbidden ] ||
			    fail "$role: $method $path: refused 403 forbidden, but the matrix says $want"
			[ "$STATUS" != 401 ] && [ "$STATUS" != 000 ] ||
			    fail "$role: $method $path: $STATUS $CODE"
		fi
	done <"$T/order"
	col=$((col + 1))
done

# The parts.  Everyone signs in again (the last loop signed each out).
for who in nurse:nina:2222 competent:carl:3333 reception:rob:5555 \
    manager:mo:8888; do
	role=${who%%:*}
	rest=${who#*:}
	sign_in "${rest%:*}" "${rest#*:}"
	eval "TOKEN_$role=\$TOKEN"
done

# is DESC GOT WANT
is() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# 5. Reception reads the patients, not their prescriptions; a nurse both.
TOKEN=$TOKEN_reception
api GET /patients
expect_status 200
is "reception reads every patient" "$(jqout length)" 3
is "but no patient's prescriptions" \
    "$(jqout '[.[] | select(has("prescriptions"))] | length')" 0
P=$(jqout '[.[] | select(.flags.stimulant_user)][0].id')
api GET "/patients/$P"
is "nor one patient's" "$(jqout 'has("prescriptions")')" false
TOKEN=$TOKEN_nurse
api GET /patients
is "a nurse reads their prescriptions" \
    "$(jqout '[.[] | select(.prescriptions | length > 0)] | length')" 2

# 6. A NEWS2 emergency, with a stream open for reception, a nurse and a
# manager: reception is sent none of it, the nurse the ward's copy, the
# manager every copy.
pids=""
for role in reception nurse manager; do
	eval "tok=\$TOKEN_$role"
	curl -s -N -m 4 -H "Authorization: Bearer $tok" \
	    "$SCHEME://127.0.0.1:$PORT/v1/alerts/stream" >"$T/stream.$role" \
	    2>/dev/null &
	pids="$pids $!"
done
sleep 1
TOKEN=$TOKEN_nurse
api POST /observations "$(jq -cn --arg p "$P" --arg t \
    "$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)" '{patient_id: $p,
    taken_at: $t, respiratory_rate: 25, spo2: 93, spo2_scale: 1,
    on_oxygen: false, systolic_bp: 120, pulse: 135, consciousness: "C",
    temperature: 39.5}')"
expect_status 201
OBS=$(jqout .id)
for pid in $pids; do
	wait "$pid" || true
done
audiences() {
	grep '^data:' "$1" | sed 's/^data: //' |
	    jq -r "select(.subject_id == \"$OBS\") | .audience" | sort |
	    tr '\n' ' '
}
is "reception's stream: none of the emergency" \
    "$(audiences "$T/stream.reception")" ""
is "the nurse's stream: the ward's copy" "$(audiences "$T/stream.nurse")" \
    "ward "
is "the manager's stream: every copy" "$(audiences "$T/stream.manager")" \
    "manager on_call ward "

# 7. The list too.
TOKEN=$TOKEN_reception
api GET /alerts
expect_status 200
is "reception's list: reception's alerts alone" \
    "$(jqout '[.[] | select(.audience != "reception")] | length')" 0
TOKEN=$TOKEN_nurse
api GET /alerts
is "the nurse's list: the ward's and reception's" \
    "$(jqout '[.[] | .audience] | unique | map(select(. != "ward" and
    . != "reception")) | length')" 0
WARD=$(jqout "[.[] | select(.subject_id == \"$OBS\")][0].id")
api GET '/alerts?audience=manager'
is "a nurse asking for the managers' gets none" "$(jqout length)" 0

# 8. Only someone clinical acknowledges the ward's emergency.
FP=$(table_fingerprint alerts)
TOKEN=$TOKEN_reception
api POST "/alerts/$WARD/ack" '{"note":"seen"}'
expect_status 403 clinical_role_required
TOKEN=$TOKEN_manager
api POST "/alerts/$WARD/ack" '{"note":"seen"}'
expect_status 403 clinical_role_required
is "refused acknowledgements change nothing" "$(table_fingerprint alerts)" \
    "$FP"
TOKEN=$TOKEN_competent
api POST "/alerts/$WARD/ack" '{"note":"with him now"}'
expect_status 200
is "acknowledged by the competent person" "$(jqout .ack_note)" \
    "with him now"
pass
