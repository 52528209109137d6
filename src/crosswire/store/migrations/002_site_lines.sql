-- Per-site line statistics: lines that recur across many articles of one site are boilerplate.
-- line is a short hash of the whitespace-collapsed, case-folded line (crosswire.clean.site).
CREATE TABLE site_docs (
    site TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE site_lines (
    site TEXT NOT NULL,
    line TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (site, line)
) WITHOUT ROWID;
