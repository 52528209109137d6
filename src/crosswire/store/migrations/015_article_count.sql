-- The number of articles, kept as a document-frequency pseudo-key ('#docs') the writer reads with
-- the others, as the per-language counts are (migration 010): counting the articles table is a scan.
INSERT INTO feature_freq (id, n) SELECT crosswire_key_id('#docs'), count(*) FROM articles WHERE true
ON CONFLICT(id) DO UPDATE SET n = excluded.n;
