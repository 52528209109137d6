-- One row per rejected input and reason: ingesting the same bad file again counts it (`times`) and
-- moves `at` (last seen) and `detail` on, instead of adding a row each run. Existing duplicates
-- fold into their newest row.
CREATE TABLE rejections_once (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL,
    first_at TEXT NOT NULL,
    times INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, reason)
);
INSERT INTO rejections_once (source, reason, detail, at, first_at, times)
SELECT r.source, r.reason, r.detail, r.at, g.first_at, g.times
FROM rejections AS r
JOIN (SELECT max(id) AS id, min(at) AS first_at, count(*) AS times FROM rejections GROUP BY source, reason) AS g
    ON r.id = g.id
ORDER BY r.id;
DROP TABLE rejections;
ALTER TABLE rejections_once RENAME TO rejections;
