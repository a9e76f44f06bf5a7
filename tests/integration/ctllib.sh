# Shared by the tests that drive idtsctl as the staff would: a daemon
# with the test clock and a first admin, each person at a terminal of
# their own, and checks on what the last command printed.  Source it
# after lib.sh.

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
export IDTS_SERVER="http://127.0.0.1:$PORT" TZ=Europe/London
unset IDTS_PIN IDTS_NEW_PIN IDTS_WITNESS_PIN IDTS_TOKEN XDG_CONFIG_HOME
C=$IDTSCTL

# as USER [NAME=VALUE...] COMMAND...: run as USER, each with their own
# token file (a terminal of their own).
as() {
	u=$1
	shift
	env XDG_CONFIG_HOME="$T/cfg/$u" "$@"
}
# ok COMMAND...: it succeeds; its output is kept for the checks below.
ok() {
	checks=$((checks + 1))
	"$@" >"$T/ctl.out" 2>"$T/ctl.err" </dev/null ||
	    fail "$* failed: $(cat "$T/ctl.err")"
}
# status_is STATUS COMMAND...: it exits with STATUS.
status_is() {
	want=$1
	shift
	checks=$((checks + 1))
	set +e
	"$@" >"$T/ctl.out" 2>"$T/ctl.err" </dev/null
	got=$?
	set -e
	[ "$got" = "$want" ] ||
	    fail "$*: exit $got, wanted $want: $(cat "$T/ctl.out" "$T/ctl.err")"
}
# out_has / out_lacks / err_has PATTERN WHAT: grep the last command's
# output.
out_has() {
	checks=$((checks + 1))
	grep -q -- "$1" "$T/ctl.out" ||
	    fail "$2: no '$1' in: $(cat "$T/ctl.out")"
}
out_lacks() {
	checks=$((checks + 1))
	! grep -q -- "$1" "$T/ctl.out" ||
	    fail "$2: '$1' in: $(cat "$T/ctl.out")"
}
err_has() {
	checks=$((checks + 1))
	grep -qF -- "$1" "$T/ctl.err" ||
	    fail "$2: no '$1' in: $(cat "$T/ctl.err")"
}
# jq_is FILTER WANT WHAT: a field of the last --json answer.
jq_is() {
	checks=$((checks + 1))
	got=$(jq -r "$1" "$T/ctl.out") || fail "$3: not JSON: $(cat "$T/ctl.out")"
	[ "$got" = "$2" ] || fail "$3: $1 is '$got', wanted '$2'"
}
# clock_to INSTANT: the test clock (curl: idtsctl has no command for it).
clock_to() {
	TOKEN=""
	set_clock "{\"now\":\"$1\"}"
	expect_status 200
}
# wait_out PATTERN COMMAND...: run COMMAND until its output matches (the
# scheduler's work after the clock moves), at most 5 seconds.
wait_out() {
	pat=$1
	shift
	i=0
	until "$@" >"$T/ctl.out" 2>"$T/ctl.err" </dev/null &&
	    grep -q -- "$pat" "$T/ctl.out"; do
		[ $i -lt 100 ] ||
		    fail "waited for '$pat' from $*: $(cat "$T/ctl.out" "$T/ctl.err")"
		sleep 0.05
		i=$((i + 1))
	done
	checks=$((checks + 1))
}

# approve_pending: each grant or PIN reset the last --json staff add or
# staff set left waiting (issue 16), approved with idtsctl by the second
# admin, lib.approver (made by lib.sh's init_admin at the console; signed
# in afresh each time).
approve_pending() {
	for id in $(jq -r '(.pending_change // empty | .id),
	    (.pending_changes // [] | .[].id)' "$T/ctl.out"); do
		IDTS_PIN=97531 ok as lib.approver $C login lib.approver
		ok as lib.approver $C staff approve "$id"
	done
}

# add_staff "USER Display_Name role PIN" ...: boss (signed in) adds each
# person with idtsctl, underscores in the name standing for spaces; a
# guarded role (clinical, manager, admin) approved by approve_pending.
add_staff() {
	for s in "$@"; do
		# shellcheck disable=SC2086
		set -- $s
		ok as boss IDTS_NEW_PIN="$4" $C --json staff add "$1" --name \
		    "$(echo "$2" | tr _ ' ')" --roles "$3"
		approve_pending
	done
}

# cautions_flags DOSE: a --confirm for each caution the dose (or the one
# of today's whose id begins so) has now, and a note if it has any, as
# nina gives them having read each: for the tests whose subject is not
# the cautions.
cautions_flags() {
	as nina $C --json round </dev/null | jq -r --arg id "$1" '[.[] |
	    select(.id | startswith($id)) | (.cautions // [])[].code] |
	    if length > 0 then map("--confirm " + .) + ["--note=considered"]
	    else [] end | join(" ")'
}
