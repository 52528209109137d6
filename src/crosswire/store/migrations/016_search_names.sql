-- The search index gains the article's cross-script name keys (crosswire.analyze.keys.name_key:
-- 'Зеленский', 'Зеленський' and 'Zelensky' all key 'slnsk'), so a name finds its spellings in other
-- languages and scripts, and a title match now counts ten times a body match. FTS5 tables take no
-- new column: the index is made again, and filled from the stored articles on first search.
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5(
    article_id UNINDEXED,
    title,
    text,
    lemmas,
    names,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO article_search (article_search, rank) VALUES ('rank', 'bm25(0.0, 10.0, 1.0, 1.0, 2.0)');
INSERT OR REPLACE INTO meta (key, value) SELECT 'article_search', 'stale' WHERE EXISTS (SELECT 1 FROM articles);
