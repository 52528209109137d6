-- Per language (and '*' for all), the number of stored dense vectors and their sum (float64
-- bytes): the means that language centering (crosswire.encode.centering) subtracts. Stores with
-- vectors from before this table are summed once by the cluster writer when it finds it empty.
CREATE TABLE language_vectors (
    language TEXT PRIMARY KEY,
    n INTEGER NOT NULL,
    total BLOB NOT NULL
);
