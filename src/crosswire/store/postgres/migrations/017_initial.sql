-- The crosswire schema on PostgreSQL: the SQLite store's tables as of its migration 017, in one
-- step (a PostgreSQL store starts here; later changes get their own numbered files).
-- Ids, dates and keys are compared byte-wise (COLLATE "C"), as SQLite compares them, so every
-- ORDER BY gives the order the SQLite store gives, whatever the database's default collation.
-- JSON is kept as text (written once, read rarely): parsing it into jsonb on every insert would
-- cost the writer for nothing. seq columns give the order rows were (re)written, which SQLite's
-- INSERT OR REPLACE gives through the rowid.
CREATE TABLE meta (
    key TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta VALUES ('posting_seq', '0');

CREATE SEQUENCE row_seq;

-- body is zlib-compressed UTF-8, as in the SQLite store (crosswire.store.codec).
CREATE TABLE raw_documents (
    id TEXT COLLATE "C" PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    body BYTEA NOT NULL,
    hints TEXT NOT NULL,
    flags TEXT NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE articles (
    id TEXT COLLATE "C" PRIMARY KEY REFERENCES raw_documents(id),
    source TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    language TEXT COLLATE "C",
    published TEXT COLLATE "C",
    site TEXT COLLATE "C",
    author TEXT,
    url TEXT,
    removed TEXT NOT NULL,
    flags TEXT NOT NULL,
    cleaned_at TEXT NOT NULL,
    seq BIGINT NOT NULL DEFAULT nextval('row_seq')
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_seq ON articles(seq);

CREATE TABLE analyses (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id),
    data TEXT NOT NULL,
    terms BYTEA
);

-- Compact representations (crosswire.represent.compact) and the postings of their features, by
-- the number each article was filed under (seq): a candidate lookup reads a feature's latest.
CREATE TABLE compact_representations (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id),
    data BYTEA NOT NULL,
    seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE feature_postings (
    id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    article_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (id, seq)
);

CREATE TABLE feature_freq (
    id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL
);

-- Dense vectors, float32 bytes (the ANN index is a cache beside the store: docs/postgres.md).
CREATE TABLE vectors (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id),
    data BYTEA NOT NULL
);

CREATE TABLE site_docs (
    site TEXT COLLATE "C" PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE TABLE site_lines (
    site TEXT COLLATE "C" NOT NULL,
    line TEXT COLLATE "C" NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (site, line)
);

CREATE TABLE stories (
    id TEXT COLLATE "C" PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE events (
    id TEXT COLLATE "C" PRIMARY KEY,
    story_id TEXT COLLATE "C" NOT NULL REFERENCES stories(id),
    created_at TEXT NOT NULL
);
CREATE INDEX events_story ON events(story_id);

CREATE TABLE assignments (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id),
    event_id TEXT COLLATE "C" NOT NULL REFERENCES events(id),
    story_id TEXT COLLATE "C" NOT NULL REFERENCES stories(id),
    score DOUBLE PRECISION NOT NULL,
    assigned_at TEXT NOT NULL,
    seq BIGINT NOT NULL DEFAULT nextval('row_seq')
);
CREATE INDEX assignments_story ON assignments(story_id, seq);
CREATE INDEX assignments_event ON assignments(event_id);

CREATE TABLE rejections (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL,
    first_at TEXT NOT NULL,
    times INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, reason)
);

CREATE TABLE cluster_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    story_id TEXT COLLATE "C" NOT NULL,
    sources TEXT NOT NULL,
    article_id TEXT,
    cause TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX cluster_changes_story ON cluster_changes(story_id);

CREATE TABLE story_summaries (
    story_id TEXT COLLATE "C" PRIMARY KEY,
    title TEXT NOT NULL,
    articles INTEGER NOT NULL,
    events INTEGER NOT NULL,
    first_date TEXT COLLATE "C",
    last_date TEXT COLLATE "C",
    data TEXT NOT NULL,
    timeline TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX story_summaries_recent ON story_summaries(last_date DESC NULLS LAST, articles DESC, story_id);

CREATE TABLE story_facets (
    kind TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    story_id TEXT COLLATE "C" NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (kind, value, story_id)
);
CREATE INDEX story_facets_story ON story_facets(story_id);

CREATE TABLE story_summaries_due (
    story_id TEXT COLLATE "C" PRIMARY KEY
);

-- Full-text search: a tsvector crosswire builds itself from its own tokens and lemmas
-- (crosswire.store.postgres.search), weighted by column (A title, B names, C text, D lemmas),
-- so no text-search configuration of the server is involved. text: the start of the indexed
-- text, for snippets.
CREATE TABLE article_search (
    article_id TEXT COLLATE "C" PRIMARY KEY,
    text TEXT NOT NULL,
    document TSVECTOR NOT NULL
);
CREATE INDEX article_search_document ON article_search USING gin (document);

-- Live sources (crosswire.sources), as the SQLite store's migration 008.
CREATE TABLE sources (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    interval DOUBLE PRECISION,
    next_poll DOUBLE PRECISION NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_polled TEXT,
    added_at TEXT NOT NULL
);

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

CREATE TABLE pending_pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    body BYTEA NOT NULL,
    hints TEXT NOT NULL,
    flags TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    seq BIGINT NOT NULL DEFAULT nextval('row_seq')
)
