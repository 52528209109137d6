"""Analysis: entities, places, dates, numbers, quotes and lemmas of an article, keyed so that
spellings in different languages and scripts meet."""

from crosswire.analyze.analyzer import analyze, analyze_batch, guess_language
from crosswire.analyze.keys import fold_term, name_key

__all__ = ["analyze", "analyze_batch", "fold_term", "guess_language", "name_key"]
