"""Statements attributed at their sentence's end, without quote marks: 'More than 99% of the
sector is made up of small companies, Sánchez Recarte said.', 'Es ist nicht meine Aufgabe, …,
so Sánchez Recarte.', '…, sagte der Abgeordnete Matt Rosendale Newsweek.'

Translations drop or keep quote marks as their style has it, so the same statement is quoted
in one language and reported like this in another. The sentence up to the comma before the
attribution is the statement when the attribution is its sentence's tail: a comma, then the
speech verb and a speaker (a name, or a pronoun that refers back) in either order, and only a
few words after them (a listener, 'on Monday'). Not an outlet credited for the news ('…, передает
ТАСС': the cue table's ``relay`` verbs), and not where the verb waits for the verb-final
clause ('…," X ने कहा' is read elsewhere) nor in scripts without spaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from crosswire.analyze.quote_reader import QuoteReader

_SPEAKER_WORDS = 4  # words of a name between the comma and a verb after it (', Sánchez Recarte said')
_TAIL_WORDS = 8  # words after the verb before the sentence ends (', said Massie of Kentucky on Monday.')
_MIN_STATEMENT_WORDS = 6
_OPENING_MARKS = '"«„“‘‚'


@dataclass(frozen=True, slots=True)
class Tail:
    start: int  # the statement: from its sentence's start to the comma
    end: int
    cue_word: int  # index of the speech verb among the reader's words
    comma: int


def _name_or_pronoun(reader: QuoteReader, i: int) -> bool:
    word = reader.text[reader.spans[i][0] : reader.spans[i][1]]
    return word[:1].isupper() or reader.lower[i] in reader.cues.pronouns


def tail_attributions(reader: QuoteReader) -> Iterator[Tail]:
    """Each sentence whose tail attributes it, in text order."""
    cues = reader.cues
    if cues.unspaced or cues.verb_final:
        return
    text, lower, spans = reader.text, reader.lower, reader.spans
    for i, word in enumerate(lower):
        if (word not in cues.verbs and word not in cues.after_only) or word in cues.relay:
            continue
        first = i  # the first word of the attribution: the verb, or the name before it
        while first > 0 and i - first < _SPEAKER_WORDS and text[spans[first - 1][1] : spans[first][0]].strip() == "":
            if not _name_or_pronoun(reader, first - 1):
                break
            first -= 1
        if word in cues.after_only and first != i:
            continue  # 'so' counts only right after the statement (', so Spillane')
        if i + 1 < len(lower) and cues.opens_reported(lower[i + 1]):
            continue  # 'X, durante o discurso, anunciou que …': the verb opens a clause, ends none
        if word in cues.addressee and first == i:
            continue  # '…, a reporter at the paper, told AFP': the name after it is the listener
        gap = text[spans[first - 1][1] : spans[first][0]] if first else ""
        if gap.strip() != ",":
            continue
        comma = spans[first - 1][1] + gap.index(",")
        sentence_end = reader.sentence_end(spans[i][0])
        if (
            text[sentence_end - 1 : sentence_end] == "?"
            or len(reader.words_in(spans[i][1], sentence_end)) > _TAIL_WORDS
        ):
            continue
        start = reader.sentence_start(comma)
        if text[start:comma].lstrip()[:1] in _OPENING_MARKS:
            continue  # '"…," a reporter told AFP': a direct quote, read with its marks
        if reader.sentence_start(spans[i][0]) != start or reader.word_count(start, comma) < _MIN_STATEMENT_WORDS:
            continue
        yield Tail(start, comma, i, comma)
