#!/bin/sh
# The IDTS readiness register (issue 20): the 35 sections shipped with the
# daemon; a status with evidence, owner and target date set by the IDTS
# lead or a manager, audited and kept as history; the go-live and
# commissioning verdicts at their edges (nothing recorded, all green, an
# excepted section at amber, an amber where green is needed); the live
# evidence beside sections 6 and 15; the printable Statement of
# Readiness; idtsctl readiness (blocking sections first, --csv); and each
# bad input refused with nothing changed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ctllib.sh"

clock_to 2027-01-12T09:00:00Z
IDTS_PIN=424242 ok as boss $C login boss
add_staff "lena Lena_Lead idts_lead 9191" "mona Mona_Manager manager 8888" \
    "nina Nina_Nurse nurse 2222" "rita Rita_Reception reception 5555"
sign_in lena 9191
LENA=$TOKEN
sign_in nina 2222
NURSE=$TOKEN
sign_in rita 5555
RECEP=$TOKEN

# Nothing recorded: 35 sections, every one red, nothing ready.
TOKEN=$LENA
api GET /readiness
expect_status 200
[ "$(jqout '.sections | length')" = 35 ] || fail "35 sections: $BODY_OUT"
[ "$(jqout '.sections[5].heading')" = "Needs assessment" ] ||
    fail "section 6 is the needs assessment"
[ "$(jqout '.sections[14] | "\(.heading) \(.group) \(.minimum)"')" = \
    "Controlled drug staffing workforce green" ] || fail "section 15: $BODY_OUT"
[ "$(jqout '"\(.red) \(.amber) \(.green) \(.go_live.ready) \(.go_live.blocking | length) \(.commissioning.blocking | map(.number) | join(","))"')" = \
    "35 0 0 false 35 1,2,3,5,6,10,11" ] ||
    fail "with nothing recorded every section is red: $BODY_OUT"
[ "$(jqout '[.sections[] | select(.minimum == "amber") | .number] | join(",")')" = 7,8,9,14,16,25,26 ] ||
    fail "the sections that may go live at amber"

# Who reads it: managers and the IDTS lead, no one else.
TOKEN=$NURSE
api GET /readiness
expect_status 403 forbidden
TOKEN=$RECEP
api PUT /readiness/1 '{"status":"green"}'
expect_status 403 forbidden

# Every section green: ready to commission and to go live.
TOKEN=$LENA
n=1
while [ $n -le 35 ]; do
	api PUT "/readiness/$n" '{"status":"green","evidence":"signed off at the steering group"}'
	expect_status 200
	n=$((n + 1))
done
api GET /readiness
[ "$(jqout '"\(.green) \(.go_live.ready) \(.commissioning.ready)"')" = "35 true true" ] ||
    fail "all green should be ready: $BODY_OUT"

# An excepted section at amber (14: 75% of the clinical staff in post)
# still goes live; an amber where green is needed (15) blocks it alone.
api PUT /readiness/14 '{"status":"amber","evidence":"6 of 8 nurses in post","owner":"mona","target_date":"2027-03-01"}'
expect_status 200
[ "$(jqout '"\(.status) \(.owner.username) \(.target_date) \(.updated_by.username)"')" = "amber mona 2027-03-01 lena" ] ||
    fail "the section as set: $BODY_OUT"
api GET /readiness
[ "$(jqout .go_live.ready)" = true ] || fail "14 at amber may go live: $BODY_OUT"
api PUT /readiness/15 '{"status":"amber","evidence":"no competent other at weekends","owner":"mona"}'
expect_status 200
api GET /readiness
[ "$(jqout '.go_live | "\(.ready) \(.blocking | map("\(.number) \(.status) \(.minimum)") | join(","))"')" = "false 15 amber green" ] ||
    fail "15 at amber should block going live: $(jqout .go_live)"
[ "$(jqout .commissioning.ready)" = true ] || fail "15 does not block commissioning"
# The needs assessment at amber blocks commissioning too.
api PUT /readiness/6 '{"status":"amber"}'
expect_status 200
api GET /readiness
[ "$(jqout '.commissioning | "\(.ready) \(.blocking | map(.number) | join(","))"')" = "false 6" ] ||
    fail "6 at amber blocks commissioning: $(jqout .commissioning)"
# A single red anywhere blocks going live.
api PUT /readiness/6 '{"status":"green"}'
api PUT /readiness/15 '{"status":"green"}'
api PUT /readiness/26 '{"status":"red","evidence":"no groups yet"}'
expect_status 200
api GET /readiness
[ "$(jqout '"\(.go_live.ready) \(.go_live.blocking | map(.number) | join(",")) \(.red) \(.amber)"')" = "false 26 1 1" ] ||
    fail "a single red blocks going live: $BODY_OUT"

# Live evidence: an arrival counts for the needs assessment (6); the cover
# check (15) looks 14 days ahead; every section without figures is null.
TOKEN=$RECEP
api POST /patients '{"prison_number":"A0001AA","given_name":"Jo","family_name":"Case","date_of_birth":"1990-01-01","arrived_at":"2027-01-12T08:00:00Z","location":"A1","stimulant_user":false,"community_treatment":null}'
expect_status 201
api POST /patients '{"prison_number":"A0002AA","given_name":"Sam","family_name":"Case","date_of_birth":"1990-01-01","arrived_at":"2027-01-12T08:30:00Z","location":"A2","stimulant_user":true,"community_treatment":{"drug":"methadone","dose":30,"unit":"mg","prescriber":"Dr Community"}}'
expect_status 201
TOKEN=$LENA
api GET '/readiness?from=2027-01-01&to=2027-01-12'
expect_status 200
[ "$(jqout '"\(.sections[5].live.arrivals) \(.sections[14].live.days) \(.sections[0].live) \(.period.from)"')" = "2 14 null 2027-01-01" ] ||
    fail "the live evidence: $BODY_OUT"
# The one in treatment started two continuity clocks, neither met yet (33).
[ "$(jqout '.sections[32].live | "\(.clocks) \(.met_in_time)"')" = "2 0" ] ||
    fail "the continuity clocks as live evidence: $(jqout .sections[32])"
api GET '/readiness?from=2027-01-01&to=2027-01-11'
[ "$(jqout '"\(.sections[5].live.arrivals) \(.sections[32].live.clocks)"')" = "0 0" ] ||
    fail "the period should bound the live evidence: $BODY_OUT"
[ "$(jqout '[.sections[] | select(.live != null) | .number] | join(",")')" = 6,15,23,33,35 ] ||
    fail "live evidence beside 6, 15, 23, 33 and 35 only"
api GET '/readiness?from=2027-01-12&to=2027-01-01'
expect_status 400 invalid_query

# History: every change, who and when, for one section or all.
api GET '/readiness/history?number=15'
expect_status 200
[ "$(jqout 'map("\(.status) \(.changed_by.username)") | join(",")')" = "green lena,amber lena,green lena" ] ||
    fail "section 15's history: $BODY_OUT"
api GET /readiness/history
[ "$(jqout length)" = 41 ] || fail "41 changes in all: $(jqout length)"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'readiness.set'")" = 41 ] ||
    fail "each change audited"

# The Statement of Readiness: a page to print, no script, each section
# with its status, evidence and owner, and the verdict with its reasons.
curl -s -D "$T/head" -o "$T/statement.html" -H "Authorization: Bearer $TOKEN" \
    -H 'Accept: text/html' "$(BASE)/readiness"
checks=$((checks + 1))
grep -qi '^content-type: text/html; charset=utf-8' "$T/head" ||
    fail "the statement is HTML: $(cat "$T/head")"
for want in '<h1>Statement of Readiness</h1>' 'Going live: NOT READY' \
    'Section 26, Psychosocial interventions: red, needs at least amber' \
    'Commissioning: READY' '@media print' '6 of 8 nurses in post' \
    '<td>Mona Manager</td>' 'class="red">red</td>'; do
	checks=$((checks + 1))
	grep -qF -- "$want" "$T/statement.html" ||
	    fail "the statement lacks '$want'"
done
checks=$((checks + 1))
! grep -qi '<script' "$T/statement.html" || fail "the statement has a script"

# Bad input: each a clear 4xx, nothing changed.
api PUT /readiness/14 '{"status":"amber","evidence":"<b>&amp;</b>"}'
expect_status 200
before=$(db_fingerprint)
api PUT /readiness/36 '{"status":"green"}'
expect_status 404 not_found
api PUT /readiness/0 '{"status":"green"}'
expect_status 404 not_found
api PUT /readiness/015 '{"status":"green"}'
expect_status 404 not_found
api PUT /readiness/abc '{"status":"green"}'
expect_status 404 not_found
api PUT /readiness/15 '{"status":"blue"}'
expect_status 400 invalid_field
api PUT /readiness/15 '{"status":"GREEN"}'
expect_status 400 invalid_field
api PUT /readiness/15 '{"evidence":"no status"}'
expect_status 400 missing_field
api PUT /readiness/15 '{"status":"green","owner":"nobody"}'
expect_status 422 unknown_owner
api PUT /readiness/15 '{"status":"green","target_date":"2027-02-30"}'
expect_status 400 invalid_field
api PUT /readiness/15 '{"status":"green","colour":"green"}'
expect_status 400
api GET '/readiness/history?number=99'
expect_status 400 invalid_query
TOKEN=$NURSE
api PUT /readiness/15 '{"status":"green"}'
expect_status 403 forbidden
[ "$(db_fingerprint)" = "$before" ] || fail "a refused change changed something"
# Evidence is text on the page, never markup.
TOKEN=$LENA
curl -s -o "$T/statement.html" -H "Authorization: Bearer $TOKEN" \
    -H 'Accept: text/html' "$(BASE)/readiness"
checks=$((checks + 1))
grep -qF '&lt;b&gt;&amp;amp;&lt;/b&gt;' "$T/statement.html" ||
    fail "the evidence should be escaped"

# idtsctl readiness: the blocking section first, then the rest in order.
IDTS_PIN=9191 ok as lena $C login lena
ok as lena $C readiness
out_has 'going live: NOT READY (blocked by 26)' "the verdict"
out_has 'commissioning: READY' "the commissioning verdict"
checks=$((checks + 1))
[ "$(sed -n '6p' "$T/ctl.out" | awk '{print $1}')" = 26 ] ||
    fail "the blocking section should come first: $(cat "$T/ctl.out")"
[ "$(sed -n '7p' "$T/ctl.out" | awk '{print $1}')" = 1 ] ||
    fail "then section 1: $(cat "$T/ctl.out")"
ok as lena $C readiness --csv
checks=$((checks + 1))
[ "$(head -1 "$T/ctl.out" | tr -d '\r')" = 'NO,SECTION,GROUP,MINIMUM,STATUS,OWNER,TARGET,EVIDENCE' ] ||
    fail "the CSV header: $(head -1 "$T/ctl.out")"
[ "$(sed -n 2p "$T/ctl.out" | tr -d '\r')" = '26,Psychosocial interventions,CARAT delivery,amber,red,,,no groups yet' ] ||
    fail "the CSV's first row: $(sed -n 2p "$T/ctl.out")"
ok as lena $C readiness set 16 --status amber --evidence "=HYPERLINK(1)" \
    --owner mona --target 2027-04-01
out_has 'section 16, CARAT staff recruited: amber' "set"
ok as lena $C readiness --csv
out_has "16,CARAT staff recruited,workforce,amber,amber,mona,2027-04-01,'=HYPERLINK(1)" \
    "a formula in a cell is defused"
status_is 1 as lena $C readiness set 99 --status green
status_is 2 as lena $C readiness set 15
ok as lena $C readiness history 16
out_has 'amber' "the history"
ok as lena $C readiness statement
out_has 'Statement of Readiness' "the statement"
pass
