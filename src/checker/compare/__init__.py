"""Reports compared with other reports: a draft with its resubmission (``drafts``), a unit's report
with last year's (plan items followed up, shortcomings repeated, facts that moved), and reports
that copy each other. Imports downwards only (document, records, fingerprint), never the CLI."""
