-- Merges and splits of stories, so a user can follow where a story id went.
-- kind: 'merge' (stories in ``sources`` joined ``story_id``) or 'split' (``story_id`` was divided
-- into ``sources``); cause: 'ingest' (an article linked them) or 'recluster'.
CREATE TABLE cluster_changes (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    story_id TEXT NOT NULL,
    sources TEXT NOT NULL,
    article_id TEXT,
    cause TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX cluster_changes_story ON cluster_changes(story_id);
