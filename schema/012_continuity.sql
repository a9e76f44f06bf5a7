-- Issue 19, continuity of care beyond the unit (transfer documents, release follow-up, returns).
-- Every change of this issue's schema is here, one section per area, each
-- with its own header naming the area.

-- Import at reception (helper fin): each signed transfer document imported,
-- and the sending prison's prescriptions that wait for a prescriber here.
-- One row per document imported: who sent it (the trusted establishment
-- whose key verified it), the document's own id, the SHA-256 of its
-- canonical JSON, when and by whom; the reports count these.
CREATE TABLE transfer_imports (
	id		TEXT PRIMARY KEY,
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	sender		TEXT NOT NULL,
	document_id	TEXT NOT NULL,
	document_hash	TEXT NOT NULL CHECK (length(document_hash) = 64),
	imported_at	INTEGER NOT NULL,
	imported_by	TEXT NOT NULL REFERENCES staff(id)
) STRICT;
CREATE INDEX transfer_imports_by_time ON transfer_imports(imported_at);

-- A prescription in force at the sending prison, to be confirmed by a
-- prescriber here: never on a round (it is not in prescriptions) until a
-- confirmation writes it there, through the checks a new one passes.
-- request is the MedicationRequest as the signed document carried it;
-- product_id the product here it was matched to.
CREATE TABLE prescriptions_to_confirm (
	id		TEXT PRIMARY KEY,
	import_id	TEXT NOT NULL REFERENCES transfer_imports(id),
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	product_id	TEXT NOT NULL REFERENCES products(id),
	request		TEXT NOT NULL,
	confirmed_at	INTEGER,
	confirmed_by	TEXT REFERENCES staff(id),
	prescription_id	TEXT REFERENCES prescriptions(id),
	CHECK ((confirmed_at IS NULL) = (prescription_id IS NULL))
) STRICT;
CREATE INDEX prescriptions_to_confirm_by_patient
	ON prescriptions_to_confirm(patient_id);

-- Release follow-up (helper cont): a release booked with a follow_up
-- starts, when it departs, a 21-day clock for the community appointment
-- (follow_up.c).  due_at is the end of the 21st local day after the
-- release day; alert_fired once the overdue alert was raised; the outcome
-- (attended 0/1, on a local day YYYY-MM-DD, met 0/1) once recorded.
CREATE TABLE release_follow_ups (
	movement_id	TEXT PRIMARY KEY REFERENCES movements(id),
	patient_id	TEXT NOT NULL REFERENCES patients(id),
	released_at	INTEGER NOT NULL,
	due_at		INTEGER NOT NULL CHECK (due_at > released_at),
	alert_fired	INTEGER NOT NULL DEFAULT 0 CHECK (alert_fired IN (0, 1)),
	attended	INTEGER CHECK (attended IN (0, 1)),
	attended_on	TEXT,
	met		INTEGER CHECK (met IN (0, 1)),
	note		TEXT,
	recorded_at	INTEGER,
	recorded_by	TEXT REFERENCES staff(id),
	CHECK ((attended IS NULL) = (recorded_at IS NULL)),
	CHECK ((attended IS NULL) = (met IS NULL)),
	CHECK ((attended IS NULL) = (attended_on IS NULL))
) STRICT;
CREATE INDEX release_follow_ups_by_due ON release_follow_ups(due_at)
	WHERE attended IS NULL AND alert_fired = 0;
