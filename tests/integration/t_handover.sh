#!/bin/sh
# The handover sheet (issue 17), GET /v1/handover, on D1002AB's Tuesday
# (recordlib.sh): at 19:30 the night's sheet (20:00 to 08:00) has his
# observations every four hours from 17:10 (overdue, handed over), the
# keyworker clock's deadline at 07:05 inside the night, tomorrow's dose
# (moved before the escort) and his court tomorrow, the last NEWS2 and its
# trend; the day's sheet asked at 19:30 is today's; text for a printer
# within 80 columns, a printable page with a strict policy and no script;
# the roles that read it; idtsctl handover, and --print to lp.  Seen
# failing with 'tomorrow' taken as the shift's own date ('court
# tomorrow' got false).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/recordlib.sh"
TOKEN=$NURSE
api GET /handover
expect_status 200
is "by default the night about to start" '"\(.shift) \(.from) \(.to)"' \
    "night 2026-12-08T20:00:00Z 2026-12-09T08:00:00Z"
is "one patient" '.patients | length' 1
is "court tomorrow" '.patients[0] | "\(.court_tomorrow) \(.release_tomorrow)"' \
    "true false"
is "the last NEWS2 and its trend" '.patients[0].news2 | "\(.last) \(.trend)"' \
    "4 rising"
is "observations: the overdue one, then every 4 h in the night" \
    '.patients[0].items[] | select(.kind == "observations") |
    "\(.at) \(.overdue) \(.every_minutes) \(.count)"' \
    "2026-12-08T17:10:00Z true 240 4"
is "the keyworker clock's deadline inside the night" \
    '.patients[0].items[] | select(.kind == "clock") | "\(.what) \(.at)"' \
    "keyworker_allocated 2026-12-09T07:05:00Z"
is "tomorrow's dose, moved to 08:00 for court, given from 07:00" \
    '.patients[0].items[] | select(.kind == "dose") | "\(.at) \(.held)"' \
    "2026-12-09T08:00:00Z false"
is "the court escort, tomorrow" \
    '.patients[0].items[] | select(.kind == "movement") |
    "\(.what) \(.at) \(.tomorrow)"' "court 2026-12-09T08:30:00Z true"
is "the open overdue alert counted" \
    '.patients[0] | "\(.alerts_open) \(.alerts_worst)"' "1 warning"

api GET /handover?shift=day
expect_status 200
is "the day asked for at 19:30 is the one in progress" '"\(.from) \(.to)"' \
    "2026-12-08T08:00:00Z 2026-12-08T20:00:00Z"
api GET /handover?shift=dusk
expect_status 400 invalid_query
api GET "/handover?shift=night&ward=2"
expect_status 400 invalid_query

api GET /handover "" -H 'Accept: text/plain'
expect_status 200
printf '%s\n' "$BODY_OUT" > "$T/sheet.txt"
checks=$((checks + 1))
awk 'length > 80 { exit 1 }' "$T/sheet.txt" ||
    fail "the printed sheet is wider than 80 columns"
for want in "HANDOVER, NIGHT SHIFT" "D1002AB" "COURT TOMORROW" \
    "NEWS2 4 (rising)" "keyworker_allocated deadline"; do
	checks=$((checks + 1))
	grep -qF "$want" "$T/sheet.txt" ||
	    fail "the printed sheet does not say '$want': $BODY_OUT"
done
api GET /handover "" -H 'Accept: text/html' -D "$T/head"
expect_status 200
checks=$((checks + 1))
grep -qi "^content-security-policy: default-src 'none'" "$T/head" ||
    fail "the page is served without its strict policy"
checks=$((checks + 1))
grep -qi "<script" "$T/out" && fail "the page has a script"
checks=$((checks + 1))
grep -q "@media print\|@page" "$T/out" || fail "no print stylesheet"

TOKEN=$MANAGER
api GET /handover
expect_status 200
TOKEN=$RECEP
api GET /handover
expect_status 403
sign_in cody 3333
api GET /handover
expect_status 403

# idtsctl handover: the same sheet.
export IDTS_SERVER="http://127.0.0.1:$PORT" TZ=Europe/London
unset IDTS_PIN IDTS_TOKEN
IDTS_PIN=1111 XDG_CONFIG_HOME="$T/cfg/nina" "$IDTSCTL" login nina \
    >/dev/null 2>&1 </dev/null || fail "idtsctl login nina"
out=$(XDG_CONFIG_HOME="$T/cfg/nina" "$IDTSCTL" handover --shift night \
    2>&1 </dev/null) || fail "idtsctl handover: $out"
checks=$((checks + 1))
[ "$out" = "$(cat "$T/sheet.txt")" ] ||
    fail "idtsctl handover is not the sheet: $out"
# --print: the same text to the printer, with lp (a fake one here).
mkdir -p "$T/bin"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/lp.args"\ncat >"%s/lp.out"\n' \
    "$T" "$T" >"$T/bin/lp"
chmod +x "$T/bin/lp"
out=$(PATH="$T/bin:$PATH" IDTSCTL_PRINTER=ward-printer \
    XDG_CONFIG_HOME="$T/cfg/nina" "$IDTSCTL" handover --shift night \
    --print 2>&1 </dev/null) || fail "idtsctl handover --print: $out"
checks=$((checks + 1))
[ "$out" = "sent to the printer: idtsd handover night" ] ||
    fail "handover --print said: $out"
checks=$((checks + 1))
args=$(tr '\n' ' ' <"$T/lp.args")
[ "$args" = "-d ward-printer -t idtsd handover night " ] ||
    fail "handover --print: lp's arguments: $(cat "$T/lp.args")"
checks=$((checks + 1))
[ "$(cat "$T/lp.out")" = "$(cat "$T/sheet.txt")" ] ||
    fail "handover --print: not the sheet: $(cat "$T/lp.out")"
checks=$((checks + 1))
XDG_CONFIG_HOME="$T/cfg/nina" "$IDTSCTL" handover --shift dusk \
    >/dev/null 2>&1 </dev/null && fail "idtsctl handover --shift dusk"

# The night in progress, asked for at 07:30 on Wednesday (the trial's
# sheet): the keyworker deadline at 07:05 is past at now, so BREACHED as
# the next shift's sheet says it; court at 08:30 today is not tomorrow; a
# patient with one score has no trend, and the text says none of
# "(none)".  Seen failing with the marks taken from the shift's start and
# tomorrow from its date.
clock_to 2026-12-09T07:30:00Z
TOKEN=$RECEP
api POST /patients '{"prison_number":"D1009ZZ","given_name":"Eve",
    "family_name":"Sample","date_of_birth":"1990-01-02",
    "arrived_at":"2026-12-09T07:00:00Z","location":"cell 4",
    "stimulant_user":false,"community_treatment":null}'
expect_status 201
PAT2=$(jqout .id)
TOKEN=$NURSE
api POST /observations "$(printf '%s' "$NORMAL" | jq -c --arg p "$PAT2" \
    '. + {patient_id: $p, taken_at: "2026-12-09T07:20:00Z"}')"
expect_status 201
api GET /handover?shift=night
expect_status 200
is "the night in progress: the keyworker deadline past at now, breached" \
    '.patients[] | select(.patient.prison_number == "D1002AB") |
    .items[] | select(.kind == "clock") | "\(.what) \(.overdue)"' \
    "keyworker_allocated true"
is "the night in progress: court at 08:30 today is not tomorrow" \
    '.patients[] | select(.patient.prison_number == "D1002AB") |
    "\(.court_tomorrow) \([.items[] | select(.kind == "movement") |
    .tomorrow])"' "false [false]"
api GET /handover?shift=night "" -H 'Accept: text/plain'
expect_status 200
checks=$((checks + 1))
case $BODY_OUT in
*"(none)"*|*"COURT TOMORROW"*)
	fail "the night in progress says (none) or COURT TOMORROW: $BODY_OUT" ;;
esac
for want in "keyworker_allocated deadline BREACHED" "NEWS2 0."; do
	checks=$((checks + 1))
	printf '%s\n' "$BODY_OUT" | grep -qF "$want" ||
	    fail "the night in progress does not say '$want': $BODY_OUT"
done
pass
