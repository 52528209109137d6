-- Stories whose stored summary lags behind their articles: a large story is summarized again
-- only when it has grown by a share since its summary (service.stories.refresh_summaries), and
-- until then readers summarize it on the fly.
CREATE TABLE story_summaries_due (
    story_id TEXT PRIMARY KEY
) WITHOUT ROWID;
