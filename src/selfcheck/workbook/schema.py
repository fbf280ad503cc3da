"""The workbook schema as frozen, numbered steps: step N brings a version N-1 file to version N (PRAGMA user_version)."""

from __future__ import annotations

# Never edit a released step: add a new one. Each step runs in one transaction.

V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE school (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    principal TEXT NOT NULL DEFAULT '',
    preparer TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    team TEXT NOT NULL DEFAULT '[]',
    checklist_ids TEXT NOT NULL,
    not_applicable TEXT NOT NULL DEFAULT '{}',
    carried_over_from INTEGER REFERENCES inspections(id),
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE checklist_snapshots (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    checklist_id TEXT NOT NULL,
    version TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (inspection_id, checklist_id)
);
CREATE TABLE answers (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_id TEXT NOT NULL,
    value TEXT,
    note TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, item_id)
);
CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_id TEXT,
    checklist_id TEXT,
    severity TEXT,
    source TEXT NOT NULL,
    origin_problem_id INTEGER REFERENCES problems(id),
    description TEXT NOT NULL,
    description_auto INTEGER NOT NULL DEFAULT 0,
    measures TEXT NOT NULL DEFAULT '',
    rect_type TEXT,
    leader TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    person TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    progress TEXT NOT NULL DEFAULT '',
    done_description TEXT NOT NULL DEFAULT '',
    completed_on TEXT,
    verified_by TEXT NOT NULL DEFAULT '',
    verified_on TEXT,
    verification_note TEXT NOT NULL DEFAULT '',
    closed_by TEXT NOT NULL DEFAULT '',
    closed_on TEXT,
    status TEXT NOT NULL,
    reopen_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX problems_inspection ON problems (inspection_id, status);
CREATE UNIQUE INDEX problems_item_self_check ON problems (inspection_id, item_id)
    WHERE item_id IS NOT NULL AND source = '自查';
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id),
    round INTEGER NOT NULL,
    date TEXT NOT NULL,
    by_name TEXT NOT NULL,
    finding TEXT NOT NULL,
    result TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (problem_id, round)
);
CREATE TABLE photos (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_id TEXT,
    problem_id INTEGER REFERENCES problems(id),
    kind TEXT NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    original_name TEXT NOT NULL,
    original_sha256 TEXT NOT NULL,
    original_size INTEGER NOT NULL,
    original_format TEXT NOT NULL,
    image_sha256 TEXT NOT NULL,
    image_size INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    thumb_sha256 TEXT NOT NULL,
    thumb_width INTEGER NOT NULL,
    thumb_height INTEGER NOT NULL,
    captured_at TEXT,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    removed_at TEXT,
    removed_by TEXT
);
CREATE INDEX photos_item ON photos (inspection_id, item_id);
CREATE INDEX photos_problem ON photos (problem_id);
CREATE TABLE photo_blobs (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id),
    image BLOB NOT NULL,
    thumb BLOB NOT NULL
);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_target ON audit_log (target);
"""

# Version 2 keeps thumbnails and full images in separate tables: reading a thumbnail (or scanning metadata) must
# not walk the overflow pages of a 1 MB image stored before it in the same row.
V2 = """
CREATE TABLE photo_images (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id),
    data BLOB NOT NULL
);
CREATE TABLE photo_thumbs (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id),
    data BLOB NOT NULL
);
INSERT INTO photo_images (photo_id, data) SELECT photo_id, image FROM photo_blobs;
INSERT INTO photo_thumbs (photo_id, data) SELECT photo_id, thumb FROM photo_blobs;
DROP TABLE photo_blobs;
"""

# Version 3 keeps a change stamp: a random value that every row written to any table replaces, in the same
# transaction (triggers, so no way of writing can miss it, not even a database tool). Two states of a workbook with
# the same stamp are the same state; the start-up snapshot of the home page (workbook/glance.py) is keyed on it.
_STAMPED_TABLES = ("meta", "school", "inspections", "checklist_snapshots", "answers", "problems", "follow_ups",
                   "photos", "photo_images", "photo_thumbs", "audit_log")
V3 = """
CREATE TABLE changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stamp BLOB NOT NULL
);
INSERT INTO changes (id, stamp) VALUES (1, randomblob(16));
""" + "".join(
    f"CREATE TRIGGER {table}_{event.lower()}_stamp AFTER {event} ON {table} "
    "BEGIN UPDATE changes SET stamp = randomblob(16) WHERE id = 1; END;\n"
    for table in _STAMPED_TABLES for event in ("INSERT", "UPDATE", "DELETE"))

STEPS: tuple[str, ...] = (V1, V2, V3)
CURRENT_VERSION = len(STEPS)

# PRAGMA application_id marks a file as a SelfCheck workbook ("SCWB").
APPLICATION_ID = 0x53435742

# Tables that grow with every photo and every change: left out of the table-by-table check made at every open (so
# opening stays as fast with 2,000 photos as with none) and checked in full by verify_audit and backup.
GROWING_TABLES = frozenset({"photo_images", "photo_thumbs", "photo_blobs", "photos", "audit_log"})
