-- Observation plans for stimulant users, the observations taken (with
-- their NEWS2 score), and the dues between them: each due is met on
-- time, late or missed, which is what the compliance report counts.

CREATE TABLE observation_plans (
	patient_id	TEXT PRIMARY KEY REFERENCES patients(id),
	starts_at	INTEGER NOT NULL,	-- arrived_at
	counts_from	INTEGER NOT NULL,	-- when the flag was set
	ends_at		INTEGER NOT NULL,	-- arrival + 72 h, or extended
	base_interval_ms INTEGER NOT NULL CHECK (base_interval_ms > 0),
	ended_at	INTEGER,		-- released or transferred
	created_by	TEXT NOT NULL REFERENCES staff(id),
	created_at	INTEGER NOT NULL,
	CHECK (starts_at <= counts_from AND starts_at < ends_at)
) STRICT;

CREATE TABLE observations (
	id		TEXT PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	taken_at	INTEGER NOT NULL,
	respiratory_rate INTEGER NOT NULL,
	spo2		INTEGER NOT NULL,
	spo2_scale	INTEGER NOT NULL CHECK (spo2_scale IN (1, 2)),
	on_oxygen	INTEGER NOT NULL CHECK (on_oxygen IN (0, 1)),
	systolic_bp	INTEGER NOT NULL,
	pulse		INTEGER NOT NULL,
	consciousness	TEXT NOT NULL CHECK (consciousness IN ('A', 'C', 'V', 'P', 'U')),
	temperature_tenths INTEGER NOT NULL,
	total		INTEGER NOT NULL CHECK (total BETWEEN 0 AND 20),
	band		TEXT NOT NULL,
	red_parameter	TEXT,
	next_due_at	INTEGER,
	recorded_by	TEXT NOT NULL REFERENCES staff(id),
	recorded_at	INTEGER NOT NULL
) STRICT;
CREATE INDEX observations_by_patient ON observations(patient_id, taken_at);

-- One row per time an observation was due.  warn_at is due_at plus the
-- grace; missed_at is when the next would have been due.
CREATE TABLE observation_dues (
	id		TEXT PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	due_at		INTEGER NOT NULL,
	interval_ms	INTEGER NOT NULL CHECK (interval_ms > 0),
	warn_at		INTEGER NOT NULL,
	missed_at	INTEGER NOT NULL CHECK (missed_at > warn_at),
	state		TEXT NOT NULL DEFAULT 'open'
			CHECK (state IN ('open', 'on_time', 'late', 'missed',
			    'cancelled')),
	warned		INTEGER NOT NULL DEFAULT 0 CHECK (warned IN (0, 1)),
	observation_id	TEXT REFERENCES observations(id),
	taken_at	INTEGER
) STRICT;
-- At most one open due a patient.
CREATE UNIQUE INDEX observation_dues_open ON observation_dues(patient_id)
	WHERE state = 'open';
CREATE INDEX observation_dues_to_warn ON observation_dues(warn_at)
	WHERE state = 'open' AND warned = 0;
CREATE INDEX observation_dues_to_miss ON observation_dues(missed_at)
	WHERE state = 'open';
CREATE INDEX observation_dues_by_due ON observation_dues(due_at);
-- An observation written up late finds the due in force when it was taken.
CREATE INDEX observation_dues_by_patient ON observation_dues(patient_id,
	due_at);
