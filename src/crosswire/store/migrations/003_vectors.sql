-- Dense embeddings (float32, unit length) of articles, when an encoder is configured.
CREATE TABLE vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data BLOB NOT NULL
) WITHOUT ROWID;
