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

-- The readiness register and the duty rota (helper ready).  The 35
-- sections themselves ship in the daemon (daemon/rules/readiness.c); a
-- section has a row here once someone records its status, and every
-- change is also a row of readiness_history.
CREATE TABLE readiness_sections (
	number		INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 35),
	status		TEXT NOT NULL CHECK (status IN ('red', 'amber', 'green')),
	evidence	TEXT NOT NULL,
	owner_id	TEXT REFERENCES staff(id),
	target_date	TEXT,			-- YYYY-MM-DD, or NULL
	updated_at	INTEGER NOT NULL,
	updated_by	TEXT NOT NULL REFERENCES staff(id)
) STRICT;
CREATE TABLE readiness_history (
	seq		INTEGER PRIMARY KEY,
	number		INTEGER NOT NULL CHECK (number BETWEEN 1 AND 35),
	status		TEXT NOT NULL CHECK (status IN ('red', 'amber', 'green')),
	evidence	TEXT NOT NULL,
	owner_id	TEXT REFERENCES staff(id),
	target_date	TEXT,
	changed_at	INTEGER NOT NULL,
	changed_by	TEXT NOT NULL REFERENCES staff(id)
) STRICT;
CREATE INDEX readiness_history_by_number ON readiness_history(number, seq);

-- The duty rota: a date's shifts (replaced whole by PUT /v1/rota/{date}),
-- each an interval of instants (a night shift ends the next day) with its
-- staff.
CREATE TABLE rota_shifts (
	id		TEXT PRIMARY KEY,
	rota_date	TEXT NOT NULL,		-- YYYY-MM-DD, local
	position	INTEGER NOT NULL,
	name		TEXT NOT NULL,
	starts_at	INTEGER NOT NULL,
	ends_at		INTEGER NOT NULL CHECK (ends_at > starts_at),
	UNIQUE (rota_date, position)
) STRICT;
CREATE INDEX rota_shifts_by_time ON rota_shifts(starts_at, ends_at);
CREATE TABLE rota_staff (
	shift_id	TEXT NOT NULL REFERENCES rota_shifts(id) ON DELETE CASCADE,
	staff_id	TEXT NOT NULL REFERENCES staff(id),
	PRIMARY KEY (shift_id, staff_id)
) STRICT;

-- The local dates whose gap in controlled-drug cover the managers were
-- alerted to: each date once, however often the daemon restarts.
CREATE TABLE cover_alerts (
	rota_date	TEXT PRIMARY KEY,
	alert_id	TEXT NOT NULL,
	raised_at	INTEGER NOT NULL
) STRICT;
