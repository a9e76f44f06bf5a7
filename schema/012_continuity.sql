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
