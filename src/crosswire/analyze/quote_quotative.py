"""Reported speech where the speech verb ends the sentence and a particle closes what was said
(Japanese: 'ゲンスラー委員長は、…ものではない、と付け加えた。'), and statements an 'according'
phrase opens ('専門家によると、…という。').

The statement is the clause before the quotative particle ('と'), from just after its speaker's
topic marker ('は', 'が') or, where the sentence reported something before ('…と述べ、…と主張
した'), from just after that; the speaker is the name before the marker. A clause with no marked
speaker drops its subject, which is then the last one named (as '—dijo.'). The particle must
stand right before the verb, or before a listener ('…とユーロニュースに語った'), so 'と' as 'and'
('トランプ氏と話した': spoke with Trump) is too short a clause to pass for a statement.

Only for languages whose cue table gives ``quotative`` particles; bounded like the rest: one
``str.find`` pass per cue over the text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crosswire.analyze.quote_reader import QuoteReader
from crosswire.analyze.speakers import Named, nearest

# Between the particle and the verb: a listener or an adverb ending in に ('ユーロニュースに対し',
# '公に'), no punctuation, no other quote.
_LISTENER = re.compile(r"(?:[^、。，「」『』\n]{1,14}?(?:に対して|に対し|に|へ))?\Z")
_LISTENER_FIRST = re.compile(r"[^、。，「」『』\n]{1,14}?(?:に対して|に対し)[、，]")  # 'X は記者団に対し、…と語った'
# A clause ending 'but' or 'in it' before the statement: '…見解を公開したが、その中で、…と主張している'.
_CLAUSE_JOINTS = ("が、", "中で、")
_MARKER_NAME_GAP = 4  # characters of title between a name and its marker ('マシー氏は', 'ゲンスラー委員長は')
_SUBJECT_CHARS = 40  # a marker further into the clause than this belongs to the statement itself
_CLAUSE_PUNCTUATION = "、，, "
_CLAUSE_END = _CLAUSE_PUNCTUATION + "。\n"
_CONJECTURE = ("だろう", "でしょう")  # '…だろうとしている' says; any other '…うとしている' is 'about to'
_NOT_TOPIC = "にでとの"  # 'では', 'には', 'とは', 'のは': a place, a time or a clause made topic, not a speaker
# The most of a clause read back from a verb: a statement longer than quotes.MAX_CHARS (2,000) is
# not kept anyway, and reading whole sentences back from every verb made a text with no sentence
# end quadratic (20,000 characters of verbs took 9 s).
_MAX_CLAUSE = 2_000 + _SUBJECT_CHARS
# The longest listener between the particle and the verb: 14 characters and 'に対して'.
_MAX_LISTENER = 18


@dataclass(frozen=True, slots=True)
class Reported:
    start: int
    end: int
    cue: str
    cue_start: int
    cue_end: int
    speaker: Named | None
    refers_back: bool


def _hits(reader: QuoteReader, cues: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, cue) of every cue in the text, the longest where several start together."""
    best: dict[int, tuple[int, str]] = {}
    for cue in cues:
        at = reader.text.find(cue)
        while at >= 0:
            if at not in best or len(cue) > len(best[at][1]):
                best[at] = (at + len(cue), cue)
            at = reader.text.find(cue, at + len(cue))
    return sorted((at, end, cue) for at, (end, cue) in best.items())


def _closing_particle(reader: QuoteReader, begin: int, at: int, cue: str) -> int:
    """Where the quotative particle before the verb at ``at`` starts, -1 for none."""
    for particle in reader.cues.quotative:
        if cue.startswith(particle) and len(cue) > len(particle):
            return at  # the verb carries its particle ('としている')
    gap = _LISTENER.search(reader.text, max(begin, at - _MAX_LISTENER), at)
    head_end = gap.start() if gap else at
    for particle in reader.cues.quotative:
        if reader.text.endswith(particle, begin, head_end):
            return head_end - len(particle)
    return -1


def _subject(reader: QuoteReader, begin: int, end: int) -> tuple[int, Named | None, bool]:
    """(where the statement starts, its speaker, whether that refers back) for the clause
    [begin, end): the first topic marker set off by a comma, or right after a name, a title or
    a pronoun, near the clause's start."""
    text = reader.text
    marked = [
        at
        for at in range(begin, end)
        if text[at] in reader.cues.topic_markers and not (at > begin and text[at - 1] in _NOT_TOPIC)
    ]
    for at in marked:  # a name (or a pronoun) and its title right before the marker
        named = nearest(reader.named, reader.named_starts, max(begin, at - _SUBJECT_CHARS), at, at)
        if named is not None and at - named.end <= _MARKER_NAME_GAP:
            return at + 1, named, False
        if any(pronoun in text[max(begin, at - _MARKER_NAME_GAP - 2) : at] for pronoun in reader.cues.pronouns):
            return at + 1, None, True
    for at in marked:  # else a marker set off by a comma near the start ('欧州ビール酒造組合は、')
        if at < begin + _SUBJECT_CHARS and at + 1 < end and text[at + 1] in _CLAUSE_PUNCTUATION:
            return at + 1, nearest(reader.named, reader.named_starts, begin, at, at), False
    return begin, None, reader.cues.pro_drop


def _strip(text: str, start: int, end: int, endings: tuple[str, ...] = ()) -> tuple[int, int]:
    while start < end and text[start] in _CLAUSE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _CLAUSE_END:
        end -= 1
    for ending in endings:
        if text.endswith(ending, start, end):
            end -= len(ending)
            break
    while end > start and text[end - 1] in _CLAUSE_END:
        end -= 1
    return start, end


def quotative_reported(reader: QuoteReader, inside_quote: Callable[[int], bool]) -> Iterator[Reported]:
    """The reported statements of a text in a language with quotative particles, in text order."""
    text = reader.text
    according: list[Reported] = []
    for at, cue_end, cue in _hits(reader, tuple(p[0] for p in reader.cues.according if len(p) == 1)):
        comma = text.find("、", cue_end, cue_end + 2)
        if comma < 0 or inside_quote(at):
            continue
        sentence_start = reader.sentence_start(at)
        speaker = nearest(reader.named, reader.named_starts, sentence_start, at, at)
        start, end = _strip(text, comma + 1, reader.sentence_end(at), reader.cues.according_ends)
        if end > start:
            according.append(Reported(start, end, cue, at, cue_end, speaker, False))
    yield from according
    # Whether a verb stands inside (or just after) an 'according' statement: by the furthest end
    # of those starting before it (one search a verb, however many there are).
    by_start = sorted(according, key=lambda r: r.start)
    starts = [r.start for r in by_start]
    reach = list(itertools.accumulate((r.end + 4 for r in by_start), max))
    previous_end = 0
    for at, cue_end, cue in _hits(reader, tuple(reader.cues.verbs)):
        before = bisect.bisect_right(starts, at)
        if inside_quote(at) or (before and reach[before - 1] >= at):
            continue  # '調査によると、…と回答した': the source was named by the phrase
        begin = max(reader.sentence_start(at), previous_end, at - _MAX_CLAUSE)
        particle = _closing_particle(reader, begin, at, cue)
        if particle < 0:
            continue
        start, speaker, back = _subject(reader, begin, particle)
        start, end = _strip(text, start, particle)
        listener = _LISTENER_FIRST.match(text, start, end)
        start = listener.end() if listener else start
        joint = max(text.rfind(j, start, end) + len(j) for j in _CLAUSE_JOINTS)
        start = joint if joint > start + len(_CLAUSE_JOINTS[0]) else start
        if particle == at and text[end - 1 : end] == "う" and not text.endswith(_CONJECTURE, start, end):
            continue  # '規制を課そうとしている': is about to, not says
        if end > start:
            previous_end = cue_end
            yield Reported(start, end, cue, at, cue_end, speaker, back)
