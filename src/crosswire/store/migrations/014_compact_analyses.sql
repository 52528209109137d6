-- An analysis's lemmas (most of its size) are kept zlib-compressed beside the rest of its JSON, which
-- story summaries still read with SQL's JSON functions. Postings are deleted by (feature, article),
-- the key they are stored under, so the second index over them goes.
ALTER TABLE analyses ADD COLUMN terms BLOB;
UPDATE analyses SET terms = crosswire_pack_terms(data ->> '$.terms'), data = json_remove(data, '$.terms');
DROP INDEX feature_postings_article;
