-- The desk's store at schema version 1 (fazhi-lint serve, issue 23's first schema), as SQLite DDL.
-- tests/test_serve_store.py builds an old database from it and checks that opening it upgrades it.

CREATE TABLE desk_meta (
  "key" TEXT NOT NULL, 
  value TEXT, 
  PRIMARY KEY ("key")
);
CREATE TABLE runs (
  id INTEGER NOT NULL, 
  started_at TEXT NOT NULL, 
  finished_at TEXT, 
  source TEXT NOT NULL, 
  inbox TEXT, 
  year INTEGER, 
  packs TEXT, 
  tool_version TEXT, 
  status TEXT, 
  reports INTEGER, 
  problems TEXT, 
  PRIMARY KEY (id)
);
CREATE TABLE units (
  id INTEGER NOT NULL, 
  "key" TEXT NOT NULL, 
  name TEXT NOT NULL, 
  created_at TEXT, 
  PRIMARY KEY (id), 
  UNIQUE ("key")
);
CREATE TABLE files (
  hash TEXT NOT NULL, 
  size INTEGER NOT NULL, 
  data BLOB NOT NULL, 
  PRIMARY KEY (hash)
);
CREATE TABLE filings (
  id INTEGER NOT NULL, 
  unit_id INTEGER NOT NULL, 
  year INTEGER NOT NULL, 
  status TEXT DEFAULT 'pending' NOT NULL, 
  created_at TEXT, 
  PRIMARY KEY (id), 
  FOREIGN KEY(unit_id) REFERENCES units (id)
);
CREATE INDEX ix_filings_unit ON filings (unit_id, year);
CREATE TABLE reports (
  id INTEGER NOT NULL, 
  filing_id INTEGER NOT NULL, 
  run_id INTEGER NOT NULL, 
  version INTEGER NOT NULL, 
  file_name TEXT NOT NULL, 
  content_hash TEXT NOT NULL, 
  signature TEXT, 
  text TEXT, 
  meta TEXT, 
  elements TEXT, 
  outcomes TEXT, 
  score FLOAT, 
  subscores TEXT, 
  error TEXT, 
  errors INTEGER, 
  warnings INTEGER, 
  infos INTEGER, 
  reviewed_score FLOAT, 
  reviewed_elements TEXT, 
  reviewed_counts TEXT, 
  created_at TEXT, 
  PRIMARY KEY (id), 
  CONSTRAINT uq_reports_version UNIQUE (filing_id, version), 
  FOREIGN KEY(filing_id) REFERENCES filings (id), 
  FOREIGN KEY(run_id) REFERENCES runs (id), 
  FOREIGN KEY(content_hash) REFERENCES files (hash)
);
CREATE INDEX ix_reports_hash ON reports (content_hash);
CREATE TABLE decisions (
  id INTEGER NOT NULL, 
  filing_id INTEGER NOT NULL, 
  fingerprint TEXT NOT NULL, 
  decision TEXT, 
  reason TEXT, 
  reviewer TEXT, 
  decided_at TEXT, 
  carried_from TEXT, 
  PRIMARY KEY (id), 
  CONSTRAINT uq_decisions_finding UNIQUE (filing_id, fingerprint), 
  FOREIGN KEY(filing_id) REFERENCES filings (id)
);
CREATE TABLE findings (
  id INTEGER NOT NULL, 
  report_id INTEGER NOT NULL, 
  position INTEGER NOT NULL, 
  fingerprint TEXT NOT NULL, 
  rule TEXT NOT NULL, 
  severity TEXT NOT NULL, 
  message TEXT, 
  hint TEXT, 
  basis TEXT, 
  line INTEGER, 
  col INTEGER, 
  end_line INTEGER, 
  end_col INTEGER, 
  excerpt TEXT, 
  location TEXT, 
  context TEXT, 
  PRIMARY KEY (id), 
  FOREIGN KEY(report_id) REFERENCES reports (id)
);
CREATE INDEX ix_findings_report ON findings (report_id);
