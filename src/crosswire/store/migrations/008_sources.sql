-- Live sources (crosswire.sources): feeds crosswire polls, every page URL it fetched or saw in a
-- feed, and pages fetched but not yet ingested. Times are ISO 8601 UTC except next_poll, a Unix
-- time the scheduler compares against the clock.
CREATE TABLE sources (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    interval REAL,
    next_poll REAL NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_polled TEXT,
    added_at TEXT NOT NULL
);

-- status: 'pending' (body kept in pending_pages), 'stored' (ingested: an article or a rejection),
-- 'rejected' (could not be fetched for good), 'failed' (a passing failure: tried again up to a bound).
CREATE TABLE fetched (
    url TEXT PRIMARY KEY,
    feed TEXT,
    status TEXT NOT NULL,
    article_id TEXT,
    etag TEXT,
    last_modified TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX fetched_article ON fetched(article_id);

-- A fetched page is written here, with its fetched row, in one transaction before it is handed
-- to ingest, and deleted once ingested: a crash in between loses nothing, and ingest skips
-- what was already stored (content-hash ids). body is zlib-compressed UTF-8, as in raw_documents.
CREATE TABLE pending_pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    body BLOB NOT NULL,
    hints TEXT NOT NULL,
    flags TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
