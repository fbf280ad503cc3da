"""The workbook: one SQLite file per school with inspections, answers, photos, the ledger and an audit log."""
