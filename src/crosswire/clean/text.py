"""Plain-text boilerplate removal: which lines of a scraped page are the article.

Structure does the work, so it holds in any language: the body is the longest run of sentence-like
lines; what comes before it is the head (title, dateline, byline), what comes after it the tail
(credits, bylines, related headlines, sidebars, interface words). Lines inside the body are kept
unless they are clearly furniture (a subscription call, a 'read also' line, a photo credit). Cue
words (``data/clean_cues.json``) only back up what shape and position suggest.

Every non-blank line ends up as the title, in the text, or in ``removed`` with one of ``REASONS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosswire.clean.cues import cues, key
from crosswire.clean.dates import is_timestamp_line, parse_timestamp_line
from crosswire.clean.lines import (
    byline_name,
    is_bullet,
    is_headline,
    is_mostly_address,
    is_prose,
    word_count,
)
from crosswire.types import Removed

REASONS: dict[str, str] = {
    "title-repeat": "another copy of the title",
    "call-to-action": "a subscribe/follow line (naming a network or messenger)",
    "read-also": "a 'read also'-type label, with or without a headline after it",
    "link-list": "headlines listed under such a label, or a bullet list outside the body",
    "credit": "a photo or source credit, or a line that is mostly a web address",
    "byline": "the author's name, also when run into a section label ('Ігор ПетрукНовини')",
    "sidebar": "a run of other articles' headlines with their timestamps (both removed)",
    "timestamp": "a line that is only a date or time",
    "related-link": "another article's headline ('Headline | Section', or a headline after the body)",
    "ui": "interface words ('loader', 'Share') and short labels outside the body",
    "footer": "a copyright or rights notice",
    "teaser": "running text cut off from the body by page furniture (another article's teaser)",
    "duplicate": "an exact repeat of a kept paragraph",
    "site-boilerplate": "a line that recurs across many articles of the same site (crosswire.clean.site)",
}

# Untagged short lines allowed between two body sentences before the body is taken to have ended
# (subheadings, list items). Lines explained by a cue do not count; a sidebar or footer ends it.
_MAX_GAP = 6
_FREE = frozenset({"call-to-action", "credit", "read-also", "link-list", "ui", "title-repeat"})
_ENDS_BODY = frozenset({"sidebar", "footer"})
# A line opening with a clock time followed by a headline ('16:15 Трамп проведе саміт').
_TIMED_HEADLINE = re.compile(r"^[0-2]?[0-9]:[0-5][0-9]\s+\S")
_TITLE_PUNCT = " \t.,:;!?…\"'«»“”„()[]|-–—"
# ' | Example News': a separator and at most five words to the end of the line.
_SITE_SUFFIX = re.compile(r"\s+(?:\||-|–|—|::|/)\s+(?=(?:[^\s|–—]+\s+){0,4}[^\s|–—]+\s*$)")


@dataclass(frozen=True, slots=True)
class CleanedText:
    title: str | None
    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...]
    author: str | None = None
    published: str | None = None  # only from a dateline in the head of the article

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _is_table_row(line: str) -> bool:
    # '| cell | cell |': a table row as extractors write tables out, not a 'Headline | Section'.
    return line.startswith("|") and line.endswith("|") and line.count("|") >= 3


def _related_link(line: str) -> bool:
    if _is_table_row(line):
        return False
    parts = [p.strip() for p in line.split(" | ")]
    return len(parts) > 1 and not is_prose(line) and any(1 <= word_count(p) <= 4 for p in parts)


def _intrinsic(line: str, extracted: bool) -> str | None:
    """The reason a line is furniture wherever it stands, or None. In ``extracted`` text (an
    HTML extractor already chose it) a bare web address is content, not a credit."""
    if is_timestamp_line(line):
        return "timestamp"
    k, c, words = key(line), cues(), word_count(line)
    if words <= 30 and c.read_also.match(k):
        return "read-also"
    if words <= 60 and c.call_to_action.search(k) and (words <= 15 or c.networks.search(k)):
        return "call-to-action"
    if words <= 12 and (c.credit.match(k) or (not extracted and is_mostly_address(line))):
        return "credit"
    if words <= 40 and c.footer.search(k):
        return "footer"
    if _related_link(line):
        return "related-link"
    if k.rstrip(" .:!…") in c.ui or c.ui_label.match(k):
        return "ui"
    return None


def _mark_sidebars(lines: list[str], tags: list[str | None]) -> None:
    """Runs of headline/timestamp pairs ('Headline' / '23:15 06 вер 2025.' ...), and runs of
    headlines that open with a clock time."""
    n = len(lines)

    def headline_at(i: int) -> bool:
        return 0 <= i < n and tags[i] is None and word_count(lines[i]) <= 30

    stamps = [i for i, tag in enumerate(tags) if tag == "timestamp"]
    k = 0
    while k < len(stamps):
        j = k
        while j + 1 < len(stamps) and stamps[j + 1] == stamps[j] + 2 and headline_at(stamps[j] + 1):
            j += 1
        if j > k:
            first, last = stamps[k], stamps[j]
            # The odd headline sits before the first stamp or after the last; a sentence never.
            if headline_at(first - 1) and not is_prose(lines[first - 1]):
                first -= 1
            elif headline_at(last + 1) and not is_prose(lines[last + 1]):
                last += 1
            for i in range(first, last + 1):
                tags[i] = "sidebar"
        k = j + 1
    timed = {i for i in range(n) if tags[i] is None and _TIMED_HEADLINE.match(lines[i])}
    for i in sorted(timed):
        if i - 1 in timed or i + 1 in timed:
            tags[i] = "sidebar"


def _title_form(line: str) -> str:
    return " ".join(line.casefold().split()).strip(_TITLE_PUNCT)


def _same_title(line: str, title: str) -> bool:
    """Whether ``line`` is a copy of ``title``, also when one of them carries the site's name
    ('Headline | Example News', 'Headline - Example News')."""
    lines = {_title_form(line), _title_form(_SITE_SUFFIX.split(line)[0])} - {""}
    titles = {_title_form(title), _title_form(_SITE_SUFFIX.split(title)[0])} - {""}
    return any(
        a == b or (min(len(a), len(b)) >= 0.6 * max(len(a), len(b)) and (a in b or b in a))
        for a in lines
        for b in titles
    )


def _find_title(lines: list[str], tags: list[str | None]) -> int | None:
    """The first line that is not furniture, if it reads as a headline. Labels of one or two
    words before it (a section name) are passed over."""
    for i, line in enumerate(lines):
        if tags[i] is not None:
            continue
        if word_count(line) <= 2 and not is_prose(line):
            continue
        return i if is_headline(line) else None
    return None


def _mark_link_lists(lines: list[str], tags: list[str | None]) -> None:
    """Headlines under a bare 'Read also:' label, until running text resumes."""
    c = cues()
    for i, tag in enumerate(tags):
        if tag != "read-also":
            continue
        k = key(lines[i])
        label = c.read_also.match(k)
        if label is None or k[label.end() :].strip(' :：—–->»«"“„(|'):
            continue
        j = i + 1
        while j < len(lines) and tags[j] is None and word_count(lines[j]) <= 30:
            if is_prose(lines[j]) and not is_bullet(lines[j]):
                break
            tags[j] = "link-list"
            j += 1


def _runs(lines: list[str], tags: list[str | None]) -> list[tuple[int, int, int, int]]:
    """Runs of sentence-like lines as (first, last, characters, sentence lines), split where
    more than ``_MAX_GAP`` unexplained lines, a sidebar or a footer come between two sentences."""
    runs: list[tuple[int, int, int, int]] = []
    gap = 0
    for i, line in enumerate(lines):
        tag = tags[i]
        if tag is None and is_prose(line):
            if runs and gap <= _MAX_GAP:
                first, _, chars, count = runs[-1]
                runs[-1] = (first, i, chars + len(line), count + 1)
            else:
                runs.append((i, i, len(line), 1))
            gap = 0
        elif runs:
            gap += _MAX_GAP + 1 if tag in _ENDS_BODY else 0 if tag in _FREE else 1
    return runs


def _main_run(lines: list[str], tags: list[str | None]) -> tuple[int, int] | None:
    """First and last line of the body: the run of sentence-like lines with the most text,
    joined by neighbouring runs that are substantial (a list or a table of short lines inside an
    article splits it; a teaser after the related headlines is small) and not behind a sidebar."""
    runs = _runs(lines, tags)
    if not runs:
        return None
    best = max(range(len(runs)), key=lambda r: runs[r][2])
    lo = hi = best

    def joins(r: int, a: int, b: int) -> bool:
        _, _, chars, count = runs[r]
        between = tags[a + 1 : b]
        return count >= 2 and chars >= 0.25 * runs[best][2] and not _ENDS_BODY.intersection(between)

    while lo > 0 and joins(lo - 1, runs[lo - 1][1], runs[lo][0]):
        lo -= 1
    while hi + 1 < len(runs) and joins(hi + 1, runs[hi][1], runs[hi + 1][0]):
        hi += 1
    return runs[lo][0], runs[hi][1]


def _byline(line: str, cue_required: bool) -> str | None:
    """The author's name in a byline ('John Smith', 'By John Smith', 'Автор: Ігор Петрук').
    With ``cue_required`` a bare name-shaped line ('Colosseum Theater Essen') is not enough."""
    line = line.split(" | ")[0]
    if not cues().byline.match(key(line)):
        if cue_required:
            return None
        name = byline_name(line)
    else:
        head, sep, rest = line.partition(":")
        if not sep or len(head) > 20:
            rest = line.split(None, 1)[1] if len(line.split(None, 1)) == 2 else ""
        name = byline_name(rest.strip())
    # 'World News' has a name's shape; interface words are no names.
    if name and any(word.casefold() in cues().ui for word in name.split()):
        return None
    return name


def _outside_body(line: str, region: str, keep_unknown: bool) -> str | None:
    """The reason for an unexplained line before or after the body (None: keep it)."""
    if keep_unknown:
        return None
    if is_prose(line):
        return "teaser"
    if is_bullet(line):
        return "link-list"
    if region == "head":
        return None if word_count(line) >= 8 else "ui"
    return "related-link" if word_count(line) >= 5 else "ui"


def clean_text(text: str, *, title: str | None = None, keep_unknown: bool = False) -> CleanedText:
    """Split ``text`` (already Unicode-normalized) into title, body paragraphs and removed lines.

    ``title`` is a known title (from metadata): its copies are removed and no title is guessed.
    ``keep_unknown`` keeps every line no rule explains (for text an HTML extractor already chose):
    only furniture with a definite reason is removed.
    """
    lines = [s for s in (raw.strip() for raw in text.split("\n")) if s]
    tags = [_intrinsic(line, keep_unknown) for line in lines]
    _mark_sidebars(lines, tags)
    title = title.strip() if title and title.strip() else None
    title_at = None if title else _find_title(lines, tags)
    if title_at is not None:
        title = lines[title_at]
        tags[title_at] = "title"
    if title:
        for i, line in enumerate(lines):
            if tags[i] in (None, "related-link", "ui") and _same_title(line, title):
                tags[i] = "title-repeat"
    _mark_link_lists(lines, tags)

    body = _main_run(lines, tags)
    if body is None and title_at is not None and all(t is not None for t in tags):
        # Nothing but a headline: it is the text, not a title over nothing.
        tags[title_at], title, title_at = None, None, None
    start, end = body if body else (0, len(lines) - 1)

    author = published = None
    kept: list[str] = []
    seen: set[str] = set()
    removed: list[Removed] = []
    for i, line in enumerate(lines):
        reason = tags[i]
        if reason == "title":
            continue
        region = "head" if i < start else "tail" if i > end else "body"
        # A byline follows the headline; above it stand section labels.
        byline_allowed = region == "tail" or (region == "head" and (title_at is None or i > title_at))
        if reason in (None, "related-link") and byline_allowed:
            name = _byline(line, keep_unknown)
            if name and author is None:
                reason, author = "byline", name
        if reason is None and region != "body":
            reason = _outside_body(line, region, keep_unknown)
        if reason == "timestamp" and region == "head" and published is None:
            published = parse_timestamp_line(line)
        if reason is None and line in seen:
            reason = "duplicate"
        if reason is None:
            kept.append(line)
            seen.add(line)
        else:
            removed.append(Removed(line, reason))
    return CleanedText(title, tuple(kept), tuple(removed), author, published)
