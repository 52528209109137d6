-- Each column of the search index holds at most its first 200,000 characters
-- (crosswire.store.search.INDEX_CHARS): ranking a row costs FTS5 time in proportion to its
-- matches, and one stored 5-million-character text made every search that matched it take
-- 30-43 s. Only the rows longer than that are rewritten (one pass over the index's stored text);
-- the articles keep their stored text until `crosswire reclean` cuts it as cleaning now does.
UPDATE article_search SET
    title = substr(title, 1, 200000),
    text = substr(text, 1, 200000),
    lemmas = substr(lemmas, 1, 200000)
WHERE length(title) > 200000 OR length(text) > 200000 OR length(lemmas) > 200000;
