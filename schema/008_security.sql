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
