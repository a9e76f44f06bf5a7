#!/bin/sh
# The hazard log's evidence is real: every test a control cites exists and
# ran and passed in this run of the tests.
#   tests/safety_check.sh HAZARD_LOG RAN
# HAZARD_LOG is docs/safety/hazard-log.md; RAN is the list tests/run.sh
# writes ($BUILD/tests-ran.txt), one line per test that passed:
# "test_dose:test_givable" for a cmocka test, "t_doses.sh" for a script.
#
# A control is a table row "| H01.C1 | what the product does | status |
# tests |".  Its tests are written in backquotes, one of:
#   `test_dose:test_givable`   a cmocka test: the function must be defined
#                              in tests/unit/test_dose.c, and have passed
#   `t_doses.sh`               an integration script that must have passed
#   `t_doses.sh: some words`   the same, and the words must be on one line
#                              of the script (the check they name)
#   `faults/kill9.sh`          a fault test (make faults, not make check):
#                              it must exist; it proves nothing on its own
# A control "built" cites at least one cmocka test or script; one
# "planned" cites none (it is not claimed until it is built).  Each
# hazard's risk before and after its controls is checked against the
# matrix in clinical-risk-management.md (the score is likelihood times
# severity; its band follows from the score), the risk after is no worse
# than before and not unacceptable, and the summary table at the top
# agrees with the hazards below it.  Prints each problem and one line of
# totals; exits 1 if there is a problem.
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 HAZARD_LOG RAN" >&2
	exit 2
fi
tests=$(cd "$(dirname "$0")" && pwd)
[ -r "$1" ] || { echo "safety: cannot read $1" >&2; exit 1; }
[ -r "$2" ] || { echo "safety: cannot read $2 (did the tests run?)" >&2;
    exit 1; }

awk -v tests="$tests" -v hazlog="$(basename "$1")" '
# Says what is wrong: at line AT if set, else at the line being read.
function problem(msg) {
	printf "safety: %s:%d: %s\n", hazlog, at ? at : FNR, msg
	problems++
}

# The band of a score, as in the matrix of the plan.
function band(score) {
	if (score <= 4) return "acceptable"
	if (score <= 9) return "tolerable"
	if (score <= 14) return "undesirable"
	return "unacceptable"
}

# "- **Risk before:** likelihood 4 × severity 5 = 20, unacceptable":
# sets L, S, SCORE and BAND, or says what is wrong and returns 0.
function risk(line,    w, n, i) {
	gsub(/[^a-z0-9]+/, " ", line)
	n = split(line, w, " ")
	L = S = SCORE = BAND = ""
	for (i = 1; i < n; i++) {
		if (w[i] == "likelihood") L = w[i + 1]
		if (w[i] == "severity") { S = w[i + 1]; SCORE = w[i + 2] }
	}
	BAND = w[n]
	if (L !~ /^[1-5]$/ || S !~ /^[1-5]$/) {
		problem(hazard ": a risk needs a likelihood and a " \
		    "severity of 1 to 5")
		return 0
	}
	if (SCORE != L * S) {
		problem(sprintf("%s: %d × %d is %d, not %s", hazard, L, S,
		    L * S, SCORE))
		return 0
	}
	if (BAND != band(SCORE)) {
		problem(sprintf("%s: a score of %d is %s, not %s", hazard,
		    SCORE, band(SCORE), BAND))
		return 0
	}
	return 1
}

# S without the blanks around it.
function trim(s) {
	gsub(/^[ \t]+|[ \t]+$/, "", s)
	return s
}

# Whether FILE has a line holding TEXT (or, with AT_START, starting so).
function has_line(file, text, at_start,    l, found, r) {
	found = 0
	while ((r = (getline l < file)) > 0)
		if (at_start ? index(l, text) == 1 : index(l, text) > 0) {
			found = 1
			break
		}
	close(file)
	return found
}

# Whether FILE can be read.
function exists(file,    l, r) {
	r = (getline l < file)
	close(file)
	return r >= 0
}

# One citation of control ID; returns 1 if it is a test that must run.
function cite(id, c,    bin, fn, script, words, p) {
	if (c ~ /^test_[a-z0-9_]+:test_[a-z0-9_]+$/) {
		p = index(c, ":")
		bin = substr(c, 1, p - 1)
		fn = substr(c, p + 1)
		if (!has_line(tests "/unit/" bin ".c", fn "(void **", 1))
			problem(id " cites " c ": no such test in tests/unit/" \
			    bin ".c")
		else if (!(c in ran))
			problem(id " cites " c ", which did not run and pass")
		distinct[c] = 1
		cited++
		return 1
	}
	if (c ~ /^t_[a-z0-9_]+\.sh(: .+)?$/) {
		p = index(c, ":")
		script = p ? substr(c, 1, p - 1) : c
		words = p ? substr(c, p + 2) : ""
		if (!exists(tests "/integration/" script))
			problem(id " cites " script ": no such script in " \
			    "tests/integration")
		else if (words != "" && \
		    !has_line(tests "/integration/" script, words, 0))
			problem(id " cites " script " for \"" words "\", " \
			    "which is on no line of it")
		else if (!(script in ran))
			problem(id " cites " script \
			    ", which did not run and pass")
		distinct[script] = 1
		cited++
		return 1
	}
	if (c ~ /^faults\/[a-z0-9_]+\.sh$/) {
		if (!exists(tests "/" c))
			problem(id " cites " c ": no such fault test")
		faults++
		return 0
	}
	problem(id " cites `" c "`: not a test name (test_x:test_y, " \
	    "t_x.sh, t_x.sh: words or faults/x.sh)")
	return 0
}

# A control row: | H01.C1 | what | status | `test`, `test` |
function control(    f, n, id, status, rest, c, p, proving) {
	n = split($0, f, "|")
	id = trim(f[2])
	status = trim(f[4])
	if (n != 6) {
		problem(id ": a control row has four columns")
		return
	}
	if (substr(id, 1, 3) != hazard)
		problem(id " is under hazard " hazard)
	if (id in seen)
		problem(id " twice")
	seen[id] = 1
	ncontrols[hazard]++
	rest = f[5]
	proving = 0
	ncited = 0
	while ((p = index(rest, "`")) > 0) {
		rest = substr(rest, p + 1)
		p = index(rest, "`")
		if (p == 0) {
			problem(id ": a backquote not closed")
			break
		}
		c = substr(rest, 1, p - 1)
		rest = substr(rest, p + 1)
		ncited++
		if (status == "built")
			proving += cite(id, c)
	}
	if (status == "built") {
		built[hazard]++
		nbuilt++
		if (proving == 0)
			problem(id " is built but cites no test that runs " \
			    "under make check")
	} else if (status == "planned") {
		planned[hazard]++
		nplanned++
		if (ncited > 0)
			problem(id " is planned but cites tests: if they " \
			    "prove it, it is built")
	} else
		problem(id ": status \"" status "\" is neither built nor " \
		    "planned")
}

# A row of the summary table:
# | H01 | title | 4 × 5 = 20 unacceptable | 2 × 5 = 10 undesirable | 3 | 2 |
function summary(    f, n, id) {
	n = split($0, f, "|")
	id = trim(f[2])
	if (n != 8) {
		problem(id ": a summary row has six columns")
		return
	}
	if (id in sum_before)
		problem(id " twice in the summary")
	sum_before[id] = trim(f[4])
	sum_after[id] = trim(f[5])
	sum_built[id] = trim(f[6])
	sum_planned[id] = trim(f[7])
	sum_line[id] = FNR
}

# The same risk as the summary writes it: "4 × 5 = 20 unacceptable".
function short(l, s, score, b) {
	return l " × " s " = " score " " b
}

# What a hazard needs, checked once its last line is read.
function end_hazard() {
	if (hazard == "")
		return
	at = hline[hazard]
	if (hazard in badrisk)
		;	# said already
	else if (!(hazard in before) || !(hazard in after))
		problem(hazard " needs a risk before and a risk after")
	else if (after_score[hazard] > before_score[hazard])
		problem(hazard ": the risk after is worse than before")
	if (after_band[hazard] == "unacceptable")
		problem(hazard ": an unacceptable risk after its controls")
	if (ncontrols[hazard] == 0)
		problem(hazard " has no control")
	at = 0
}

FILENAME == ARGV[1] { ran[$0] = 1; next }

/^## H[0-9][0-9] / {
	end_hazard()
	hazard = $2
	if (hazard in titles)
		problem(hazard " twice")
	titles[hazard] = 1
	hline[hazard] = FNR
	order[++nhazards] = hazard
	next
}
/^- \*\*Risk before:\*\*/ && hazard != "" {
	if (risk($0)) {
		before[hazard] = short(L, S, SCORE, BAND)
		before_score[hazard] = SCORE
	} else
		badrisk[hazard] = 1
	next
}
/^- \*\*Risk after:\*\*/ && hazard != "" {
	if (risk($0)) {
		after[hazard] = short(L, S, SCORE, BAND)
		after_score[hazard] = SCORE
		after_band[hazard] = BAND
	} else
		badrisk[hazard] = 1
	next
}
/^\| *H[0-9][0-9]\.C[0-9]+ *\|/ {
	if (hazard == "")
		problem("a control before any hazard")
	else
		control()
	next
}
/^\| *H[0-9][0-9] *\|/ { summary(); next }

END {
	end_hazard()
	for (i = 1; i <= nhazards; i++) {
		h = order[i]
		if (!(h in sum_before)) {
			at = 1
			problem(h " is not in the summary table")
			continue
		}
		at = sum_line[h]
		if (!(h in badrisk) && sum_before[h] != before[h])
			problem(h ": the summary says before " sum_before[h] \
			    ", the hazard " before[h])
		if (!(h in badrisk) && sum_after[h] != after[h])
			problem(h ": the summary says after " sum_after[h] \
			    ", the hazard " after[h])
		if (sum_built[h] != built[h] + 0 || \
		    sum_planned[h] != planned[h] + 0)
			problem(sprintf("%s: the summary says %s built and " \
			    "%s planned, the hazard has %d and %d", h,
			    sum_built[h], sum_planned[h], built[h],
			    planned[h]))
		delete sum_before[h]
	}
	for (h in sum_before) {
		at = sum_line[h]
		problem(h " is in the summary but not below it")
	}
	if (nhazards == 0) {
		at = 1
		problem("no hazards")
	}
	if (problems) {
		printf "safety: %d problem(s) in %s\n", problems, hazlog
		exit 1
	}
	for (c in distinct)
		ndistinct++
	printf "safety: %d hazards; %d controls built, proved by %d " \
	    "citations of %d tests that ran and passed (and %d of fault " \
	    "tests); %d planned\n", nhazards, nbuilt, cited, ndistinct,
	    faults, nplanned
}
' "$2" "$1"
