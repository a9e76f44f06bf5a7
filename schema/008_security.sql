-- Issue 16, security.  Every change of issue 16's schema is here, one
-- section per area, each with its own header.

-- Two people for access (staff2).  A role grant of nurse, competent or
-- pharmacist, or a PIN reset of someone who holds one, waits in
-- staff_changes for a second admin or manager.  staff is rebuilt so that an
-- account may exist with no role in effect yet (a new `competent` account
-- whose grant waits): the CHECK was roles > 0.
CREATE TABLE staff_008 (
	id		TEXT PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE,
	display_name	TEXT NOT NULL,
	roles		INTEGER NOT NULL CHECK (roles >= 0 AND roles < 256),
	pin_hash	TEXT NOT NULL,
	active		INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	failed_pins	INTEGER NOT NULL DEFAULT 0,
	locked_until	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL
) STRICT;
INSERT INTO staff_008 (id, username, display_name, roles, pin_hash, active,
	failed_pins, locked_until, created_at)
	SELECT id, username, display_name, roles, pin_hash, active,
	    failed_pins, locked_until, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_008 RENAME TO staff;

-- state is what was decided; a pending change past expires_at has expired
-- (the rules say so, nothing rewrites the row).  A newer request of the
-- same kind for the same person supersedes the older.
CREATE TABLE staff_changes (
	id		TEXT PRIMARY KEY,
	staff_id	TEXT NOT NULL REFERENCES staff(id),
	kind		TEXT NOT NULL CHECK (kind IN ('grant', 'reset')),
	roles		INTEGER NOT NULL CHECK (roles >= 0 AND roles < 256),
	pin_hash	TEXT,
	requested_by	TEXT NOT NULL REFERENCES staff(id),
	requested_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL,
	state		TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
			    ('pending', 'approved', 'declined', 'superseded')),
	decided_by	TEXT REFERENCES staff(id),
	decided_at	INTEGER,
	CHECK ((kind = 'grant' AND roles > 0 AND pin_hash IS NULL) OR
	    (kind = 'reset' AND roles = 0 AND pin_hash IS NOT NULL)),
	CHECK ((state = 'pending') = (decided_at IS NULL))
) STRICT;
CREATE UNIQUE INDEX staff_changes_one_pending ON staff_changes (staff_id, kind)
	WHERE state = 'pending';
CREATE INDEX staff_changes_by_time ON staff_changes (requested_at);

-- Enrolled terminals and where PINs are tried from (term).  A terminal's
-- credential is "ID:SECRET"; only the SHA-256 of the secret is kept, as
-- for session tokens.  A session records the terminal it was opened on
-- (NULL: loopback without one, where the config allows it) and the source
-- address, and is good from that terminal only.
CREATE TABLE terminals (
	id		TEXT PRIMARY KEY,
	name		TEXT NOT NULL,
	location	TEXT NOT NULL,
	credential_hash	TEXT NOT NULL UNIQUE,
	enrolled_by	TEXT NOT NULL REFERENCES staff(id),
	enrolled_at	INTEGER NOT NULL,
	revoked_at	INTEGER,
	revoked_by	TEXT REFERENCES staff(id),
	CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
) STRICT;
ALTER TABLE sessions ADD COLUMN terminal_id TEXT REFERENCES terminals(id);
ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_by_terminal ON sessions(terminal_id);

-- Wrong PINs are counted per account and place (a place is
-- "terminal:ID", or "address:ADDR" where no terminal was presented), so
-- that guesses lock the guesser's place for that account, not the ward's
-- terminal; staff.locked_until remains the account's own lock, for
-- guesses spread over several places.  pin_places throttles a place
-- across every account (rules/auth_lock.c).
CREATE TABLE pin_failures (
	staff_id	TEXT NOT NULL REFERENCES staff(id),
	place		TEXT NOT NULL,
	failures	INTEGER NOT NULL DEFAULT 0,
	locked_until	INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (staff_id, place)
) STRICT;
CREATE TABLE pin_places (
	place		TEXT PRIMARY KEY,
	failures	INTEGER NOT NULL DEFAULT 0,
	last_failure	INTEGER NOT NULL DEFAULT 0,
	next_allowed	INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The audit trail against the file (audit).  audit_anchors keeps the
-- chain heads the daemon signed with audit.key (the latest is also in a
-- file beside the database, and in the journal); they are only ever
-- added.  audit_legacy_rows lists the clinical rows that existed before
-- audit entries recorded each row's digest, so verify does not take them
-- for rows written behind the daemon's back.
CREATE TABLE audit_anchors (
	seq		INTEGER NOT NULL CHECK (seq >= 0),
	hash		TEXT NOT NULL,
	at		INTEGER NOT NULL,
	signature	TEXT NOT NULL,
	PRIMARY KEY (seq, at)
) STRICT;
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors
BEGIN
	SELECT RAISE(ABORT, 'audit anchors are never changed');
END;
CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors
BEGIN
	SELECT RAISE(ABORT, 'audit anchors are never deleted');
END;
CREATE TABLE audit_legacy_rows (
	tbl		TEXT NOT NULL,
	id		TEXT NOT NULL,
	PRIMARY KEY (tbl, id)
) STRICT, WITHOUT ROWID;
INSERT INTO audit_legacy_rows (tbl, id)
	SELECT 'register_entries', id FROM register_entries;
INSERT INTO audit_legacy_rows (tbl, id) SELECT 'doses', id FROM doses;
INSERT INTO audit_legacy_rows (tbl, id)
	SELECT 'observations', id FROM observations;
-- Staff rows are recorded too (their id, username, roles, active and
-- pin_hash), so a role or PIN hash edited in the file is found.
INSERT INTO audit_legacy_rows (tbl, id) SELECT 'staff', id FROM staff;
