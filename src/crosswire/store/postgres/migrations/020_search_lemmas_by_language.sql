-- The search index's lemmas are tagged with their article's language, as SQLite's 020: marked
-- stale where it holds articles, it is filled again from the stored articles on first search.
INSERT INTO meta (key, value) SELECT 'article_search', 'stale' WHERE EXISTS (SELECT 1 FROM articles)
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
