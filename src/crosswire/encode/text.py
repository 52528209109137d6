"""What of an article an encoder reads: the title and the start of the body.

Why only the start (``MAX_CHARS``, 2,000 characters):

- Encoders read a bounded number of tokens and drop the rest: 128 word pieces for
  paraphrase-multilingual-MiniLM-L12-v2 (about 500-700 characters of Latin or Cyrillic text),
  256 for LaBSE, 512 for multilingual-e5 (about 1,500-2,500 characters). 2,000 characters fill the
  largest of these windows; more text changes no vector.
- Tokenizers split the whole string before truncating, so a 200 KB scrape would cost tokenizer
  time for text the model never sees.
- News is written lede first: the title and the first paragraphs say who did what, where and
  when, which is what links two reports of one event; the tail (background, related links,
  boilerplate the cleaner missed) is what differs between outlets.
"""

from __future__ import annotations

from crosswire.types import Article

MAX_CHARS = 2000
# A cut looks back this far for a space, so a word is not split in half.
_WORD_SLACK = 80


def truncate(text: str, max_chars: int = MAX_CHARS) -> str:
    """``text`` cut to at most ``max_chars`` characters, at a space when one is near the cut."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", max(0, max_chars - _WORD_SLACK), max_chars + 1)
    return text[: cut if cut > 0 else max_chars].rstrip()


def article_text_for_encoding(article: Article, max_chars: int = MAX_CHARS) -> str:
    """The title, a newline, then the body, cut to ``max_chars`` characters in all. Paragraph
    breaks become single newlines (encoders read them as spaces)."""
    body = "\n".join(line.strip() for line in article.text.split("\n") if line.strip())
    title = (article.title or "").strip()
    text = f"{title}\n{body}" if title and body else title or body
    return truncate(text, max_chars)
