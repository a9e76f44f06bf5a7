# shellcheck shell=sh
# The tmux harness of the idts-ward tests (t_ward.sh, t_ward_usability.sh),
# sourced after lib.sh and ctllib.sh: idts-ward in a private tmux server,
# keys typed into it, and its screen read (tmux capture-pane) and polled
# with a time limit.
WARD="${IDTS_WARD:-$BUILD/idts-ward}"	# IDTS_WARD: another build
[ -x "$WARD" ] || fail "no $WARD: make idts-ward first"
command -v tmux >/dev/null 2>&1 ||
    fail "tmux is needed: scripts/install-deps installs it"
SOCK="ward$$"
TM="tmux -L $SOCK -f /dev/null"

PROXY_PID=""
ward_cleanup() {
	$TM kill-server 2>/dev/null || true
	[ -z "$PROXY_PID" ] || kill "$PROXY_PID" 2>/dev/null || true
	cleanup
}
trap ward_cleanup EXIT INT TERM

# ward_start NAME [OPTIONS...]: idts-ward in a tmux session of its own,
# 100x30 (or WARD_COLS x WARD_ROWS), its exit status kept in $T/NAME.exit
# when it ends.
ward_start() {
	name=$1
	shift
	rm -f "$T/$name.exit"
	# The shell outlives a hang-up (the terminal closed) to say how
	# idts-ward ended; idts-ward catches SIGHUP itself.
	$TM new-session -d -s "$name" -x "${WARD_COLS:-100}" \
	    -y "${WARD_ROWS:-30}" \
	    "trap '' HUP; env TZ=Europe/London IDTS_SERVER='$IDTS_SERVER' \
	    '$WARD' $* 2>'$T/$name.err'; echo \$? >'$T/$name.exit'" ||
	    fail "tmux new-session $name"
}
# keys NAME KEY...: tmux key names (Enter, Escape, Up, C-r, F5...).
keys() {
	name=$1
	shift
	$TM send-keys -t "$name" "$@"
}
# typed NAME TEXT: text typed as it is.
typed() {
	$TM send-keys -t "$1" -l "$2"
}
# screen NAME: what the terminal shows now, in $T/screen.
screen() {
	$TM capture-pane -p -t "$1" >"$T/screen" 2>/dev/null || : >"$T/screen"
}
# shows NAME PATTERN WHAT [SECONDS]: wait until the screen matches.
shows() {
	limit=$(( ${4:-10} * 20 ))
	i=0
	until screen "$1"; grep -q -- "$2" "$T/screen"; do
		[ $i -lt $limit ] || fail "$3: no '$2' on the screen:
$(cat "$T/screen")"
		sleep 0.05
		i=$((i + 1))
	done
	checks=$((checks + 1))
}
# shows_whole NAME TEXT WHAT: wait until TEXT is on the screen whole,
# however it is wrapped: the rows joined, runs of spaces as one.
shows_whole() {
	i=0
	until screen "$1"; tr -s ' \n' '  ' <"$T/screen" | grep -qF -- "$2"; do
		[ $i -lt 200 ] || fail "$3: '$2' is not on the screen whole:
$(cat "$T/screen")"
		sleep 0.05
		i=$((i + 1))
	done
	checks=$((checks + 1))
}
# hides NAME PATTERN WHAT: wait until the screen does not match.
hides() {
	i=0
	while screen "$1"; grep -q -- "$2" "$T/screen"; do
		[ $i -lt 200 ] || fail "$3: still '$2' on the screen:
$(cat "$T/screen")"
		sleep 0.05
		i=$((i + 1))
	done
	checks=$((checks + 1))
}
# pick NAME PATTERN WHAT: move the selection until the selected row's
# detail line (below the list) matches.  After each key it waits for the
# screen to show the move, so a slow terminal is never run past the row.
pick() {
	keys "$1" Home
	sleep 0.2
	n=0
	until screen "$1"; grep -q -- "$2" "$T/screen"; do
		[ $n -lt 30 ] || fail "$3: no row '$2':
$(cat "$T/screen")"
		cp "$T/screen" "$T/screen.before"
		keys "$1" Down
		i=0
		while screen "$1"; cmp -s "$T/screen" "$T/screen.before" &&
		    [ $i -lt 40 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		n=$((n + 1))
	done
	checks=$((checks + 1))
}
# fill NAME VALUE...: type each value into the next field of a form
# ("" leaves one as it is).
fill() {
	name=$1
	shift
	for v in "$@"; do
		[ -z "$v" ] || typed "$name" "$v"
		keys "$name" Enter
	done
}
# sign_in_ward NAME USER PIN
sign_in_ward() {
	shows "$1" "Username:" "the sign-in form"
	fill "$1" "$2" "$3"
}
# dose_state PRISON_NUMBER: the state of the patient's dose today.
dose_state() {
	as nina $C --json round >"$T/round.json" </dev/null ||
	    fail "idtsctl round"
	jq -r --arg pn "$1" '.[] | select(.patient.prison_number == $pn) |
	    .state' "$T/round.json"
}
# observe TOKEN PATIENT_ID READINGS: an observation through the API,
# taken at the daemon's now.
observe() {
	TOKEN=""
	api GET /health
	at=$(jqout .now)
	TOKEN=$1
	api POST /observations "{\"patient_id\":\"$2\",\"taken_at\":\"$at\",$3}"
	expect_status 201
}
# ward_quit NAME: q and y; it ends with status 0 (under AddressSanitizer
# a leak would make it non-zero).
ward_quit() {
	keys "$1" Escape
	sleep 0.1
	keys "$1" q
	shows "$1" "Quit idts-ward (and sign out)?" "$1: q asks"
	keys "$1" y
	i=0
	until [ -e "$T/$1.exit" ]; do
		[ $i -lt 200 ] || fail "$1: idts-ward did not quit"
		sleep 0.05
		i=$((i + 1))
	done
	checks=$((checks + 1))
	[ "$(cat "$T/$1.exit")" = 0 ] ||
	    fail "$1: idts-ward exited $(cat "$T/$1.exit"): $(cat "$T/$1.err")"
}

# ward_unit: the daemon on the test clock at 06:00 BST on Monday 14 June
# 2027 (one dose not taken holds a prescription; the unit's emergency
# instruction "call 2222"), its staff (rita reception, phil pharmacist,
# doc prescriber, nina, nora and nell nurses, carl competent) and 500 ml
# of methadone 1 mg/ml in stock.
ward_unit() {
	stop_daemon
	EXTRA_CONFIG="$EXTRA_CONFIG
	doses = { hold_after = 1; };
	alerts = { emergency_instruction = \"call 2222\"; };
	streams = { heartbeat_seconds = 2; };"
	start_daemon --test-clock
	clock_to 2027-06-14T05:00:00Z
	IDTS_PIN=424242 ok as boss $C login boss
	add_staff "rita Rita_Reception reception 1111" \
	    "phil Phil_Pharmacist pharmacist 2222" \
	    "doc Dr_Doc prescriber 3333" "nina Nina_Nurse nurse 4444" \
	    "nora Nora_Nurse nurse 5555" "carl Carl_Competent competent 7777" \
	    "nell Nell_Nurse nurse 6666"
	for who in rita:1111 phil:2222 doc:3333 nina:4444; do
		as "${who%:*}" IDTS_PIN="${who#*:}" $C login "${who%:*}" \
		    >/dev/null || fail "login ${who%:*}"
	done
	ok as phil $C products add --name Methadone --form "oral solution" \
	    --strength 1mg/ml --unit ml
	ok as phil $C products set meth --active "1 mg"
	ok as phil IDTS_WITNESS_PIN=7777 $C receive Methadone --quantity 500 \
	    --supplier Alliance --reference INV-1 --witness carl
}
# keep_screen LABEL: the screen last read, kept as $WARD_SCREENS/LABEL.txt
# when WARD_SCREENS names a directory (for a closing note's captures).
keep_screen() {
	[ -z "${WARD_SCREENS:-}" ] || cp "$T/screen" "$WARD_SCREENS/$1.txt"
}
