# Shared by the tests that drive the dose round over curl with the test
# clock: wait for the scheduler, and move the clock.  Source it after
# lib.sh, with the daemon started.

# settle: wait until the scheduler has caught up with the (test) clock:
# no dose left scheduled after its window opened, or open after it closed.
settle() {
	i=0
	while [ "$(sql "WITH n(ms) AS (SELECT CAST((julianday('now') -
	    2440587.5) * 86400000 AS INTEGER) + (SELECT value FROM meta
	    WHERE name = 'test_clock_offset_ms'))
	    SELECT count(*) FROM doses, n WHERE
	    (state = 'scheduled' AND window_start <= n.ms - 1000) OR
	    (state IN ('scheduled', 'due') AND window_end <= n.ms - 1000)")" \
	    != 0 ]; do
		[ $i -lt 100 ] || fail "the scheduler did not catch up"
		sleep 0.05
		i=$((i + 1))
	done
}

# wait_sql QUERY WANT: wait until QUERY answers WANT (the scheduler's work).
wait_sql() {
	i=0
	while [ "$(sql "$1")" != "$2" ]; do
		[ $i -lt 100 ] || fail "waited for '$1' to be $2: $(sql "$1")"
		sleep 0.05
		i=$((i + 1))
	done
}

# clock_to INSTANT: set the test clock and let the scheduler catch up.
clock_to() {
	saved=${TOKEN:-}
	TOKEN=""
	set_clock "{\"now\":\"$1\"}"
	expect_status 200
	TOKEN=$saved
	settle
}
