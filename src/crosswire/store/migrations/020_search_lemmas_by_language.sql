-- The search index's lemmas are tagged with their article's language ('cs0put': the Czech stem
-- of 'Putin'; crosswire.store.search.lemma_form), so a query's stem meets only articles of the
-- language that made it, not the English verb 'put'. The index is filled again from the stored
-- articles on first search.
INSERT OR REPLACE INTO meta (key, value) SELECT 'article_search', 'stale' WHERE EXISTS (SELECT 1 FROM articles);
