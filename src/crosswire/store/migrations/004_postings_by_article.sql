-- Replacing an article's postings (reclean, recluster) looks them up by article.
CREATE INDEX postings_article ON postings(article_id);
