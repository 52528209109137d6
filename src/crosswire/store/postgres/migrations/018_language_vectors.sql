-- Per language (and '*' for all), the number of stored dense vectors and their sum (float64
-- bytes): the means language centering subtracts (crosswire.encode.centering); as SQLite's 018.
CREATE TABLE language_vectors (
    language TEXT PRIMARY KEY,
    n BIGINT NOT NULL,
    total BYTEA NOT NULL
);
