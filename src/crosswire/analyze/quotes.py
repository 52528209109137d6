"""Quoted and reported speech, and who said it.

Direct quotes are the text inside a pair of quote marks (``quote_marks``) or a paragraph opening
with a speech dash (Russian, Ukrainian, Spanish: '— Мы готовы, — сказал он.'); reported speech is
a clause after a speech verb and its conjunction ('said that ...', 'заявив, що ...') or after an
'according to' phrase at a sentence's start. The words are the packaged table's
(``quote_cues``).

A quote counts as speech when a cue stands beside it: a speech verb in the words right after it
('…," said Lavrov', '», — заявил Лавров') or earlier in its sentence ('Лавров заявил: «…»'), an
'according to' phrase, or a name and a colon ('Lavrov: "…"'). Quoted text with none of these
(a title, a slogan, a term) is left out of the statements, though it still gives the
``quotes`` mentions that linking compares. The speaker is the person (else organization) named
nearest the cue in that clause. A pronoun ('he said', 'за його словами'), or no subject at all
where the language drops it ('—dijo'), refers back to the last named speaker, but only within two
paragraphs and when no other person was named in between; otherwise the quote is unattributed.

Bounded: one pass over the quote marks and one over the words, windows of a few hundred
characters around each quote, at most ``MAX_QUOTES`` statements of at most ``MAX_CHARS``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from crosswire.analyze import cjk
from crosswire.analyze.quote_cues import cues
from crosswire.analyze.quote_marks import quoted_spans
from crosswire.analyze.quote_quotative import quotative_reported
from crosswire.analyze.quote_reader import QuoteReader
from crosswire.analyze.quote_tail import tail_attributions
from crosswire.analyze.speakers import WORD, Named, nearest, other_person_between
from crosswire.types import UNATTRIBUTED, Mention, Quote

MAX_QUOTES = 200
MAX_CHARS = 2000
_MIN_WORDS = 4
_MIN_UNSPACED_CHARS = 6
_WINDOW = 300  # characters looked at on either side of a quote for its cue and speaker
_CUE_WORDS_BEFORE = 6  # words from a cue to the quote it opens ('Lavrov said the talks were "…"')
_CUE_WORDS_AFTER = 6  # the cue after a quote is among its first words ('," the Russian minister said')
_THAT_WITHIN = 8  # words between a speech verb and its conjunction ('said on Monday that')
_NEGATION_WORDS = 3  # words before a speech verb that may negate it
_SOURCE_WORDS = 4  # words at a reported clause's end that may name its source (', передает ТАСС')
_CARRY_PARAGRAPHS = 2
_CARRY_CHARS = 1500
_DASH_LINE = re.compile(r"[ \t]*[—–-][ \t]*(?=\w)")
# The end of a dash-speech part: punctuation, a dash, then the narrator's words in lower case.
_DASH_BREAK = re.compile(r"[,.!?…]\s*[—–-]\s*(?=[^\W\d_])")
# Russian style aside, a dash with no punctuation before it, or a comma alone (Swedish).
_LOOSE_DASH_BREAK = re.compile(r"(?:[,.!?…]\s*[—–-]|\s[—–-]|,)\s*(?=[^\W\d_])")
_LOOSE_BREAKS = 8
_LEAD = re.compile(r"[\s,;]*(?:[—–-]+\s*)?")
_UNSPACED_THAT = "，：,:"
_UNSPACED_CLAUSE = re.compile(r"[，,；;]")
_KEY_WORDS = re.compile(r"\w+")
_COMMA = re.compile("[,،]")  # the Arabic script's comma too ('وفقا للوزير، ...')
_QUESTION = frozenset("?؟")
# Scripts written without spaces between words: read by their own cue tables, or else generically.
_UNSPACED = frozenset({"zh", "ja"})
_CLOSING = '"»”’“‘'
_OPENING = re.compile('[«„‚“‘"]')


def quote_key(quote: str) -> str:
    """Lower-case words joined by single spaces: punctuation and spacing do not matter (the
    ``q:`` feature key; stored representations hold it, so it does not change)."""
    return " ".join(_KEY_WORDS.findall(quote.lower()))


def find_quotes(text: str) -> list[Mention]:
    """Quoted text of four words or more, as mentions linking can compare (whether or not it is
    speech: a quoted title is evidence two reports meet as well)."""
    found: list[Mention] = []
    for start, end in quoted_spans(text):
        if end - start <= MAX_CHARS:
            key = quote_key(text[start:end])
            if key.count(" ") + 1 >= _MIN_WORDS:
                found.append(Mention(key=key, surface=text[start:end].strip(), kind="quote"))
    return found


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    kind: str
    cue: str
    cue_at: int
    speaker: Named | None
    refers_back: bool  # a pronoun or a dropped subject: the speaker is the last one named


def _titled(quote: str) -> bool:
    words = WORD.findall(quote)
    return quote.rstrip()[-1:] not in ".!?…" and all(w[:1].isupper() or w.isdigit() for w in words)


def _end(match: re.Match[str] | None) -> int:
    return match.end() if match else 0


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",،;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",،"):
        end -= 1
    return start, end


def _direct(reader: QuoteReader, spans: list[tuple[int, int]]) -> list[_Found]:
    text = reader.text
    found: list[_Found] = []
    for n, (inner_start, inner_end) in enumerate(spans):
        if len(found) >= MAX_QUOTES:
            break
        start, end = _strip(text, inner_start, inner_end)
        if end - start > MAX_CHARS or end <= start:
            continue
        if reader.cues.unspaced:
            if end - start < _MIN_UNSPACED_CHARS:
                continue
        elif reader.word_count(start, end) < _MIN_WORDS:
            continue
        if _titled(text[start:end]):
            continue  # 'The Lord of the Rings', „New York Daily News“: a title, not a statement
        after = inner_end + 1
        limit = min(reader.sentence_end(after) if text[after : after + 1] not in ".!?…" else after, after + _WINDOW)
        if n + 1 < len(spans) and reader.word_count(*spans[n + 1]) >= _MIN_WORDS:
            limit = min(limit, spans[n + 1][0] - 1)  # the next statement (a quoted name does not end this one)
        lead = _LEAD.match(text, after, limit)
        lo = lead.end() if lead else after
        if (text[end - 1 : end] == "." and text[lo : lo + 1].isupper()) or text[end - 1 : end] == "।":
            limit = lo  # the quote closed its sentence and a new one starts: not its attribution
        # Where the verb closes the clause ('…," 2015 में ... कागामे ने कहा'), or a sentence names the
        # speaker between two quotes ('“…。”来自蒙大拿州的国会议员马特·罗森代尔…表示：“…”'), the cue is
        # anywhere before the clause's end or the next quote.
        first_words = 0 if reader.cues.verb_final or reader.cues.unspaced else _CUE_WORDS_AFTER
        if reader.cues.unspaced:
            clause = _UNSPACED_CLAUSE.search(text, lo, limit)
            limit = clause.start() if clause else limit  # '…，最後，他在Facebook宣布': a later clause's verb
        cue, cue_start, cue_end = reader.cue_in(lo, limit, first_words=first_words, after_quote=True)
        if cue:
            speaker, back = reader.speaker_near(lo, limit, cue, cue_start, cue_end)
            if speaker is None and (
                (not back and reader.cues.unspaced)  # 'X は「…」と述べた'
                or (
                    reader.cues.verb_final
                    and not any(reader.lower[i] in reader.cues.pronouns for i in reader.words_in(lo, limit))
                )
            ):  # 'Erdoğan, "…" dedi': a verb-final clause's subject stands before its quote
                begin = max(reader.sentence_start(inner_start - 1), inner_start - _WINDOW)
                before = nearest(reader.named, reader.named_starts, begin, inner_start - 1, inner_start - 1)
                pronoun = max(
                    (reader.starts[i] for i in reader.words_in(begin, inner_start - 1) if reader.is_pronoun(i)),
                    default=-1,
                )
                if pronoun > (before.start if before is not None else -1):
                    speaker, back = None, True  # '그는 “…”라고 덧붙였다': he, the last speaker
                elif before is not None:
                    speaker, back = before, False
            found.append(_Found(start, end, "direct", cue, cue_start, speaker, back))
            continue
        opening = inner_start - 1
        begin = max(reader.sentence_start(opening), opening - _WINDOW, spans[n - 1][1] + 1 if n else 0)
        cue, cue_start, cue_end = reader.last_cue_in(begin, opening)
        if (
            cue
            and reader.word_count(cue_end, opening) > _CUE_WORDS_BEFORE
            and not reader.cues.phrase_at(reader.lower, bisect.bisect_left(reader.starts, cue_start))
        ):
            cue = ""  # a speech verb early in a long sentence says nothing of this quoted title
        if cue:
            speaker, back = reader.speaker_near(begin, opening, cue, cue_start, cue_end)
            found.append(_Found(start, end, "direct", cue, cue_start, speaker, back))
        elif text[begin:opening].rstrip().endswith(":"):
            colon = text.rindex(":", begin, opening)
            speaker = nearest(reader.named, reader.named_starts, begin, colon, colon)
            if speaker is not None and reader.word_count(speaker.end, colon) == 0:
                found.append(_Found(start, end, "direct", ":", colon, speaker, False))
        elif found and _continues(reader, found[-1], spans[n - 1], opening):
            last = found[-1]
            found.append(_Found(start, end, "direct", last.cue, last.cue_at, last.speaker, last.refers_back))
    return found


def _continues(reader: QuoteReader, last: _Found, last_span: tuple[int, int], opening: int) -> bool:
    """Whether a quote opening at ``opening`` goes on with the statement just before it: it opens
    the sentence right after the one that attributed the previous quote, in the same paragraph
    ('"…," Kagame said. "We have to change mindsets."'), as reports quote one speaker at length."""
    if not last_span[0] <= last.start <= last_span[1] or reader.paragraph(last.start) != reader.paragraph(opening):
        return False
    anchor = max(last.cue_at, last_span[1])
    ends = bisect.bisect_right(reader.ends, opening) - bisect.bisect_right(reader.ends, anchor)
    return ends == 1 and not reader.text[reader.sentence_start(opening) : opening].strip()


def _dash_speech(reader: QuoteReader) -> list[_Found]:
    """Paragraphs that open with a speech dash, their narrator's words naming the speaker."""
    text = reader.text
    found: list[_Found] = []
    for line_start in reader.lines:
        opening = _DASH_LINE.match(text, line_start)
        if opening is None:
            continue
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        cut = _DASH_BREAK.search(text, opening.end(), line_end)
        cue, cue_start, cue_end, stop = "", -1, -1, line_end
        narrator_end = None
        if cut is not None and text[cut.end()].islower():
            narrator_end = _DASH_BREAK.search(text, cut.end(), line_end)
            stop = min(narrator_end.start() if narrator_end else reader.sentence_end(cut.end()), line_end)
            cue, cue_start, cue_end = reader.cue_in(cut.end(), stop, first_words=_CUE_WORDS_AFTER)
        if not cue or cut is None:
            cut, narrator_end = _loose_break(reader, opening.end(), line_end), None
            if cut is None:
                continue  # no narrator: a list item, or an interview's answer
            stop = min(reader.sentence_end(cut.end()), line_end)
            cue, cue_start, cue_end = reader.cue_in(cut.end(), stop, first_words=_CUE_WORDS_AFTER)
        speaker, back = reader.speaker_near(cut.end(), stop, cue, cue_start, cue_end)
        parts = [(opening.end(), cut.start() + (text[cut.start()] in "!?…"))]
        if narrator_end is not None:
            parts.append((narrator_end.end(), line_end))
        for start, end in parts:
            start, end = _strip(text, start, end)
            if reader.word_count(start, end) >= _MIN_WORDS and end - start <= MAX_CHARS:
                found.append(_Found(start, end, "direct", cue, cue_start, speaker, back))
    return found


def _loose_break(reader: QuoteReader, start: int, line_end: int) -> re.Match[str] | None:
    """The end of a dash-speech part where the narrator follows a bare dash ('– Няма друг път –
    добави той') or only a comma ('– Vi ska sänka skatterna, säger Andersson'): the first such
    break whose next few words hold a cue (the first few checked, so a long line stays cheap)."""
    for n, match in enumerate(_LOOSE_DASH_BREAK.finditer(reader.text, start, line_end)):
        if n >= _LOOSE_BREAKS:
            break
        if reader.text[match.end()].islower():
            stop = min(reader.sentence_end(match.end()), line_end)
            if reader.cue_in(match.end(), stop, first_words=_CUE_WORDS_AFTER if match.group().strip(", ") else 3)[0]:
                return match
    return None


def _colon_after(reader: QuoteReader, i: int, sentence_end: int) -> int:
    """Where a colon follows the speech verb ``words[i]``, or the light verb after it ('تصریح
    کرد:', stated), and opens unquoted words: its position, else -1."""
    text, spans = reader.text, reader.spans
    for k in (i, i + 1):
        if k >= len(spans) or spans[k][1] >= sentence_end:
            return -1
        gap = text[spans[k][1] : spans[k][1] + 3]
        rest = gap.lstrip()
        if rest[:1] == ":":
            colon = spans[k][1] + len(gap) - len(rest)
            after = text[colon + 1 : colon + 8].lstrip()[:1]
            return colon if after and not _OPENING.match(after) and after not in "—–-" else -1
        if rest[:1] and not rest[:1].isalnum():
            return -1
    return -1


def _before_source(reader: QuoteReader, start: int, end: int) -> int:
    """The end of a reported clause before a source named at its end ('..., передает
    "Газета.ru"', '..., the agency said')."""
    words = reader.words_in(start, end)
    for i in words[-_SOURCE_WORDS:]:
        if reader.lower[i] in reader.cues.verbs:
            comma = reader.text.rfind(",", start, reader.spans[i][0])
            if comma > start and not reader.text[comma + 1 : reader.spans[i][0]].strip(" —–-"):
                return comma
    return end


def _reported(reader: QuoteReader, direct: list[_Found]) -> list[_Found]:
    """'X said that ...' and 'According to X, ...': the clause to the sentence's end."""
    text, lower, spans = reader.text, reader.lower, reader.spans
    found: list[_Found] = []
    quoted = sorted((f.start, f.end) for f in direct)
    quoted_starts = [s for s, _ in quoted]

    def inside_quote(at: int) -> bool:
        i = bisect.bisect_right(quoted_starts, at) - 1
        return i >= 0 and quoted[i][0] <= at < quoted[i][1]

    def add(
        start: int,
        end: int,
        cue: str,
        cue_start: int,
        cue_end: int,
        lo: int,
        hi: int,
        speaker: tuple[Named | None, bool] | None = None,
    ) -> None:
        start, end = _strip(text, start, end)
        if text[end - 1 : end] in _QUESTION or text[end : end + 1] in _QUESTION:
            return  # 'Würden Sie sagen, dass ...?': a question, not a statement
        end = _before_source(reader, start, end)
        while end > start and text[end - 1] in _CLOSING and not _OPENING.search(text, start, end - 1):
            end -= 1  # a mark the clause never opened ('…pro Skotsko.“'): the translation's stray one
        end = end - 1 if end > start and text[end - 1] in ".!?…。！？।" else end
        if reader.word_count(start, end) < _MIN_WORDS or end - start > MAX_CHARS:
            return
        if any(s < end and start < e and (min(e, end) - max(s, start)) * 2 >= end - start for s, e in quoted):
            return  # a direct quote holds most of it
        if found and found[-1].start == start:
            return  # 'said the outlook indicated that ...': one clause, two verbs
        named, back = speaker or reader.speaker_near(lo, hi, cue, cue_start, cue_end)
        found.append(_Found(start, end, "reported", cue, cue_start, named, back))

    if reader.cues.unspaced:
        # Every cue's occurrences, in text order and the longest first where two end together
        # ('补充说' before its '说'): the table is a set, and its order must not decide the cue.
        hits = []
        for cue in reader.cues.verbs:
            at = text.find(cue)
            while at >= 0:
                hits.append((at + len(cue), at, cue))
                at = text.find(cue, at + len(cue))
        taken: set[int] = set()
        for after, at, cue in sorted(hits):
            if after in taken or reader.cues.not_speech(text, after):
                continue
            if text[after : after + 1] in _UNSPACED_THAT and not inside_quote(at):
                taken.add(after)
                begin = reader.sentence_start(at)
                add(after + 1, reader.sentence_end(after), cue, at, after, begin, at)
        if reader.cues.quotative:
            for r in quotative_reported(reader, inside_quote):
                add(r.start, r.end, r.cue, r.cue_start, r.cue_end, r.start, r.end, (r.speaker, r.refers_back))
            found.sort(key=lambda f: f.start)
        return found
    for i, word in enumerate(lower):
        if len(found) >= MAX_QUOTES:
            break
        at = spans[i][0]
        if (word not in reader.cues.verbs and not reader.cues.phrase_at(lower, i)) or inside_quote(at):
            continue
        sentence_end = reader.sentence_end(at)
        if word in reader.cues.verbs:
            if reader.cues.not_cues and reader.cues.not_speech_at(lower, i):
                continue  # 'meira að segja' (even), 'that said'
            if i and lower[i - 1] in reader.cues.passive:
                continue  # 'was told that': the speaker is not its subject
            after = i + 2 if reader.cues.verb_second else i  # 'sa inte att', 'zei niet dat'
            if any(
                lower[k] in reader.cues.negations for k in range(max(i - _NEGATION_WORDS, 0), min(after, len(lower)))
            ):
                continue  # 'das würde ich nicht sagen, dass ...': what was not said
            colon = _colon_after(reader, i, sentence_end)
            if colon >= 0:  # 'وی تصریح کرد: …' (he stated: …), with no quote marks
                begin = reader.sentence_start(at)
                add(colon + 1, sentence_end, text[at : spans[i][1]], at, spans[i][1], begin, at)
                continue
            for j in range(i + 1, min(i + 1 + _THAT_WITHIN, len(lower))):
                if spans[j][0] >= sentence_end:
                    break
                if reader.cues.opens_reported(lower[j]) and not reader.cues.not_speech_at(lower, j):
                    if lower[j - 1] in reader.cues.relative or (
                        reader.cues.relative_after_comma and text[spans[j - 1][1] : spans[j][0]].strip() == ","
                    ):
                        break  # 'dijo Kelsey, que es bombero', 'dijo X, lo que': a relative clause
                    conjunction = re.match(r"[^'’]*['’]?", lower[j])
                    that_start = spans[j][0] + (len(lower[j]) if lower[j] in reader.cues.that else _end(conjunction))
                    begin = reader.sentence_start(at)
                    add(that_start, sentence_end, text[at : spans[i][1]], at, spans[i][1], begin, spans[j][0])
                    break
            continue
        n = reader.cues.phrase_at(lower, i)
        if n and reader.sentence_start(at) >= (spans[i - 1][1] if i else 0):  # opens its sentence
            cue_end = spans[i + n - 1][1]
            name_end = _name_then_verb(reader, i + n)
            found_comma = _COMMA.search(text, cue_end, sentence_end)
            comma = found_comma.start() if found_comma else -1
            if name_end >= 0:  # 'Volgens Rutte gaat de regering …', 'Laut Peskow ist …': no comma
                add(name_end, sentence_end, text[at:cue_end], at, cue_end, at, name_end)
            elif comma >= 0 and reader.word_count(cue_end, comma) <= _THAT_WITHIN:
                add(comma + 1, sentence_end, text[at:cue_end], at, cue_end, at, comma)
    for tail in tail_attributions(reader):
        cue_start, cue_end = spans[tail.cue_word]
        if inside_quote(tail.start) or len(found) >= MAX_QUOTES:
            continue
        cue = text[cue_start:cue_end]
        speaker = reader.speaker_near(tail.comma + 1, reader.sentence_end(cue_start), cue, cue_start, cue_end)
        if speaker[0] is not None or speaker[1]:
            add(tail.start, tail.end, cue, cue_start, cue_end, 0, 0, speaker)
    found.sort(key=lambda f: f.start)
    return found


def _name_then_verb(reader: QuoteReader, i: int) -> int:
    """The end of a name that starts at word ``i`` right after an 'according to' phrase and is
    followed by a lower-case word with no comma between (the verb of a verb-second clause:
    'Volgens Rutte gaat …'), else -1."""
    if i >= len(reader.spans):
        return -1
    k = bisect.bisect_left(reader.named_starts, reader.spans[i][0])
    if k == len(reader.named) or reader.named[k].start != reader.spans[i][0]:
        return -1
    end = reader.named[k].end
    nxt = bisect.bisect_left(reader.starts, end)
    if nxt < len(reader.spans) and not reader.text[end : reader.spans[nxt][0]].strip():
        return end if reader.text[reader.spans[nxt][0]].islower() else -1
    return -1


def _referent(reader: QuoteReader, last: Named | None, at: int) -> Named | None:
    """Whom a pronoun at ``at`` refers to, when that is safe: the last named speaker, or else the
    one person named, within two paragraphs and ``_CARRY_CHARS``, with no other person named
    in between."""
    begin = max(at - _CARRY_CHARS, 0)
    paragraph = reader.paragraph(at)
    if last is not None and begin <= last.end <= at and paragraph - reader.paragraph(last.start) <= _CARRY_PARAGRAPHS:
        if not other_person_between(reader.named, reader.named_starts, last.end, at, last.key):
            return last
        return None
    first = bisect.bisect_left(reader.named_starts, begin)
    people = [
        n
        for n in reader.named[first : bisect.bisect_left(reader.named_starts, at)]
        if n.kind == "person" and paragraph - reader.paragraph(n.start) <= _CARRY_PARAGRAPHS
    ]
    return people[-1] if people and len({n.key for n in people}) == 1 else None


def _attribute(reader: QuoteReader, found: list[_Found]) -> list[Quote]:
    """Quotes in text order, each referring-back one given its referent when that is safe."""
    quotes: list[Quote] = []
    last: Named | None = None
    for item in sorted(found, key=lambda f: (f.start, f.kind)):
        speaker = item.speaker
        if speaker is None and item.refers_back:
            speaker = _referent(reader, last, item.cue_at)
        elif speaker is not None:
            last = speaker
        quotes.append(
            Quote(
                text=reader.text[item.start : item.end],
                start=item.start,
                end=item.end,
                kind="direct" if item.kind == "direct" else "reported",
                speaker=speaker.key if speaker else UNATTRIBUTED,
                speaker_surface=reader.text[speaker.start : speaker.end] if speaker else "",
                cue=item.cue,
            )
        )
    return quotes


def find_statements(
    text: str, language: str | None, entities: Sequence[Mention], places: Sequence[Mention] = ()
) -> tuple[Quote, ...]:
    """The statements quoted or reported in an article's body ``text``, with their speakers
    (``entities`` and ``places`` are the analysis's, found in the same text)."""
    if language is not None and language.split("-")[0].lower() in _UNSPACED and not cues(language).unspaced:
        language = None  # a spaced language's cues would be looked for between spaces it does not write
    if language is not None and language.split("-")[0].lower() == "zh":
        entities = [*entities, *cjk.transliterated_names(text)]  # the analysis lists no Chinese names
    reader = QuoteReader(text, language, entities, places)
    spans = quoted_spans(text)
    direct = _direct(reader, spans)
    if reader.cues.dash_speech:
        taken = [(f.start, f.end) for f in direct]
        direct += [f for f in _dash_speech(reader) if not any(s < f.end and f.start < e for s, e in taken)]
    found = direct + _reported(reader, direct)
    found.sort(key=lambda f: f.start)
    return tuple(_attribute(reader, found[:MAX_QUOTES]))
