"""The district workspace schema as frozen, numbered steps: step N brings a version N-1 file to version N."""

from __future__ import annotations

# Never edit a released step: add a new one. Each step runs in one transaction (see migrations.py).

V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE schools (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    stage TEXT NOT NULL DEFAULT '',
    zone TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    school_code TEXT REFERENCES schools(code) ON UPDATE CASCADE,
    school_name TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    der BLOB NOT NULL,
    registered_at TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    revoked_at TEXT,
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_school ON certificates (school_code);
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    checklists TEXT NOT NULL DEFAULT '[]',
    deadline TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE received (
    id INTEGER PRIMARY KEY,
    file_sha256 TEXT NOT NULL,
    source_name TEXT NOT NULL,
    received_at TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'duplicate', 'superseded')),
    reasons TEXT NOT NULL DEFAULT '[]',
    failure_kinds TEXT NOT NULL DEFAULT '[]',
    school_code TEXT,
    school_name TEXT NOT NULL DEFAULT '',
    campaign_id INTEGER REFERENCES campaigns(id),
    report_id TEXT,
    signed_at TEXT,
    generated_at TEXT,
    signer_fingerprint TEXT,
    superseded_by INTEGER REFERENCES received(id),
    stored_file TEXT,
    data TEXT
);
CREATE INDEX received_hash ON received (file_sha256);
CREATE INDEX received_counting ON received (campaign_id, verdict, school_code);
CREATE INDEX received_school ON received (school_code, received_at);
CREATE TABLE report_areas (
    received_id INTEGER NOT NULL REFERENCES received(id),
    area TEXT NOT NULL,
    items INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    noncompliant INTEGER NOT NULL,
    score INTEGER NOT NULL,
    max_score INTEGER NOT NULL,
    PRIMARY KEY (received_id, area)
);
CREATE TABLE report_items (
    received_id INTEGER NOT NULL REFERENCES received(id),
    checklist_id TEXT NOT NULL,
    checklist_version TEXT NOT NULL,
    area TEXT NOT NULL,
    item_id TEXT NOT NULL,
    question TEXT NOT NULL,
    status TEXT NOT NULL,
    answer_value TEXT,
    answer_label TEXT NOT NULL,
    note TEXT NOT NULL,
    severity TEXT NOT NULL,
    score INTEGER NOT NULL,
    PRIMARY KEY (received_id, item_id)
);
CREATE INDEX report_items_item ON report_items (item_id, status);
CREATE TABLE report_problems (
    received_id INTEGER NOT NULL REFERENCES received(id),
    problem_id INTEGER NOT NULL,
    item_id TEXT,
    checklist_id TEXT,
    severity TEXT,
    source TEXT NOT NULL,
    description TEXT NOT NULL,
    measures TEXT NOT NULL,
    rect_type TEXT,
    person TEXT NOT NULL,
    department TEXT NOT NULL,
    deadline TEXT,
    completed_on TEXT,
    status TEXT NOT NULL,
    overdue INTEGER NOT NULL,
    overdue_days INTEGER NOT NULL,
    PRIMARY KEY (received_id, problem_id)
);
CREATE INDEX report_problems_status ON report_problems (status, deadline);
"""

# Version 2: each item row names its checklist by title (tables and exports show 校园餐突出问题专项自查表, not
# "meals"); rows received before it take the title from the stored report data.
V2 = """
ALTER TABLE report_items ADD COLUMN checklist_title TEXT NOT NULL DEFAULT '';
UPDATE report_items SET checklist_title = coalesce((
    SELECT json_extract(c.value, '$.title') FROM received r, json_each(r.data, '$.checklists') c
    WHERE r.id = report_items.received_id AND r.data IS NOT NULL AND json_valid(r.data)
      AND json_extract(c.value, '$.id') = report_items.checklist_id), '')
"""

STEPS: tuple[str, ...] = (V1, V2)
CURRENT_VERSION = len(STEPS)

# Tables that grow with every received report: left out of the check made at every open (see migrations).
GROWING_TABLES = frozenset({"received", "report_areas", "report_items", "report_problems"})
