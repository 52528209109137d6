-- Representations, document frequencies and postings by hashed feature id (crosswire.represent.compact):
-- a representation is 10 bytes a feature instead of ~20 of JSON, and scores without decoding.
-- crosswire_key_id and crosswire_compact_blob are SQL functions the store registers.
CREATE TABLE feature_freq (
    id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL
);
INSERT INTO feature_freq (id, n) SELECT crosswire_key_id(key), sum(n) FROM doc_freq GROUP BY 1;
DROP TABLE doc_freq;

CREATE TABLE feature_postings (
    id INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (id, article_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO feature_postings (id, article_id) SELECT crosswire_key_id(key), article_id FROM postings;
DROP TABLE postings;
CREATE INDEX feature_postings_article ON feature_postings(article_id);

CREATE TABLE compact_representations (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data BLOB NOT NULL
);
INSERT INTO compact_representations (article_id, data)
SELECT article_id, crosswire_compact_blob(data) FROM representations;
DROP TABLE representations;
