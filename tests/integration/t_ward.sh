#!/bin/sh
# idts-ward, the full-screen ward terminal, driven in tmux (a private
# server, a 100x30 window) against a real daemon with the test clock, on
# the morning of Monday 14 June 2027 (summer time).  Every step is
# checked from what the screen shows (tmux capture-pane), polled with a
# time limit, and where it matters from the daemon too:
#
# - sign-in: a wrong PIN is refused in words, the right one shows the
#   nurse's name and the live alert stream;
# - the round: three doses DUE; giving one checks the prison number
#   typed against the patient's, then the witness's username and PIN at
#   the same terminal (a wrong witness PIN, and the nurse as her own
#   witness, are refused in words and record nothing); the dose given
#   shows given; a refusal takes a reason; with doses.hold_after = 1 it
#   holds the prescription, and giving that dose says it is on hold;
# - observations: overdue first; the form shows the NEWS2 score before
#   anything is saved (the daemon has no observation until y);
# - alerts: one raised elsewhere (curl) arrives live, EMERGENCY first
#   and the terminal's bell rings; it is acknowledged with a key, in the
#   nurse's name;
# - the court list: a court escort tomorrow with its morning dose moved;
# - lock and unlock: l locks and hides every name; another nurse signs
#   in to the same pane and row;
# - the daemon restarted while the terminal is open: DISCONNECTED,
#   since when and in how many seconds it tries again; alerts raised while it was down (by a daemon on another
#   port over the same database) appear on reconnection;
# - resizing to 80x24 and 120x40 redraws to the new size;
# - a storm of keys (function keys, control keys, escapes, long text,
#   a resize inside a form) crashes nothing;
# - the idle lock, and --no-colour marking severities by reverse and
#   bold without colour, on a second terminal;
# - a third terminal through a proxy that refuses or holds chosen
#   requests: a refused stream says STOPPED and ^R follows it again;
#   open alerts that could not be read are read on a later tick; a
#   daemon that never answers leaves the keys and the lock working and
#   the panes NOT CURRENT with the reason; a new emergency does not move
#   the alert chosen under a nurse on the Alerts pane, a asks about the
#   alert chosen and Enter acknowledges nothing, not even after a
#   sign-in; a session that ends while a witness types their PIN locks
#   without showing the rest of it, and one that ends while the next
#   person signs in leaves what they typed;
# - q asks, n stays, y quits with status 0 (under AddressSanitizer a
#   leak would make it non-zero) and ends the session.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"
# shellcheck source=tests/integration/wardlib.sh
. "$(dirname "$0")/wardlib.sh"

# ========================================================================
# The ward, as in t_round_ctl: staff, stock, three patients (Alan a
# stimulant user, observed), a 08:00 dose each.  One dose not taken holds
# a prescription here, so a hold can be shown in a morning.
# ========================================================================
ward_unit
ok as rita $C arrive --number A1001AA --given Alan --family Able \
    --dob 1985-05-05 --location A1-01 --stimulant \
    --arrived 2027-06-13T18:00:00Z
ok as rita $C arrive --number B2002BB --given Bea --family Baker \
    --dob 1985-05-05 --location A1-02 --no-stimulant \
    --arrived 2027-06-13T18:00:00Z
ok as rita $C arrive --number C3003CC --given Cy --family Cole \
    --dob 1985-05-05 --location A2-01 --no-stimulant \
    --arrived 2027-06-13T18:00:00Z
for p in A1001AA:60 B2002BB:30 C3003CC:45.5; do
	ok as doc $C prescribe "${p%:*}" --product Methadone --dose "${p#*:}" \
	    --times 08:00 --start 2027-06-14
done
sign_in nina 4444
NINA_TOKEN=$TOKEN
api GET /patients
PID_A=$(jqout '.[] | select(.prison_number == "A1001AA") | .id')
PID_B=$(jqout '.[] | select(.prison_number == "B2002BB") | .id')
PID_C=$(jqout '.[] | select(.prison_number == "C3003CC") | .id')
# Cy goes to court tomorrow at 07:30: his morning dose moves earlier.
api POST /movements "{\"patient_id\":\"$PID_C\",\"kind\":\"court\",\
\"departs_at\":\"2027-06-15T06:30:00Z\",\"destination\":\"Leeds Crown Court\"}"
COURT_STATUS=$STATUS

# 08:10 BST: the round is due.
clock_to 2027-06-14T07:10:00Z

# ========================================================================
# Sign-in.
# ========================================================================
ward_start w --lock-after 600 --refresh 2
shows w "Sign in to the ward terminal" "the first screen"
sign_in_ward w nina 0000
shows w "The username or PIN is wrong" "a wrong PIN, in words"
shows w "Sign in to the ward terminal" "still signed out"
keys w Up C-u
fill w nina 4444
shows w "Nina Nurse (nina)" "signed in: the name in the header"
shows w "alerts LIVE" "the alert stream connected"
shows w "Nina Nurse (nina)  Mon 14 Jun 08:1[0-9] BST" \
    "the header's clock: the wall-clock hour, with its zone"
checks=$((checks + 1))
[ "$($TM display -p -t w '#{window_bell_flag}')" = 0 ] ||
    fail "the bell rang with no urgent alert"

# ========================================================================
# The round.
# ========================================================================
keys w 2
shows w "^Round Mon 14 Jun: 3 due" "the round's count"
shows w "^08:00 .*A1-01 .*Able, Alan .*Methadone 1mg/ml .*60 ml (60 mg) .*DUE" \
    "Alan's dose due, in local time"
shows w "^08:00 .*A2-01 .*C3003CC .*Cole, Cy .*45.5 ml (45.5 mg) .*DUE" \
    "Cy's dose due, with its active amount"

# Giving: first each caution in full, one page each, confirmed with y
# before the witness is asked for anything; then the patient confirmed by
# prison number, then the witness, and a note (required with cautions).
pick w "^A1001AA Able, Alan, A1-01" "Alan's dose chosen"
shows w "CAUTIONS: FIRST DOSE IN CUSTODY, LAST COMMUNITY DOSE NOT KNOWN" \
    "the round names the dose's cautions"
keys w g
shows w "Caution 1 of 2 before giving" "the first caution, before the witness"
shows w "FIRST DOSE IN CUSTODY" "its heading"
shows w "This is the first dose in custody: none has been given since" \
    "the caution in full, in words"
shows w "Confirm this caution? y: confirm   n: stop, nothing given" \
    "asked to confirm it"
# At 80x24 the page is still read whole, and its question answered: a
# second terminal of that size, stopped with n.  (Resizing this one there
# and back left tmux's screen and curses' apart, a row out, in one run in
# two: the Resizing section below tests what a resize draws.)
WARD_COLS=80 WARD_ROWS=24 ward_start s --lock-after 600 --refresh 2
sign_in_ward s nina 4444
shows s "Nina Nurse (nina)" "signed in at 80x24"
keys s 2
shows s "^Round Mon 14 Jun" "the round at 80x24"
pick s "^A1001AA Able, Alan, A1-01" "Alan's dose chosen at 80x24"
keys s g
shows s "│ Sun 13 Jun 19:00 BST\. " "the caution's last words at 80x24"
shows s "Confirm this caution? y: confirm   n: stop, nothing given" \
    "the question at 80x24"
keys s n
hides s "Caution 1 of 2" "n stops at 80x24"
$TM kill-session -t s
keys w y
shows w "Caution 2 of 2 before giving" "the second caution"
shows w "Reception recorded no community treatment" "in full, in words"
keys w y
shows w "Give a dose" "the give form"
shows w "Cautions confirmed: FIRST DOSE IN CUSTODY, LAST COMMUNITY DOSE" \
    "the give form says what was confirmed"
shows w "60 ml (60 mg) Methadone 1mg/ml, due 08:00" "what is being given"
fill w B2002BB carl 7777 ""
shows w "Fill in: Note: why safe" "a note is required with cautions"
fill w "alert and steady, community GP called"
shows w "B2002BB is not the prison number of Able, Alan" \
    "the wrong patient's prison number"
checks=$((checks + 1))
[ "$(dose_state A1001AA)" = due ] || fail "a wrong prison number recorded"
fill w a1001aa "" 0000 ""
shows w "The witness's username or PIN is wrong" "a wrong witness PIN"
checks=$((checks + 1))
[ "$(dose_state A1001AA)" = due ] || fail "a wrong witness PIN recorded"
screen w
checks=$((checks + 1))
! grep -q "0000" "$T/screen" || fail "the PIN was shown"
# The PIN was wiped, and the cursor is back on it.
fill w 7777 ""
shows w "GIVEN: 60 ml (60 mg) Methadone to A1001AA Able, Alan, witnessed by Carl" \
    "the dose given"
# The message may wrap between "Register balance" and the amount.
shows w "Register balance" "the register's balance after it"
checks=$((checks + 1))
tr -d '\n' <"$T/screen" | grep -q "Register balance *440 ml" ||
    fail "the register's balance after it is not 440 ml: $(cat "$T/screen")"
hides w "Give a dose" "the form closed"
shows w "^08:00 .*A1001AA .*Able, Alan .*given 08:1" "given, in the round"
checks=$((checks + 1))
[ "$(dose_state A1001AA)" = given ] || fail "the dose is not given"
checks=$((checks + 1))
[ "$(jq -r '.[] | select(.patient.prison_number == "A1001AA") |
    .witnessed_by.username' "$T/round.json")" = carl ] ||
    fail "carl did not witness it"

# The nurse as her own witness.
pick w "^B2002BB Baker, Bea" "Bea's dose chosen"
keys w g
shows w "Caution 1 of 2 before giving" "Bea's first caution"
keys w n
hides w "Caution 1 of 2" "n stops at a caution"
checks=$((checks + 1))
[ "$(dose_state B2002BB)" = due ] || fail "a caution not confirmed recorded"
keys w g
shows w "Caution 1 of 2 before giving" "Bea's first caution again"
keys w y
shows w "Caution 2 of 2 before giving" "Bea's second caution"
keys w y
shows w "Give a dose" "the give form for Bea"
fill w B2002BB nina 4444 "considered"
shows w "someone else: whoever gives a dose cannot also" \
    "witness_not_distinct in words"
keys w Escape
hides w "Give a dose" "Esc closes the form"
checks=$((checks + 1))
[ "$(dose_state B2002BB)" = due ] || fail "witness_not_distinct recorded"

# Cy refuses; with hold_after 1 that holds his prescription, and giving
# after all is refused in words.
pick w "^C3003CC Cole, Cy" "Cy's dose chosen"
keys w r
shows w "Record a dose refused" "the refuse form"
fill w C3003CC "declined at the hatch"
shows w "REFUSED: the dose of C3003CC Cole, Cy, because: declined at the hatch" \
    "the refusal"
shows w "^08:00 .*C3003CC .*refused" "refused, in the round"
pick w "^C3003CC Cole, Cy" "Cy's dose chosen again"
keys w g
shows w "Caution 1 of 2 before giving" "Cy's first caution"
keys w y
shows w "Caution 2 of 2 before giving" "Cy's second caution"
keys w y
shows w "Give a dose" "the give form for Cy"
fill w C3003CC carl 7777 "considered"
shows w "The prescription is on hold for a review after doses not taken" \
    "held_for_review in words"
keys w Escape
checks=$((checks + 1))
[ "$(dose_state C3003CC)" = refused ] || fail "a held dose was given"

# ========================================================================
# An alert raised elsewhere arrives live, rings, and is acknowledged.
# ========================================================================
keys w 2
observe "$NINA_TOKEN" "$PID_B" '"respiratory_rate":28,
"spo2":90,"spo2_scale":1,"on_oxygen":false,"systolic_bp":95,"pulse":125,
"consciousness":"A","temperature":38.5'
shows w "^!!! EMERGENCY .*B2002BB Baker, Bea: NEWS2 11" \
    "the emergency, live, seen from the round"
shows w "1 Alerts (.*EMERGENCY" "the alerts tab says so"
checks=$((checks + 1))
[ "$($TM display -p -t w '#{window_bell_flag}')" = 1 ] ||
    fail "no bell for the emergency"
keys w 1
shows w "^Alerts (all): [0-9]* open, [0-9]* EMERGENCY" "the alerts pane"
shows w "^news2_high: B2002BB Baker, Bea: NEWS2 11" "the emergency chosen first"
# Colour by severity: the emergency white on red.
$TM capture-pane -p -e -t w >"$T/screen.e"
checks=$((checks + 1))
grep 'EMERGENCY' "$T/screen.e" | grep -q '41m' ||
    fail "the emergency is not on red: $(grep EMERGENCY "$T/screen.e" | cat -v)"
# Acknowledging asks first, naming the alert; Enter is not an answer.
keys w a
shows w "Acknowledge this alert as Nina Nurse?" "a asks first"
shows w "B2002BB Baker, Bea: NEWS2 11" "naming the alert"
keys w Enter
keys w y
shows w "Acknowledged by Nina Nurse: B2002BB Baker, Bea: NEWS2 11" \
    "acknowledged after y"
TOKEN=$NINA_TOKEN
api GET /alerts
NINA_ID=$(sql "SELECT id FROM staff WHERE username = 'nina'")
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.kind == "news2_high" and .audience == "ward" and
    (.message | startswith("B2002BB")))][0].acked_by')" = "$NINA_ID" ] ||
    fail "not acknowledged in nina's name"

# ========================================================================
# Observations: Alan's is overdue; the form scores before it saves.
# ========================================================================
keys w 3
shows w "^Observations due: 1 plan, 1 OVERDUE" "the observations due"
shows w "OVERDUE .*A1-01 .*A1001AA .*Able, Alan .*none yet" "Alan overdue"
keys w o
shows w "Record an observation" "the observation form"
fill w 22 95 "" "" 110 95 A 37.9
shows w "NEWS2 5 - MEDIUM: urgent response" "NEWS2 shown as typed"
shows w "scores: RR 2, SpO2 1, air/O2 0, BP 1, pulse 1, ACVPU 0, temp 0" \
    "each parameter's score"
keys w Enter
shows w "Save this observation with NEWS2 as shown?" "asked before saving"
TOKEN=$NINA_TOKEN
api GET "/observations?patient_id=$PID_A"
expect_status 200
checks=$((checks + 1))
[ "$(jqout length)" = 0 ] || fail "saved before the nurse said y"
keys w y
shows w "SAVED for A1001AA Able, Alan: NEWS2 5 MEDIUM" "the observation saved"
api GET "/observations?patient_id=$PID_A"
checks=$((checks + 1))
[ "$(jqout '.[0].news2.total')" = 5 ] || fail "the daemon has not got it"
shows w "^Observations due: 1 plan, 0 OVERDUE" "no longer overdue"
# A 13 on the form: each 3 in words, and the unit's emergency
# instruction; Esc saves nothing.
keys w o
shows w "Record an observation" "the observation form again"
fill w 25 93 "" "" 90 135 A 39.5
shows w "NEWS2 13 - HIGH: emergency response: call 2222" \
    "the form shows the unit's emergency instruction for 7+"
shows w "3 for breathing rate 25, systolic blood pressure 90, pulse 135" \
    "the form names each parameter that scored 3"
shows w "Saving it alerts the ward, the doctor on call and the managers" \
    "the form says who is alerted"
keys w Escape
hides w "Record an observation" "the form closed unsaved"
api GET "/observations?patient_id=$PID_A"
checks=$((checks + 1))
[ "$(jqout length)" = 1 ] || fail "the form cancelled saved an observation"

# ========================================================================
# The court list.
# ========================================================================
keys w 4
if [ "$COURT_STATUS" = 201 ]; then
	shows w "^Tue 07:30 .*court .*C3003CC .*Cole, Cy .*Leeds" \
	    "Cy's escort tomorrow"
	shows w "45.5 ml" "his morning dose"
else
	shows w "Court list not available" "no movements in this daemon"
fi

# ========================================================================
# Lock, and another nurse signs in to the same view.
# ========================================================================
keys w 1
pick w "^news2_high: A1001AA Able, Alan" "Alan's alert chosen"
keys w l
shows w "Locked: sign in to go on" "l locks"
shows w "Locked at 08:1[0-9] BST (Nina Nurse). The view is kept." "who locked it"
screen w
checks=$((checks + 1))
! grep -q "Able\|Baker\|Cole\|A1001AA" "$T/screen" ||
    fail "a name shows on the locked screen: $(cat "$T/screen")"
keys w q Escape
shows w "Locked: sign in to go on" "neither q nor Esc leaves a locked screen"
sign_in_ward w nora 5555
shows w "Nora Nurse (nora)" "nora signed in"
shows w "^Alerts (all): " "the same pane"
shows w "^news2_high: A1001AA Able, Alan" "the same row chosen"
shows w "alerts LIVE" "the stream on nora's session"

# ========================================================================
# The daemon restarted while the terminal is open; alerts raised
# meanwhile (a daemon on another port over the same database: nothing
# can reach this terminal then) are there when it reconnects.
# ========================================================================
WARD_PORT=$PORT
stop_daemon
shows w "DISCONNECTED since 08:1[0-9]:[0-9][0-9]" "disconnected, and since when"
shows w "reconnecting in [0-9][0-9]* s" "and when it tries again"
PORT=""
start_daemon --test-clock
TOKEN=""
api POST /sessions '{"username":"nina","pin":"4444"}'
OTHER_TOKEN=$(jqout .token)
observe "$OTHER_TOKEN" "$PID_C" '"respiratory_rate":24,
"spo2":96,"spo2_scale":1,"on_oxygen":false,"systolic_bp":105,"pulse":112,
"consciousness":"A","temperature":38.4'
# 10:05: Bea's dose, not given, is missed.
clock_to 2027-06-14T09:05:00Z
i=0
until sql "SELECT count(*) FROM alerts WHERE kind = 'dose_missed'" |
    grep -q '^1$'; do
	[ $i -lt 100 ] || fail "no dose_missed alert while the terminal was away"
	sleep 0.05
	i=$((i + 1))
done
stop_daemon
screen w
checks=$((checks + 1))
! grep -q "dose missed" "$T/screen" || fail "seen before the reconnection"
PORT=$WARD_PORT
start_daemon --test-clock
shows w "alerts LIVE" "reconnected by itself" 20
shows w "Alerts reconnected at .* nothing was missed" "said so"
shows w "C3003CC .*Cole, Cy .*NEWS2 6" "the NEWS2 alert raised meanwhile"
shows w "dose missed: .*B2002BB" "the missed dose raised meanwhile"
keys w 2
shows w "^08:00 .*B2002BB .*missed" "the round read again"

# ========================================================================
# Resizing.
# ========================================================================
$TM resize-window -t w -x 80 -y 24
shows w "^Up/Down select  g give  r refuse  w withhold  Tab pane  l lock" \
    "the keys on the last row at 80x24"
# The header is right-aligned to the width: "... alerts LIVE " ends at
# the last column (capture-pane drops the trailing space).
shows w "alerts LIVE$" "the stream's state at the right"
checks=$((checks + 1))
[ "$(wc -l <"$T/screen")" -eq 24 ] &&
    [ "$(awk 'NR == 1 { print length }' "$T/screen")" -eq 79 ] &&
    [ "$(awk '{ if (length > m) m = length } END { print m }' \
    "$T/screen")" -le 80 ] &&
    [ "$(sed -n 24p "$T/screen" | cut -c1-14)" = "Up/Down select" ] ||
    fail "not drawn for 80x24: $(cat "$T/screen")"
$TM resize-window -t w -x 120 -y 40
shows w "^Up/Down select" "redrawn at 120x40"
i=0
until screen w; [ "$(awk 'NR == 1 { print length }' "$T/screen")" -eq 119 ] &&
    [ "$(sed -n 40p "$T/screen" | cut -c1-14)" = "Up/Down select" ]; do
	[ $i -lt 100 ] || fail "not drawn for 120x40: $(cat "$T/screen")"
	sleep 0.05
	i=$((i + 1))
done
checks=$((checks + 1))

# ========================================================================
# A storm of keys: nothing crashes, nothing is recorded.
# ========================================================================
FP=$(table_fingerprint doses register_entries observations)
for pane in 1 2 3 4; do
	keys w "$pane" F1 F2 F3 F4 F6 F7 F8 F9 F10 F11 F12 IC DC Home End \
	    PPage NPage BTab Tab Left Right Up Down C-a C-b C-d C-e C-f C-g \
	    C-h C-k C-n C-o C-p C-t C-u C-v C-w C-x C-z Escape M-z M-x \
	    "$pane" Escape g Escape r Escape w Escape o Escape "?" x \
	    Escape
	typed w "$(printf 'x%.0s' $(seq 1 300))"
	keys w Escape Escape
done
keys w 2 g
typed w "A1001AA"
$TM resize-window -t w -x 60 -y 12
$TM resize-window -t w -x 100 -y 30
typed w "ÄÖÜ€ unicode ✓ $(printf '\033')[2J"
keys w BSpace BSpace BSpace C-u Escape Escape 3 o
typed w "999999999999"
keys w Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Escape \
    Escape
shows w "Nora Nurse (nora)" "alive after the storm"
checks=$((checks + 1))
[ "$(table_fingerprint doses register_entries observations)" = "$FP" ] ||
    fail "the storm recorded something"
[ ! -e "$T/w.exit" ] || fail "idts-ward ended in the storm: $(cat "$T/w.err")"

# ========================================================================
# A second terminal: monochrome, and the idle lock.
# ========================================================================
ward_start m --no-colour --lock-after 8 --refresh 2
sign_in_ward m carl 7777
shows m "Carl Competent (carl)" "carl on the second terminal"
shows m "^!!  URGENT" "the urgent alerts marked"
$TM capture-pane -p -e -t m >"$T/screen.e"
checks=$((checks + 1))
grep '^.*!!  URGENT' "$T/screen.e" | grep -q '\[[0-9;]*[14]m' ||
    fail "urgent not bold or underlined: $(grep URGENT "$T/screen.e" | cat -v)"
checks=$((checks + 1))
! grep 'URGENT\|EMERGENCY' "$T/screen.e" | grep -q '\[3[1-7]m\|\[4[1-7]m' ||
    fail "colour without colour: $(grep 'URGENT' "$T/screen.e" | cat -v)"
shows m "Locked after 1 minute without a key" "the idle lock" 20
$TM kill-session -t m
i=0
until [ -e "$T/m.exit" ]; do
	[ $i -lt 200 ] || fail "the second terminal did not end on SIGHUP"
	sleep 0.05
	i=$((i + 1))
done
checks=$((checks + 1))
[ "$(cat "$T/m.exit")" = 0 ] ||
    fail "the second terminal exited $(cat "$T/m.exit"): $(cat "$T/m.err")"

# ========================================================================
# A third terminal, p, through a proxy that refuses or holds chosen
# requests (perl, as every Debian system has it): a daemon that refuses
# the alert stream, that cannot read the open alerts, that hangs.
# ========================================================================
# proxy_rules RULE...: "STATUS:CODE PREFIX" answers a request whose line
# begins with PREFIX with that status and error code, "hang PREFIX"
# never answers it; every other request goes through to the daemon.
# What was refused or held is logged in $T/proxy.log.
proxy_rules() {
	: >"$T/proxy.rules.new"
	for r in "$@"; do
		echo "$r" >>"$T/proxy.rules.new"
	done
	mv "$T/proxy.rules.new" "$T/proxy.rules"
}
cat >"$T/proxy.pl" <<'PERL'
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use POSIX ();
my ($portfile, $up, $rules, $log) = @ARGV;
my $l = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
    Listen => 64, ReuseAddr => 1) or die "listen: $!";
open(my $pf, '>', "$portfile.new") or die;
print $pf $l->sockport, "\n";
close $pf;
rename("$portfile.new", $portfile) or die;
my %kids;
$SIG{TERM} = sub { kill 'TERM', keys %kids; exit 0 };
$SIG{CHLD} = sub {
	while ((my $p = waitpid(-1, POSIX::WNOHANG())) > 0) { delete $kids{$p} }
};
for (;;) {
	my $c = $l->accept or next;
	my $pid = fork;
	if (!defined $pid) { close $c; next }
	if ($pid) { $kids{$pid} = 1; close $c; next }
	$SIG{TERM} = 'DEFAULT';
	$SIG{CHLD} = 'DEFAULT';
	close $l;
	my $head = '';
	while ($head !~ /\r\n\r\n/) {
		sysread($c, $head, 4096, length $head) or exit 0;
	}
	my ($line) = $head =~ /^([^\r\n]*)/;
	if (open(my $r, '<', $rules)) {
		while (my $rule = <$r>) {
			chomp $rule;
			my ($what, $prefix) = split(/ /, $rule, 2);
			next if !defined $prefix || index($line, $prefix) != 0;
			if (open(my $lg, '>>', $log)) { print $lg "$what $line\n"; close $lg }
			if ($what eq 'hang') { sleep 3600; exit 0 }
			my ($status, $code) = split(/:/, $what);
			my $body = "{\"error\":{\"code\":\"$code\"," .
			    "\"message\":\"refused by the test proxy\"}}";
			syswrite($c, "HTTP/1.1 $status Refused\r\n" .
			    "Content-Type: application/json\r\n" .
			    "Content-Length: " . length($body) . "\r\n" .
			    "Connection: close\r\n\r\n$body");
			exit 0;
		}
		close $r;
	}
	my $u = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $up) or exit 0;
	syswrite($u, $head);
	my $sel = IO::Select->new($c, $u);
	for (;;) {
		for my $h ($sel->can_read) {
			my $buf;
			sysread($h, $buf, 65536) or exit 0;
			syswrite($h == $c ? $u : $c, $buf);
		}
	}
}
PERL
proxy_rules "403:forbidden GET /v1/alerts/stream" \
    "503:store_unavailable GET /v1/alerts?state=open"
perl "$T/proxy.pl" "$T/proxy.port" "$PORT" "$T/proxy.rules" \
    "$T/proxy.log" 2>"$T/proxy.err" &
PROXY_PID=$!
i=0
until [ -s "$T/proxy.port" ]; do
	[ $i -lt 100 ] || fail "the test proxy did not start: $(cat "$T/proxy.err")"
	sleep 0.05
	i=$((i + 1))
done
PROXY="http://127.0.0.1:$(cat "$T/proxy.port")"
sign_in boss 424242
BOSS_TOKEN=$TOKEN
NELL_ID=$(sql "SELECT id FROM staff WHERE username = 'nell'")
# open_alert PRISON_NUMBER KIND: the id of that patient's newest alert of
# that kind to the ward, and "open" or "acked".
open_alert() {
	TOKEN=$BOSS_TOKEN
	api GET "/alerts?audience=ward"
	jqout "[.[] | select(.kind == \"$2\" and
	    (.message | startswith(\"$1\")))][0] |
	    \"\(.id) \(if .acked_at == null then \"open\" else \"acked\" end)\""
}
# new_pin PIN: nell's PIN reset and the reset approved by a second admin,
# which ends her sessions.
new_pin() {
	TOKEN=$BOSS_TOKEN
	api PATCH "/staff/$NELL_ID" "{\"pin\":\"$1\"}"
	expect_status 200
	approve_change "$(jqout '.pending_changes[0].id')"
}
HIGH='"respiratory_rate":28,"spo2":90,"spo2_scale":1,"on_oxygen":false,
"systolic_bp":95,"pulse":125,"consciousness":"A","temperature":38.5'

# A stream the daemon refuses says so, and ^R follows the alerts again.
ward_start p -s "$PROXY" --lock-after 600 --refresh 2
sign_in_ward p nell 6666
shows p "Nell Nurse (nell)" "nell signed in on p"
shows p "alerts STOPPED (HTTP 403)" "a refused stream: STOPPED, not reconnecting"
shows p "The daemon refused the alert stream (HTTP 403)" "said in words"
proxy_rules "503:store_unavailable GET /v1/alerts?state=open"
keys p C-r
shows p "alerts LIVE" "^R follows the alerts again"

# The open alerts could not be read when the stream began: read again
# until they are (they were never read before).
i=0
until grep -q "GET /v1/alerts?state=open" "$T/proxy.log" 2>/dev/null; do
	[ $i -lt 200 ] || fail "the open alerts were not asked for"
	sleep 0.05
	i=$((i + 1))
done
shows p "^Alerts (all): 0 open (the open alerts are not read yet)  NOT CURRENT: The records are unavailable" \
    "the open alerts not read, and the daemon's reason"
proxy_rules
shows p "^Alerts (all): [1-9][0-9]* open, " \
    "the open alerts read on a later tick"
shows p "dose missed: .*B2002BB" "an alert raised before the terminal started"

# A daemon that takes a request and never answers: keys and the lock go
# on at once; the panes say they are not current and why.
proxy_rules "hang GET /v1/health" "hang GET /v1/doses" \
    "hang GET /v1/observations" "hang GET /v1/movements"
# ^R reads at once, rather than after a back-off grown by the refusals
# above; the limit allows for a loaded machine.
keys p C-r
i=0
until grep -q "^hang GET /v1/health" "$T/proxy.log" 2>/dev/null; do
	[ $i -lt 400 ] || fail "no refresh reached the hanging daemon"
	sleep 0.05
	i=$((i + 1))
done
keys p 3
shows p "^Observations due" "a key answered while the daemon hangs" 5
shows p "NOT CURRENT: Cannot reach the daemon" \
    "not current after 10 s without an answer, and why" 15
keys p 4
shows p "^Court list: .*NOT CURRENT: Cannot reach the daemon" \
    "the panes after the one that hung are not current either" 5
keys p l
shows p "Locked: sign in to go on" "l locks at once while the daemon hangs" 5
proxy_rules
sign_in_ward p nell 6666
shows p "Nell Nurse (nell)" "nell again"
hides p "NOT CURRENT" "read again once the daemon answers"
keys p 1

# A new emergency while the nurse is on the Alerts pane with another
# alert chosen: the choice stays; a asks about the one chosen; Enter
# acknowledges nothing.
pick p "^dose_missed: " "the missed dose chosen"
observe "$NINA_TOKEN" "$PID_A" "$HIGH"
shows p "^!!! EMERGENCY .*A1001AA .*Able, Alan .*NEWS2 11" "the emergency, live"
sleep 0.5
screen p
checks=$((checks + 1))
grep -q "^dose_missed: " "$T/screen" ||
    fail "the choice moved under the nurse: $(cat "$T/screen")"
keys p Enter
keys p a
shows p "Acknowledge this alert as Nell Nurse?" "a asks"
shows p "│ .*dose missed: .*B2002BB" "about the alert chosen"
screen p
checks=$((checks + 1))
! grep -q "│ .*A1001AA Able, Alan: NEWS2 11" "$T/screen" ||
    fail "the question is about another alert: $(cat "$T/screen")"
keys p Escape
hides p "Acknowledge this alert" "Esc: not acknowledged"
checks=$((checks + 1))
[ "$(open_alert A1001AA news2_high | cut -d' ' -f2)" = open ] ||
    fail "the emergency was acknowledged unread"
checks=$((checks + 1))
[ "$(open_alert B2002BB dose_missed | cut -d' ' -f2)" = open ] ||
    fail "the missed dose was acknowledged on Enter or n"

# Locked on the Alerts pane, an emergency arrives (and is chosen for
# whoever comes); carl signs in with a bouncing Enter: it acknowledges
# nothing.
keys p l
shows p "Locked: sign in to go on" "locked on the Alerts pane"
observe "$NINA_TOKEN" "$PID_B" "$HIGH"
EMERGENCY=$(open_alert B2002BB news2_high)
shows p "[0-9] URGENT or EMERGENCY" "the locked screen counts it"
sleep 1
typed p carl
keys p Enter
typed p 7777
keys p Enter Enter Enter
shows p "Carl Competent (carl)" "carl signed in"
sleep 1
checks=$((checks + 1))
NOW=$(open_alert B2002BB news2_high)
[ "$NOW" = "$EMERGENCY" ] && [ "${EMERGENCY#* }" = open ] ||
    fail "Enter after the sign-in acknowledged the emergency: $NOW"
shows p "^news2_high: B2002BB Baker, Bea: NEWS2 11" \
    "the emergency chosen, unacknowledged"

# The session ends while a witness types their PIN: the terminal locks,
# and the rest of the PIN shows nowhere.
keys p l
sign_in_ward p nell 6666
shows p "Nell Nurse (nell)" "nell on p"
keys p 2
pick p "^A1001AA Able, Alan" "Alan's dose chosen"
keys p g
shows p "Give a dose" "the give form"
fill p A1001AA carl
typed p 77
shows p "Witness PIN *: \*\*" "half a PIN typed, as stars"
new_pin 6677
shows p "Locked: sign in to go on" "the session ended: locked"
typed p 77
sleep 0.5
screen p
checks=$((checks + 1))
! grep -q "Username *: *[^ │]" "$T/screen" ||
    fail "the rest of the PIN went into Username: $(cat "$T/screen")"
shows p "Press Enter to sign in" "nothing typed reaches the sign-in before Enter"
keys p Enter
hides p "Press Enter to sign in" "Enter: the sign-in"
typed p 66
screen p
checks=$((checks + 1))
! grep -q "Username *: *[^ │]" "$T/screen" ||
    fail "a username beginning with a digit was shown: $(cat "$T/screen")"

# Locked by l, someone half-way through signing in when the locked
# session ends (its stream refused): what they typed stays.
fill p nell 6677
shows p "Nell Nurse (nell)" "nell with her new PIN"
keys p l
shows p "Locked: sign in to go on" "l locks"
typed p carl
keys p Enter
typed p 77
new_pin 6688
shows p "session .*ended" "the stream's refusal reached the locked terminal" 15
typed p 77
keys p Enter
shows p "Carl Competent (carl)" "carl's sign-in survived it"

keys p q
shows p "Quit idts-ward (and sign out)?" "q asks on p"
keys p y
i=0
until [ -e "$T/p.exit" ]; do
	[ $i -lt 200 ] || fail "p did not quit"
	sleep 0.05
	i=$((i + 1))
done
checks=$((checks + 1))
[ "$(cat "$T/p.exit")" = 0 ] ||
    fail "p exited $(cat "$T/p.exit"): $(cat "$T/p.err")"
kill "$PROXY_PID" 2>/dev/null || true
wait "$PROXY_PID" 2>/dev/null || true
PROXY_PID=""

# ========================================================================
# q asks; n stays; y quits cleanly and ends the session.
# ========================================================================
keys w q
shows w "Quit idts-ward (and sign out)?" "q asks"
keys w n
hides w "Quit idts-ward" "n stays"
keys w q
shows w "Quit idts-ward (and sign out)?" "q asks again"
keys w y
i=0
until [ -e "$T/w.exit" ]; do
	[ $i -lt 200 ] || fail "idts-ward did not quit"
	sleep 0.05
	i=$((i + 1))
done
checks=$((checks + 1))
[ "$(cat "$T/w.exit")" = 0 ] ||
    fail "idts-ward exited $(cat "$T/w.exit"): $(cat "$T/w.err")"
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM audit a JOIN staff s ON s.id = a.actor_id
    WHERE a.action = 'session.delete' AND
    s.username IN ('nina', 'nora', 'carl')")" -ge 3 ] ||
    fail "the ward's sessions were not ended"
pass
