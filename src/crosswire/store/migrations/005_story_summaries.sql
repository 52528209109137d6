-- Each story's summary, refreshed by the writer in the transaction that changes the story, so
-- listing stories reads one row per story instead of every article of every story.
-- data: JSON of titles per language, languages, sites, top entities and places.
-- timeline: JSON of the events in date order (without their article ids).
CREATE TABLE story_summaries (
    story_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    articles INTEGER NOT NULL,
    events INTEGER NOT NULL,
    first_date TEXT,
    last_date TEXT,
    data TEXT NOT NULL,
    timeline TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The listing order: most recently active first (undated last), then the biggest.
CREATE INDEX story_summaries_recent ON story_summaries(last_date DESC, articles DESC, story_id);

-- Languages and sites of each story with their article counts, for filtered listings.
CREATE TABLE story_facets (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    story_id TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (kind, value, story_id)
) WITHOUT ROWID;
CREATE INDEX story_facets_story ON story_facets(story_id);

-- A store that already holds stories gets their summaries built on first read.
INSERT OR REPLACE INTO meta (key, value) SELECT 'story_summaries', 'stale' WHERE EXISTS (SELECT 1 FROM assignments);
