-- Continuity-of-care clocks, alerts and the stream of alert events.

CREATE TABLE care_clocks (
	id		TEXT PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	kind		TEXT NOT NULL
			CHECK (kind IN ('treatment_continued', 'keyworker_allocated')),
	started_at	INTEGER NOT NULL,
	warn_at		INTEGER NOT NULL,
	due_at		INTEGER NOT NULL,
	met_at		INTEGER,
	met_how		TEXT CHECK (met_how IN ('keyworker', 'decision', 'dose')),
	met_by		TEXT REFERENCES staff(id),
	warned		INTEGER NOT NULL DEFAULT 0 CHECK (warned IN (0, 1)),
	breach_fired	INTEGER NOT NULL DEFAULT 0 CHECK (breach_fired IN (0, 1)),
	UNIQUE (patient_id, kind)
) STRICT;
-- The scheduler asks for the earliest clock deadline still to fire.
CREATE INDEX care_clocks_pending_warn ON care_clocks(warn_at)
	WHERE met_at IS NULL AND warned = 0;
CREATE INDEX care_clocks_pending_due ON care_clocks(due_at)
	WHERE met_at IS NULL AND breach_fired = 0;

-- Keyworkers allocated, and prescribers' decisions on treatment.
CREATE TABLE keyworkers (
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	staff_id	TEXT NOT NULL REFERENCES staff(id),
	allocated_at	INTEGER NOT NULL,
	allocated_by	TEXT NOT NULL REFERENCES staff(id)
) STRICT;
CREATE INDEX keyworkers_by_patient ON keyworkers(patient_id);

CREATE TABLE treatment_decisions (
	id		TEXT PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	continue_treatment INTEGER NOT NULL CHECK (continue_treatment IN (0, 1)),
	reason		TEXT NOT NULL,
	decided_at	INTEGER NOT NULL,
	decided_by	TEXT NOT NULL REFERENCES staff(id)
) STRICT;

CREATE TABLE alerts (
	id		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL,
	severity	TEXT NOT NULL
			CHECK (severity IN ('info', 'warning', 'urgent', 'emergency')),
	audience	TEXT NOT NULL
			CHECK (audience IN ('ward', 'manager', 'reception')),
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
CREATE INDEX alerts_open ON alerts(raised_at) WHERE acked_at IS NULL;
CREATE INDEX alerts_pending_escalation ON alerts(escalate_at)
	WHERE acked_at IS NULL AND escalated = 0 AND escalate_at IS NOT NULL;

-- What the alert stream sends, in order: a raised alert, or an
-- acknowledgement.  seq is the SSE id; AUTOINCREMENT so it never repeats.
CREATE TABLE alert_events (
	seq		INTEGER PRIMARY KEY AUTOINCREMENT,
	alert_id	TEXT NOT NULL REFERENCES alerts(id),
	event		TEXT NOT NULL CHECK (event IN ('alert', 'ack'))
) STRICT;
CREATE INDEX alert_events_by_alert ON alert_events(alert_id);
