-- Staff, sessions, patients, the audit chain and idempotency records.
-- Instants are INTEGER milliseconds since the epoch, UTC.

CREATE TABLE staff (
	id		TEXT PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE,
	display_name	TEXT NOT NULL,
	roles		INTEGER NOT NULL CHECK (roles > 0 AND roles < 256),
	pin_hash	TEXT NOT NULL,
	active		INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	failed_pins	INTEGER NOT NULL DEFAULT 0,
	locked_until	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL
) STRICT;

-- Only the SHA-256 of a bearer token is kept.
CREATE TABLE sessions (
	token_hash	TEXT PRIMARY KEY,
	staff_id	TEXT NOT NULL REFERENCES staff(id),
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_staff ON sessions(staff_id);

CREATE TABLE patients (
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
			CHECK (status IN ('in_custody', 'released', 'transferred')),
	created_by	TEXT NOT NULL REFERENCES staff(id),
	created_at	INTEGER NOT NULL
) STRICT;
-- A person is in custody here at most once at a time.
CREATE UNIQUE INDEX patients_in_custody ON patients(prison_number)
	WHERE status = 'in_custody';

-- What reception was told of treatment in the community; dose in
-- thousandths of unit.
CREATE TABLE community_treatments (
	patient_id	TEXT PRIMARY KEY REFERENCES patients(id),
	drug		TEXT NOT NULL,
	dose		INTEGER NOT NULL CHECK (dose >= 0),
	unit		TEXT NOT NULL,
	prescriber	TEXT NOT NULL,
	last_dose_at	INTEGER
) STRICT;

-- The hash-chained audit log: append only.
CREATE TABLE audit (
	seq		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	actor_id	TEXT NOT NULL,
	action		TEXT NOT NULL,
	record_type	TEXT NOT NULL,
	record_id	TEXT NOT NULL,
	detail		TEXT NOT NULL,
	prev_hash	TEXT NOT NULL,
	hash		TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit entries are never changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit entries are never deleted');
END;

-- The first answer to each Idempotency-Key, replayed to retries.
CREATE TABLE idempotency (
	key		TEXT PRIMARY KEY,
	fingerprint	TEXT NOT NULL,
	status		INTEGER NOT NULL,
	body		TEXT NOT NULL,
	created_at	INTEGER NOT NULL
) STRICT;
CREATE INDEX idempotency_by_age ON idempotency(created_at);

-- Small settings the daemon keeps across restarts.
CREATE TABLE meta (
	name		TEXT PRIMARY KEY,
	value		INTEGER NOT NULL
) STRICT;
