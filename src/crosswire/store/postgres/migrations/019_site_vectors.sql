-- Per site and language, the number of stored dense vectors and their sum (float64 bytes): the
-- means site centering subtracts (crosswire.cluster.sites); as SQLite's 019.
CREATE TABLE site_vectors (
    site TEXT NOT NULL,
    language TEXT NOT NULL,
    n BIGINT NOT NULL,
    total BYTEA NOT NULL,
    PRIMARY KEY (site, language)
);
