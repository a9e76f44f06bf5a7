-- Products (register pages), prescriptions and their doses, and the
-- controlled-drug register.  Quantities are INTEGER thousandths of the
-- product's unit; local dates are TEXT YYYY-MM-DD.

-- Alerts may now go to the prescribers and to the pharmacy: the table is
-- rebuilt with the wider CHECK, as SQLite's ALTER TABLE documentation
-- describes (the migration runs with foreign keys off and checks them).
CREATE TABLE alerts_003 (
	id		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL,
	severity	TEXT NOT NULL
			CHECK (severity IN ('info', 'warning', 'urgent', 'emergency')),
	audience	TEXT NOT NULL
			CHECK (audience IN ('ward', 'manager', 'reception',
			    'prescriber', 'pharmacy')),
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
INSERT INTO alerts_003 SELECT * FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_003 RENAME TO alerts;
CREATE INDEX alerts_open ON alerts(raised_at) WHERE acked_at IS NULL;
CREATE INDEX alerts_pending_escalation ON alerts(escalate_at)
	WHERE acked_at IS NULL AND escalated = 0 AND escalate_at IS NOT NULL;
-- Meeting a clock or giving a dose settles the alerts about it, and the
-- escalations of those (whose subject is the first alert).
CREATE INDEX alerts_by_subject ON alerts(subject_id);

CREATE TABLE products (
	id		TEXT PRIMARY KEY,
	name		TEXT NOT NULL,
	form		TEXT NOT NULL,
	strength	TEXT NOT NULL,
	unit		TEXT NOT NULL,
	created_by	TEXT NOT NULL REFERENCES staff(id),
	created_at	INTEGER NOT NULL,
	UNIQUE (name, form, strength)
) STRICT;

-- Never edited: a change stops one and starts another.  held_at,
-- not_taken_run and generated_until are the rules' running state.
CREATE TABLE prescriptions (
	id		TEXT PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	product_id	TEXT NOT NULL REFERENCES products(id),
	regimen		TEXT NOT NULL CHECK (regimen IN ('maintenance', 'reducing')),
	dose		INTEGER NOT NULL CHECK (dose > 0),
	times		TEXT NOT NULL,		-- "08:00,20:00"
	every_days	INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 28),
	start_date	TEXT NOT NULL,
	end_date	TEXT,
	-- When its doses can begin and after which there are none
	-- (9223372036854775807 when open-ended): local dates as instants.
	starts_at	INTEGER NOT NULL,
	ends_at		INTEGER NOT NULL,
	prescriber_id	TEXT NOT NULL REFERENCES staff(id),
	created_at	INTEGER NOT NULL,
	stopped_at	INTEGER,
	stopped_by	TEXT REFERENCES staff(id),
	stop_reason	TEXT,
	held_at		INTEGER,
	not_taken_run	INTEGER NOT NULL DEFAULT 0 CHECK (not_taken_run >= 0),
	generated_until	INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX prescriptions_by_patient ON prescriptions(patient_id,
	product_id);
-- The scheduler extends the doses of prescriptions still running.
CREATE INDEX prescriptions_to_extend ON prescriptions(generated_until)
	WHERE stopped_at IS NULL;

CREATE TABLE prescription_steps (
	prescription_id	TEXT NOT NULL REFERENCES prescriptions(id),
	from_date	TEXT NOT NULL,
	dose		INTEGER NOT NULL CHECK (dose >= 0),
	PRIMARY KEY (prescription_id, from_date)
) STRICT;

CREATE TABLE prescription_reviews (
	id		TEXT PRIMARY KEY,
	prescription_id	TEXT NOT NULL REFERENCES prescriptions(id),
	note		TEXT NOT NULL,
	reviewed_at	INTEGER NOT NULL,
	reviewed_by	TEXT NOT NULL REFERENCES staff(id)
) STRICT;

CREATE TABLE doses (
	id		TEXT PRIMARY KEY,
	prescription_id	TEXT NOT NULL REFERENCES prescriptions(id),
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	due_at		INTEGER NOT NULL,
	window_start	INTEGER NOT NULL,
	window_end	INTEGER NOT NULL CHECK (window_start <= due_at AND due_at <= window_end),
	amount		INTEGER NOT NULL CHECK (amount > 0),
	state		TEXT NOT NULL DEFAULT 'scheduled'
			CHECK (state IN ('scheduled', 'due', 'given', 'refused',
			    'withheld', 'missed', 'away', 'held')),
	recorded_at	INTEGER,
	recorded_by	TEXT REFERENCES staff(id),
	witnessed_by	TEXT REFERENCES staff(id),
	reason		TEXT,
	note		TEXT,
	register_entry_id TEXT,
	-- A given dose names both signatories and its register entry.
	CHECK (state <> 'given' OR (recorded_by IS NOT NULL AND
	    witnessed_by IS NOT NULL AND witnessed_by <> recorded_by AND
	    register_entry_id IS NOT NULL)),
	UNIQUE (prescription_id, due_at)
) STRICT;
CREATE INDEX doses_by_due ON doses(due_at);
CREATE INDEX doses_by_patient ON doses(patient_id, due_at);
-- The scheduler's two deadlines: a window opening, a window closing.
CREATE INDEX doses_to_open ON doses(window_start) WHERE state = 'scheduled';
CREATE INDEX doses_to_close ON doses(window_end)
	WHERE state IN ('scheduled', 'due');

-- The register: append only.  seq orders every page; balance_after is
-- the running balance of the entry's product.
CREATE TABLE register_entries (
	seq		INTEGER PRIMARY KEY,
	id		TEXT NOT NULL UNIQUE,
	product_id	TEXT NOT NULL REFERENCES products(id),
	kind		TEXT NOT NULL
			CHECK (kind IN ('receipt', 'administration', 'return',
			    'destruction', 'check', 'correction')),
	quantity	INTEGER NOT NULL,
	balance_after	INTEGER NOT NULL CHECK (balance_after >= 0),
	counted		INTEGER CHECK (counted >= 0),
	at		INTEGER NOT NULL,
	by_id		TEXT NOT NULL REFERENCES staff(id),
	witness_id	TEXT NOT NULL REFERENCES staff(id),
	dose_id		TEXT UNIQUE REFERENCES doses(id),
	patient_id	TEXT REFERENCES patients(id),
	supplier	TEXT,
	reference	TEXT,
	reason		TEXT,
	corrects_id	TEXT REFERENCES register_entries(id),
	CHECK (witness_id <> by_id),
	CHECK (kind <> 'check' OR (quantity = 0 AND counted IS NOT NULL)),
	CHECK (kind <> 'correction' OR (corrects_id IS NOT NULL AND reason IS NOT NULL))
) STRICT;
CREATE INDEX register_by_product ON register_entries(product_id, seq);
CREATE TRIGGER register_no_update BEFORE UPDATE ON register_entries
BEGIN
	SELECT RAISE(ABORT, 'register entries are never changed; correct with a new entry');
END;
CREATE TRIGGER register_no_delete BEFORE DELETE ON register_entries
BEGIN
	SELECT RAISE(ABORT, 'register entries are never deleted; correct with a new entry');
END;
-- Each entry's balance follows on from the one before it on its page.
CREATE TRIGGER register_balance_follows BEFORE INSERT ON register_entries
WHEN NEW.balance_after <> COALESCE((SELECT balance_after FROM register_entries
    WHERE product_id = NEW.product_id ORDER BY seq DESC LIMIT 1), 0) + NEW.quantity
BEGIN
	SELECT RAISE(ABORT, 'a register balance must follow on from the entry before');
END;
-- INSERT OR REPLACE deletes the row it clashes with without firing DELETE
-- triggers: so a clash itself is refused, here and in the audit log.
CREATE TRIGGER register_no_replace BEFORE INSERT ON register_entries
WHEN EXISTS (SELECT 1 FROM register_entries WHERE seq = NEW.seq OR
    id = NEW.id OR dose_id = NEW.dose_id)
BEGIN
	SELECT RAISE(ABORT, 'register entries are never replaced');
END;
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)
BEGIN
	SELECT RAISE(ABORT, 'audit entries are never replaced');
END;
