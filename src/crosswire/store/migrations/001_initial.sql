-- Raw inputs, kept so cleaning can be re-run and audited. body is zlib-compressed UTF-8.
CREATE TABLE raw_documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    body BLOB NOT NULL,
    hints TEXT NOT NULL,
    flags TEXT NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY REFERENCES raw_documents(id),
    source TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    language TEXT,
    published TEXT,
    site TEXT,
    author TEXT,
    url TEXT,
    removed TEXT NOT NULL,
    flags TEXT NOT NULL,
    cleaned_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data TEXT NOT NULL
);

CREATE TABLE representations (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data TEXT NOT NULL
);

-- Inverted index over the language-independent keys, for candidate retrieval.
CREATE TABLE postings (
    key TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

-- Document frequencies of representation keys, updated as articles arrive.
CREATE TABLE doc_freq (
    key TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL REFERENCES stories(id),
    created_at TEXT NOT NULL
);
CREATE INDEX events_story ON events(story_id);

CREATE TABLE assignments (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    event_id TEXT NOT NULL REFERENCES events(id),
    story_id TEXT NOT NULL REFERENCES stories(id),
    score REAL NOT NULL,
    assigned_at TEXT NOT NULL
);
CREATE INDEX assignments_story ON assignments(story_id);
CREATE INDEX assignments_event ON assignments(event_id);

-- Inputs that could not become articles, with their reasons: nothing is dropped silently.
CREATE TABLE rejections (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
