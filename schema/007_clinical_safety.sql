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

-- Corrections, never deletions (s5).  A patient may be ended as entered
-- in error (a test arrival) and carries an optional NHS number: the
-- patients table is rebuilt with the wider status CHECK, as 003 rebuilt
-- alerts (foreign keys are off while a migration runs, and checked
-- after).  Sections after this one may ALTER patients freely.
CREATE TABLE patients_007 (
	id		TEXT PRIMARY KEY,
	prison_number	TEXT NOT NULL
			CHECK (prison_number GLOB '[A-Z][0-9][0-9][0-9][0-9][A-Z][A-Z]'),
	given_name	TEXT NOT NULL,
	family_name	TEXT NOT NULL,
	date_of_birth	TEXT NOT NULL,
	arrived_at	INTEGER NOT NULL,
	location	TEXT NOT NULL,
	stimulant_user	INTEGER NOT NULL CHECK (stimulant_user IN (0, 1)),
	status		TEXT NOT NULL DEFAULT 'in_custody'
			CHECK (status IN ('in_custody', 'released', 'transferred',
			    'entered_in_error')),
	created_by	TEXT NOT NULL REFERENCES staff(id),
	created_at	INTEGER NOT NULL,
	nhs_number	TEXT CHECK (nhs_number GLOB
			    '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')
) STRICT;
INSERT INTO patients_007 (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status, created_by,
    created_at)
    SELECT id, prison_number, given_name, family_name, date_of_birth,
    arrived_at, location, stimulant_user, status, created_by, created_at
    FROM patients;
DROP TABLE patients;
ALTER TABLE patients_007 RENAME TO patients;
CREATE UNIQUE INDEX patients_in_custody ON patients(prison_number)
	WHERE status = 'in_custody';

-- Every change to a patient's record: the field, its value before and
-- after (as the API writes them; NULL for none), and why.  Append only.
CREATE TABLE patient_changes (
	seq		INTEGER PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	field		TEXT NOT NULL,
	old_value	TEXT,
	new_value	TEXT,
	reason		TEXT NOT NULL CHECK (length(reason) > 0),
	changed_by	TEXT NOT NULL REFERENCES staff(id),
	changed_at	INTEGER NOT NULL
) STRICT;
CREATE INDEX patient_changes_by_patient ON patient_changes(patient_id, seq);
CREATE TRIGGER patient_changes_no_update BEFORE UPDATE ON patient_changes
BEGIN
	SELECT RAISE(ABORT, 'patient history is never changed');
END;
CREATE TRIGGER patient_changes_no_delete BEFORE DELETE ON patient_changes
BEGIN
	SELECT RAISE(ABORT, 'patient history is never deleted');
END;

-- An observation struck out: kept, but left out of scores, plans and
-- reports.  At most once.
CREATE TABLE observation_errors (
	observation_id	TEXT PRIMARY KEY REFERENCES observations(id),
	reason		TEXT NOT NULL CHECK (length(reason) > 0),
	recorded_by	TEXT NOT NULL REFERENCES staff(id),
	recorded_at	INTEGER NOT NULL
) STRICT;

-- A given dose recorded in error: its row and register entry stay; the
-- register correction that restored the balance is named.  At most once.
CREATE TABLE dose_errors (
	dose_id		TEXT PRIMARY KEY REFERENCES doses(id),
	reason		TEXT NOT NULL CHECK (length(reason) > 0),
	recorded_by	TEXT NOT NULL REFERENCES staff(id),
	witnessed_by	TEXT NOT NULL REFERENCES staff(id),
	recorded_at	INTEGER NOT NULL,
	correction_id	TEXT NOT NULL REFERENCES register_entries(id),
	CHECK (witnessed_by <> recorded_by)
) STRICT;

-- Prescribing limits and units (s1).  A product's strength as data (so
-- many thousandths of active_unit in one of the product's unit), its
-- limits in thousandths of its unit (NULL: none), and whether it is an
-- opioid substitute.  A prescription written over the first-dose checks
-- keeps the prescriber's reason and what it overrode (codes, spaces
-- between).
ALTER TABLE products ADD COLUMN active_quantity INTEGER
	CHECK (active_quantity > 0);
ALTER TABLE products ADD COLUMN active_unit TEXT
	CHECK ((active_unit IS NULL) = (active_quantity IS NULL));
ALTER TABLE products ADD COLUMN max_single_dose INTEGER
	CHECK (max_single_dose > 0);
ALTER TABLE products ADD COLUMN max_daily_dose INTEGER
	CHECK (max_daily_dose > 0);
ALTER TABLE products ADD COLUMN opioid_substitute INTEGER NOT NULL
	DEFAULT 0 CHECK (opioid_substitute IN (0, 1));
ALTER TABLE prescriptions ADD COLUMN override_reason TEXT
	CHECK (override_reason IS NULL OR length(override_reason) > 0);
ALTER TABLE prescriptions ADD COLUMN override_codes TEXT
	CHECK ((override_codes IS NULL) = (override_reason IS NULL));

-- Cautions at the point of administration (s2).  The cautions a nurse
-- confirmed when giving a dose, in the words they were shown (the note
-- that goes with them is the dose's note).  Append only, as the register.
CREATE TABLE dose_cautions (
	dose_id		TEXT NOT NULL REFERENCES doses(id),
	code		TEXT NOT NULL,
	message		TEXT NOT NULL,
	confirmed_by	TEXT NOT NULL REFERENCES staff(id),
	confirmed_at	INTEGER NOT NULL,
	PRIMARY KEY (dose_id, code)
) STRICT;
CREATE TRIGGER dose_cautions_no_update BEFORE UPDATE ON dose_cautions
BEGIN
	SELECT RAISE(ABORT, 'confirmed cautions are never changed');
END;
CREATE TRIGGER dose_cautions_no_delete BEFORE DELETE ON dose_cautions
BEGIN
	SELECT RAISE(ABORT, 'confirmed cautions are never deleted');
END;
