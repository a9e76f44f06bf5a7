-- A due's window starts when it opened, not at its due time (issue 22):
-- when its plan started or was extended, when the observation before it
-- was taken, or when the due before it was missed.  An observation
-- written up late meets the due whose window held it.  Dues recorded
-- before this migration open where the due before them ended (taken, or
-- missed), the first of a plan at its due time.
ALTER TABLE observation_dues ADD COLUMN opened_at INTEGER NOT NULL DEFAULT 0;
UPDATE observation_dues AS d SET opened_at = min(d.due_at, coalesce((
	SELECT CASE WHEN p.state IN ('on_time', 'late')
	    THEN min(coalesce(p.taken_at, p.missed_at), p.missed_at)
	    ELSE p.missed_at END
	FROM observation_dues p WHERE p.patient_id = d.patient_id AND
	    p.due_at < d.due_at ORDER BY p.due_at DESC LIMIT 1), d.due_at));
-- An observation finds the due last opened when it was taken.
DROP INDEX observation_dues_by_patient;
CREATE INDEX observation_dues_by_opening ON observation_dues(patient_id,
	opened_at, due_at);
