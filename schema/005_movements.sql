-- Movements: court escorts, releases and transfers (docs/design.md rule 3),
-- the doses each one moved or created for the morning of departure, and
-- the end of a clock by release or transfer.

CREATE TABLE movements (
	id		TEXT PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	kind		TEXT NOT NULL
			CHECK (kind IN ('court', 'release', 'transfer')),
	departs_at	INTEGER NOT NULL,	-- as booked
	destination	TEXT NOT NULL,
	follow_up	TEXT,			-- release: community follow-up
	state		TEXT NOT NULL DEFAULT 'planned'
			CHECK (state IN ('planned', 'departed', 'returned',
			    'cancelled', 'ended')),
	-- The ward is told at departs_at - lead if a morning dose is not
	-- given; NULL once told (or with nothing to tell).
	lead_alert_at	INTEGER,
	created_by	TEXT NOT NULL REFERENCES staff(id),
	created_at	INTEGER NOT NULL,
	departed_at	INTEGER,
	departed_by	TEXT REFERENCES staff(id),
	returned_at	INTEGER,
	returned_by	TEXT REFERENCES staff(id),
	cancelled_at	INTEGER,
	cancelled_by	TEXT REFERENCES staff(id),
	cancel_reason	TEXT,
	CHECK (state <> 'departed' OR departed_at IS NOT NULL),
	CHECK (state <> 'returned' OR (kind = 'court' AND
	    returned_at >= departed_at)),
	CHECK (state <> 'cancelled' OR departed_at IS NULL)
) STRICT;
-- One movement at a time: at most one planned or departed per patient,
-- but a release or transfer may be booked while away at court (released
-- from court), so the rule is per kind of trip.
CREATE UNIQUE INDEX movements_open ON movements(patient_id,
	kind = 'court') WHERE state IN ('planned', 'departed');
CREATE INDEX movements_by_departure ON movements(departs_at);
CREATE INDEX movements_by_patient ON movements(patient_id, departed_at);
CREATE INDEX movements_lead_alerts ON movements(lead_alert_at)
	WHERE state = 'planned' AND lead_alert_at IS NOT NULL;

-- The morning doses a movement prepared: moved earlier (original_due_at
-- is where it was, moved_to where the movement put it), kept, or laid out
-- for it.  Cancelling the movement puts back an open one still where it
-- put it.
CREATE TABLE movement_doses (
	movement_id	TEXT NOT NULL REFERENCES movements(id),
	dose_id		TEXT NOT NULL REFERENCES doses(id) ON DELETE CASCADE,
	original_due_at	INTEGER NOT NULL,
	moved_to	INTEGER NOT NULL,
	created		INTEGER NOT NULL CHECK (created IN (0, 1)),
	PRIMARY KEY (movement_id, dose_id)
) STRICT;
CREATE INDEX movement_doses_by_dose ON movement_doses(dose_id);

-- A clock of a patient released or transferred before it was met ends
-- there: it neither warns nor breaches after.
ALTER TABLE care_clocks ADD COLUMN ended_at INTEGER;
