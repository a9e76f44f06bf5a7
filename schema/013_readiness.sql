-- Issue 20, the IDTS readiness toolkit and controlled-drug cover.
-- Every change of this issue's schema is here, one section per area, each
-- with its own header naming the area.

-- The IDTS lead's role (coordinator).  idts_lead is role bit 1 << 8
-- (daemon/rules/roles.h), so staff is rebuilt: its CHECK stopped at 255.
CREATE TABLE staff_013 (
	id		TEXT PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE,
	display_name	TEXT NOT NULL,
	roles		INTEGER NOT NULL CHECK (roles >= 0 AND roles < 512),
	pin_hash	TEXT NOT NULL,
	active		INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	failed_pins	INTEGER NOT NULL DEFAULT 0,
	locked_until	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL
) STRICT;
INSERT INTO staff_013 (id, username, display_name, roles, pin_hash, active,
	failed_pins, locked_until, created_at)
	SELECT id, username, display_name, roles, pin_hash, active,
	    failed_pins, locked_until, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_013 RENAME TO staff;
