-- Issue 21, operations.  Every change of issue 21's schema is here, one
-- section per area, each with its own header.

-- Backups (issue 21, helper "backup").  One row per online backup taken or
-- attempted, on the schedule or on demand (services/backups.c): where it
-- went, its size, whether it was verified (integrity_check and the audit
-- chain on the copy) and the copy's audit head, or why it failed.  A
-- pruned backup keeps its row, with the time its file was deleted.
CREATE TABLE backups (
	id		TEXT PRIMARY KEY,
	started_at	INTEGER NOT NULL,
	finished_at	INTEGER NOT NULL,
	file		TEXT NOT NULL,
	bytes		INTEGER NOT NULL DEFAULT 0,
	verified	INTEGER NOT NULL CHECK (verified IN (0, 1)),
	audit_head	INTEGER,
	audit_at	INTEGER,
	audit_hash	TEXT,
	schema_version	INTEGER,
	error		TEXT,
	requested_by	TEXT REFERENCES staff(id),
	pruned_at	INTEGER,
	CHECK ((verified = 1) = (error IS NULL)),
	CHECK (verified = 0 OR audit_head IS NOT NULL)
) STRICT;
CREATE INDEX backups_verified ON backups (started_at) WHERE verified = 1;
