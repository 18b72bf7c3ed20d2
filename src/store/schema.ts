// The store's schema as numbered migrations: migration i brings a database from user_version i to i + 1. Never edit
// a released migration; add the next one. The README's schema section is this file, explained.

/** PRAGMA application_id of an audit store ('AUDT'): a SQLite file without it is someone else's. */
export const APPLICATION_ID = 0x41554454;

export const MIGRATIONS: readonly string[] = [
  // 1: cursors (where each file was read to), events, alerts.
  `
  CREATE TABLE cursors (
    id          INTEGER PRIMARY KEY,
    path        TEXT    NOT NULL,  -- absolute path where the file was last seen
    dev         TEXT    NOT NULL,  -- st_dev and st_ino, as decimal text (64-bit)
    ino         TEXT    NOT NULL,
    size        INTEGER NOT NULL,  -- bytes on disk when last read
    offset      INTEGER NOT NULL,  -- bytes read and committed (decompressed bytes for gzip)
    lines       INTEGER NOT NULL,  -- lines before offset: the next line is number lines + 1
    fingerprint TEXT    NOT NULL,  -- sha256 of the first fp_len bytes: the first line, at most 1024 bytes
    fp_len      INTEGER NOT NULL,
    whole       INTEGER NOT NULL,  -- 1: gzip or UTF-16, read from the start; offset counts decoded bytes
    retired     INTEGER NOT NULL DEFAULT 0, -- 1: its path now holds other content (kept to recognise copies)
    format      TEXT,              -- the format detected on the last read
    events      INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 0, -- bumped by every commit: a concurrent writer is detected, not merged
    updated     TEXT    NOT NULL,  -- ISO 8601 UTC of the last commit
    UNIQUE (dev, ino, fingerprint)
  );
  CREATE INDEX cursors_fingerprint ON cursors (fingerprint);
  CREATE INDEX cursors_path ON cursors (path);

  CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    type        TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    time        TEXT,              -- ISO 8601 UTC from the log line; NULL when the line has none
    ip          TEXT,
    port        INTEGER,
    user        TEXT,
    host        TEXT,
    program     TEXT,
    pid         INTEGER,
    phone       TEXT,              -- as written in the log
    phone_digits TEXT,             -- its digits only, for lookups by number
    rule        TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    file        TEXT    NOT NULL,  -- absolute path as read ('(stdin)' for standard input)
    line        INTEGER NOT NULL,
    sigma       TEXT,              -- JSON of the Sigma rule for sigma.match events
    raw         TEXT,              -- the whole line, only with scan --store-lines
    stored      TEXT    NOT NULL,  -- ISO 8601 UTC of the scan that stored it
    cursor_id   INTEGER REFERENCES cursors (id) ON DELETE SET NULL
  );
  CREATE INDEX events_time ON events (time);
  CREATE INDEX events_type ON events (type, time);
  CREATE INDEX events_ip ON events (ip);
  CREATE INDEX events_user ON events (user);
  CREATE INDEX events_phone ON events (phone_digits);
  CREATE INDEX events_stored ON events (stored);

  CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    detector    TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    count       INTEGER NOT NULL,
    first       TEXT,
    last        TEXT,
    evidence    TEXT    NOT NULL,  -- JSON array of {file, line, message}
    stored      TEXT    NOT NULL
  );
  CREATE INDEX alerts_last ON alerts (last);
  CREATE INDEX alerts_key ON alerts (key);
  `,
  // 2: files: lines read per file to date and how they were accounted for (the sources table of audit report); rows
  //    for files read before it carry their lines from the cursors, without the breakdown (parsed etc. 0).
  //    Cheaper inserts (storing must not slow a scan by more than 2x): events_stored goes, as nothing searches by it
  //    (report and prune filter on coalesce(time, stored)); the phone, address and user indexes leave out events
  //    without one (most events have no phone). A lookup by value (=, IN, <, >) still uses them.
  `
  CREATE TABLE files (
    file        TEXT    PRIMARY KEY, -- as in events.file: absolute path as read ('(stdin)' for standard input)
    lines       INTEGER NOT NULL DEFAULT 0,
    parsed      INTEGER NOT NULL DEFAULT 0,
    unparsed    INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    truncated   INTEGER NOT NULL DEFAULT 0,
    format      TEXT,              -- the format detected on the last read
    updated     TEXT    NOT NULL   -- ISO 8601 UTC of the last commit that added lines
  );
  INSERT INTO files (file, lines, format, updated) SELECT path, sum(lines), max(format), max(updated) FROM cursors GROUP BY path;
  DROP INDEX events_stored;
  DROP INDEX events_phone;
  DROP INDEX events_ip;
  DROP INDEX events_user;
  CREATE INDEX events_phone ON events (phone_digits) WHERE phone_digits IS NOT NULL;
  CREATE INDEX events_ip ON events (ip) WHERE ip IS NOT NULL;
  CREATE INDEX events_user ON events (user) WHERE user IS NOT NULL;
  `,
  // 3: not_found: the requests answered 404 that web_scan counted, so that a scan spanning two runs adds up as one
  //    of events does (warm.ts replays them). They are not events: `audit report` does not count them.
  `
  CREATE TABLE not_found (
    id          INTEGER PRIMARY KEY,
    time        TEXT    NOT NULL,  -- ISO 8601 UTC: the line's, or for a line without one the last its file gave
    ip          TEXT    NOT NULL,  -- the client address
    file        TEXT    NOT NULL,  -- as in events.file
    line        INTEGER NOT NULL,
    message     TEXT    NOT NULL,  -- the record's message: the request line and the status
    stored      TEXT    NOT NULL
  );
  CREATE INDEX not_found_time ON not_found (time);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
