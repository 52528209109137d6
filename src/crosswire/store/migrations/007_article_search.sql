-- Full-text search over each article's title, clean text and lemmas (the analysis terms), so an
-- inflected Ukrainian or Russian word finds its other forms. The rowid is derived from the article
-- id (crosswire.store.search.search_rowid): stable across re-cleaning, so an article's row is
-- replaced in place. article_id is stored, not indexed.
CREATE VIRTUAL TABLE article_search USING fts5(
    article_id UNINDEXED,
    title,
    text,
    lemmas,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- rank: bm25 with a title match worth more than one in the body (article_id is not searched).
INSERT INTO article_search (article_search, rank) VALUES ('rank', 'bm25(0.0, 4.0, 1.0, 1.0)');

-- A store that already holds articles gets them indexed on first search (or when served).
INSERT OR REPLACE INTO meta (key, value) SELECT 'article_search', 'stale' WHERE EXISTS (SELECT 1 FROM articles);
