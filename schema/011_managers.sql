-- Issue 18, the managers' governance reports and dashboard.
-- Every change of this issue's schema is here, one section per area, each
-- with its own header naming the area.

-- Reports (helper rep): indexes for the reports' reads of a period
-- (daemon/store/store_reports.c), so a 90-day report does not scan the
-- whole audit, alert list or register.
CREATE INDEX audit_by_action ON audit(action, at);
CREATE INDEX alerts_by_raised ON alerts(raised_at);
CREATE INDEX register_by_at ON register_entries(at);
