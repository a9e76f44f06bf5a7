-- Issue 15, clinical safety.  Every change of issue 15's schema is here,
-- one section per area, each with its own header.

-- Deterioration (alerts to the doctor on call).  An urgent or emergency
-- NEWS2 alert goes to the prescriber or doctor on call as well as to the
-- ward: the alerts table is rebuilt with 'on_call' in its CHECK, as in
-- 003, its columns named so a later section may add its own.
CREATE TABLE alerts_007 (
	id		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL,
	severity	TEXT NOT NULL
			CHECK (severity IN ('info', 'warning', 'urgent', 'emergency')),
	audience	TEXT NOT NULL
			CHECK (audience IN ('ward', 'manager', 'reception',
			    'prescriber', 'pharmacy', 'on_call')),
	patient_id	TEXT REFERENCES patients(id),
	subject_id	TEXT,
	raised_at	INTEGER NOT NULL,
	message		TEXT NOT NULL,
	acked_by	TEXT REFERENCES staff(id),
	acked_at	INTEGER,
	ack_note	TEXT,
	escalate_at	INTEGER,
	escalated	INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1))
) STRICT;
INSERT INTO alerts_007 (id, kind, severity, audience, patient_id,
	subject_id, raised_at, message, acked_by, acked_at, ack_note,
	escalate_at, escalated)
	SELECT id, kind, severity, audience, patient_id, subject_id,
	    raised_at, message, acked_by, acked_at, ack_note, escalate_at,
	    escalated FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_007 RENAME TO alerts;
CREATE INDEX alerts_open ON alerts(raised_at) WHERE acked_at IS NULL;
CREATE INDEX alerts_pending_escalation ON alerts(escalate_at)
	WHERE acked_at IS NULL AND escalated = 0 AND escalate_at IS NOT NULL;
CREATE INDEX alerts_by_subject ON alerts(subject_id);
