-- Per site and language, the number of stored dense vectors and their sum (float64 bytes): the
-- means that site centering (crosswire.cluster.sites) subtracts from two articles of one site
-- before comparing them. Filled as articles are placed; a store from before starts empty.
CREATE TABLE site_vectors (
    site TEXT NOT NULL,
    language TEXT NOT NULL,
    n INTEGER NOT NULL,
    total BLOB NOT NULL,
    PRIMARY KEY (site, language)
);
