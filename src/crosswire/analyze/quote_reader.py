"""One article's body as the quote finders read it: its words, sentences and paragraphs, the
speech cues among its words, and the speaker a cue names (``QuoteReader.speaker_near``).

Everything is computed once per article in linear passes (word spans, sentence ends, located
names); the finders then look at windows of a few hundred characters through bisection.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from crosswire.analyze.keys import name_key
from crosswire.analyze.names import is_calendar_word
from crosswire.analyze.quote_cues import Cues, cues
from crosswire.analyze.resources import stopwords
from crosswire.analyze.speakers import WORD, Named, first_named, locate, locate_unspaced, nearest
from crosswire.types import Mention

_NAME_AFTER_CUE = 12  # words after a cue that may name its speaker after a comma ('said its senior author, X')
_NAME_RIGHT_AFTER = 3  # words after a cue that may name its speaker without one ('said Italian astronaut X')
# Words after an opening verb that may hold its subject ('وقال وزير الخارجية الروسي سيرغي لافروف').
_VERB_FIRST_SUBJECT = 7
_ROLE_WORDS = 3  # words before a cue among which a name is still its subject ('Лавров в понедельник заявил')
# Words between a marked subject and its verb ('जॉनसन ने सार्वजनिक रूप से कहा'): the marker says
# whose verb it is, so it may stand further back than an unmarked name.
_AGENT_WORDS = 6
_CLAUSE_BREAK = re.compile(r"[,;:()«»\"“”„]")
_LINKING_WORD = re.compile(r"\s+[^\W\d_A-ZА-ЯЁІЇЄ]{1,4}\s+")  # 'of', 'from', 'de', 'aus', 'из'
# An article, a one-word name, a lower-case word and the clause's end: the name is an adjective
# of that noun ('ο Τούρκος πρόεδρος.', 'the Turkish president.').
_QUALIFIED = re.compile(r"[ \t]+([^\W\d_]+)\s*(?:[.,;!?…]|$)")
_ARTICLE = re.compile(r"(?:^|\s)[^\W\d_]{1,3}[ \t]+$")
_CLAUSE_END = re.compile(r"\s*(?:[.,;!?…]|$)")
# Words a full stop follows without ending the sentence ('Mr.', 'г.').
_ABBREVIATIONS = frozenset(["mr", "mrs", "ms", "dr", "st", "gen", "col", "sen", "rep", "gov", "jr", "vs", "etc"])
_ABBREVIATIONS |= {"inc", "co", "ltd", "no", "nr", "ул", "г", "гг", "им", "тыс", "млн", "млрд"}
# A full stop (or the Devanagari danda '।') before a space, or glued to the next sentence as
# scraped pages have it ('path.Get'); Chinese and Japanese full stops end a sentence with no space
# after them. Closing marks after the stop belong to its sentence, German and Czech ones too
# ('…pro Skotsko.“ Místo'), so that a reported clause stops there.
_SENTENCE_END = re.compile(
    r"[.!?؟…।॥]+[\"»”’“‘)]*(?=\s|$)|\n|(?<=[a-zа-яёіїє])[.!?](?=[A-ZА-ЯЁІЇЄ][a-zа-яёіїє])|[。！？]+[”」』]*"
)


class QuoteReader:
    """The body of one article, read once: its words, sentence ends, paragraphs and names."""

    def __init__(self, text: str, language: str | None, entities: Sequence[Mention], places: Sequence[Mention]):
        self.text = text
        self.cues: Cues = cues(language)
        self.stopwords = stopwords(language or "")
        self.language = language
        self.place_forms = {w.lower() for p in places for w in WORD.findall(p.surface)}
        self.spans = [m.span() for m in WORD.finditer(text)]
        self.starts = [s for s, _ in self.spans]
        self.lower = [text[s:e].lower() for s, e in self.spans]
        self.ends = [m.end() for m in _SENTENCE_END.finditer(text) if self._ends_sentence(m)]
        breaks = list(re.finditer(r"\n+", text))
        self.paragraphs = [m.start() for m in breaks]
        self.lines = [0, *(m.end() for m in breaks)]
        if self.cues.unspaced:
            self.named = locate_unspaced(text, entities, places)
        else:
            self.named = locate(text, self.spans, entities, places)
        if self.cues.oblique_endings:  # 'mondta az InfoRádióban' (said on InfoRádió): a place, a listener
            self.named = [
                n for n in self.named if not text[n.start : n.end].lower().endswith(self.cues.oblique_endings)
            ]
        self.named_starts = [n.start for n in self.named]

    def _ends_sentence(self, match: re.Match[str]) -> bool:
        if match.group() == "\n" or not match.group().startswith("."):
            return True
        i = bisect.bisect_left(self.starts, match.start()) - 1
        if i < 0 or self.spans[i][1] != match.start():
            return True
        word = self.lower[i]
        return len(word) > 1 and word not in _ABBREVIATIONS and "." not in word

    def sentence_start(self, at: int) -> int:
        i = bisect.bisect_right(self.ends, at) - 1
        return self.ends[i] if i >= 0 else 0

    def sentence_end(self, at: int) -> int:
        i = bisect.bisect_right(self.ends, at)
        return self.ends[i] if i < len(self.ends) else len(self.text)

    def paragraph(self, at: int) -> int:
        return bisect.bisect_left(self.paragraphs, at)

    def words_in(self, lo: int, hi: int) -> range:
        return range(bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi))

    def word_count(self, lo: int, hi: int) -> int:
        if self.cues.unspaced:
            return (hi - lo) // 2  # about two characters a word
        return len(self.words_in(lo, hi))

    # -- cues ---------------------------------------------------------------------------------

    def cue_in(self, lo: int, hi: int, *, first_words: int = 0, after_quote: bool = False) -> tuple[str, int, int]:
        """(cue as written, its start, its end) of the cue in [lo, hi) nearest ``lo`` (within its
        first ``first_words`` words when given), or ('', -1, -1)."""
        if self.cues.unspaced:
            return self._unspaced_cue(lo, hi if not first_words else min(hi, lo + 4 * first_words))
        words = self.words_in(lo, hi)
        if first_words:
            words = words[:first_words]
        for i in words:
            n = self.cues.phrase_at(self.lower, i)
            if n and self.spans[i + n - 1][1] <= hi:
                return self._cue(i, i + n - 1)
            word = self.lower[i]
            if word in self.cues.verbs or (after_quote and word in self.cues.after_only):
                return self._cue(i, i)
        return "", -1, -1

    def _cue(self, first: int, last: int) -> tuple[str, int, int]:
        start, end = self.spans[first][0], self.spans[last][1]
        return self.text[start:end], start, end

    def last_cue_in(self, lo: int, hi: int) -> tuple[str, int, int]:
        """The cue in [lo, hi) nearest ``hi``."""
        if self.cues.unspaced:
            return self._unspaced_cue(lo, hi, last=True)
        for i in reversed(self.words_in(lo, hi)):
            for j in range(max(i - 3, 0), i + 1):  # a phrase ending here ('по его словам')
                n = self.cues.phrase_at(self.lower, j)
                if n and j + n - 1 == i:
                    return self._cue(j, i)
            if self.lower[i] in self.cues.verbs:
                return self._cue(i, i)
        return "", -1, -1

    def _unspaced_cue(self, lo: int, hi: int, *, last: bool = False) -> tuple[str, int, int]:
        window = self.text[lo:hi]
        best = ("", -1, -1)
        for cue in (*self.cues.verbs, *(" ".join(p) for p in self.cues.according)):
            at = window.rfind(cue) if last else window.find(cue)
            if at >= 0 and self.cues.not_speech(self.text, lo + at + len(cue)):
                continue  # '对我来说': the one occurrence looked at is no cue
            better = lo + at > best[1] if last else lo + at < best[1]
            if at >= 0 and (best[1] < 0 or better or (lo + at == best[1] and len(cue) > len(best[0]))):
                best = (cue, lo + at, lo + at + len(cue))
        return best

    def is_pronoun(self, i: int) -> bool:
        return 0 <= i < len(self.lower) and self.lower[i] in self.cues.pronouns

    def _subject(self, lo: int, cue_start: int, before_cue: int) -> Named | None:
        """The name that is the subject of the cue starting at ``cue_start`` (``before_cue``: the
        index of the word before it), or None.

        A subject set off by a comma is the first name in its phrase ('Raman Velayudhan of the
        agency's Tropical Diseases division, told'); past a role set off by commas, the name
        before the role ('Nakanishi, presidente de la Federación Empresarial, dijo'). A common
        noun right before the cue is the subject itself ('the minister said', 'половина
        респондентов ответила'): then only a name among the few words before it, with no
        punctuation between, is the speaker ('Лавров в понедельник заявил')."""
        head = self.text[lo:cue_start].rstrip()
        if head.endswith(","):
            end = lo + len(head) - 1
            comma = self.text.rfind(",", lo, end)
            phrase_start = comma + 1 if comma >= 0 else lo
            named = first_named(self.named, self.named_starts, phrase_start, end)
            opens = named is not None and not self.text[phrase_start : named.start].strip()
            if not opens:  # the phrase is a role ('presidente de ...'): the subject opens the clause
                named = first_named(self.named, self.named_starts, lo, end)
            if named is not None:
                return named
        if before_cue >= 0 and self.spans[before_cue][0] >= lo and self._common_noun(before_cue):
            start = self.spans[max(before_cue - _ROLE_WORDS + 1, 0)][0]

            def joined(item: Named) -> bool:
                # A name right before that noun qualifies it ('Ο Τούρκος πρόεδρος είπε', 'de
                # Japanse televisie meldde', 'a Trump spokesman said'): the noun is the subject.
                qualifies = not self.text[item.end : self.spans[before_cue][0]].strip()
                return not qualifies and not _CLAUSE_BREAK.search(self.text, item.end, cue_start)

            return nearest(self.named, self.named_starts, max(start, lo), cue_start, cue_start, allowed=joined)
        return nearest(self.named, self.named_starts, lo, cue_start, cue_start)

    def _common_noun(self, i: int) -> bool:
        word = self.lower[i]
        text = self.text[self.spans[i][0] : self.spans[i][1]]
        return (
            (text[:1].islower() or (self.cues.verb_first and self._uncased_noun(i)))
            and word not in self.stopwords
            and word not in self.cues.adverbs
            and word not in self.cues.pronouns
            and not (self.cues.adverb_ending and word.endswith(self.cues.adverb_ending))
        )

    def _uncased_noun(self, i: int) -> bool:
        """In a script without capitals, a word that is no part of a name, place or time word
        ('ترجيحات تقول إن', predictions say that)."""
        start, word = self.spans[i][0], self.lower[i]
        k = bisect.bisect_right(self.named_starts, start) - 1
        in_name = k >= 0 and self.named[k].start <= start < self.named[k].end
        return not (in_name or word in self.place_forms or is_calendar_word(word, self.language))

    def bare(self, lo: int, hi: int, cue_start: int, cue_end: int) -> bool:
        """Whether [lo, hi) holds no word but the cue: a dropped subject ('—dijo.')."""
        return all(cue_start <= self.spans[i][0] < cue_end for i in self.words_in(lo, hi))

    # -- speakers -----------------------------------------------------------------------------

    def speaker_near(self, lo: int, hi: int, cue: str, cue_start: int, cue_end: int) -> tuple[Named | None, bool]:
        """The speaker of the cue at [cue_start, cue_end) in the clause [lo, hi): a pronoun beside
        the cue (or inside it: 'по его словам') refers back to the last speaker; else the person
        (else organization) named closest before the cue, else one right after it ('said
        Lavrov'; not the listener of 'told'); else, where the language drops subjects and the
        clause has no other word, the last speaker again."""
        if self.cues.unspaced:
            window = self.text[max(lo, cue_start - 4) : min(hi, cue_end + 4)]
            if any(p in window for p in self.cues.pronouns):
                return None, True
            before = nearest(self.named, self.named_starts, lo, cue_start, cue_start)
            return before or nearest(self.named, self.named_starts, cue_end, hi, cue_end), False
        cue_words = self.words_in(cue_start, cue_end)
        first, last = cue_words.start, cue_words.stop
        beside = [i for i in (first - 1, last) if 0 <= i < len(self.spans) and lo <= self.spans[i][0] < hi]
        if any(self.is_pronoun(i) for i in (*beside, *cue_words)):
            return None, True
        agent = self._agent(lo, first)
        if agent is not None:
            return agent
        inverted = self._inverted_subject(lo, hi, first, last)
        if inverted is not None:
            return inverted, False
        if self.cues.verb_first:
            subject = self._subject_after_verb(lo, hi, last)
            if subject is not None:
                return subject if isinstance(subject, Named) else None, False
        before = self._subject(lo, cue_start, first - 1)
        if before is not None:
            return self._head(before, lo), False
        if first > 0 and self.spans[first - 1][0] >= lo and self._common_noun(first - 1):
            return None, False  # 'the minister said': someone the article does not name here
        following = self.words_in(cue_end, hi)[:_NAME_AFTER_CUE]
        if following:
            listener = self.spans[following[0]][0] if cue.lower() in self.cues.addressee else -1
            close = self.spans[following[min(_NAME_RIGHT_AFTER, len(following)) - 1]][1]

            def placed(item: Named) -> bool:
                """'said Italian astronaut Luca Parmitano'; 'said its senior author, Kari Nadeau';
                '— рассказал региональный директор организации Эльдар Бурханов.' Not a name that
                only qualifies the noun closing the clause ('ανέφερε ο Τούρκος πρόεδρος.')."""
                if self._qualifies(item):
                    return False
                if item.start < close or self.text[max(item.start - 4, 0) : item.start].rstrip().endswith(","):
                    return True
                return item.kind != "org" and bool(_CLAUSE_END.match(self.text, item.end))

            after_hi = self.spans[following[-1]][1]
            after = nearest(self.named, self.named_starts, cue_end, after_hi, cue_end, listener, placed)
            if after is not None:
                return self._apposed(after, hi), False
        unlisted = self._unlisted_name(lo, hi, first, last)
        if unlisted is not None:
            return unlisted, False
        return None, self.cues.pro_drop and self.bare(lo, hi, cue_start, cue_end)

    def _subject_after_verb(self, lo: int, hi: int, last: int) -> Named | str | None:
        """Where the verb opens its clause (``verb_first``): the name among the words between the
        verb and its conjunction ('وقال وزير الخارجية سيرغي لافروف إن'), else "noun" when other words
        stand there ('وقالت مصادر مطلعة إن', 'وذكرت قناة ... أن': a subject the text does not name),
        else None (the verb's subject dropped, 'وأضاف أن', or set off: another reading decides).
        Time words and adverbs after the verb are no subject ('أكد الأربعاء، أن')."""
        subject = False
        for i in range(last, min(last + _VERB_FIRST_SUBJECT, len(self.spans))):
            start = self.spans[i][0]
            if not lo <= start < hi or _CLAUSE_BREAK.search(self.text, self.spans[i - 1][1], start):
                break
            k = bisect.bisect_left(self.named_starts, start)
            if k < len(self.named) and self.named[k].start == start:
                return self._apposed(self.named[k], hi)
            word = self.lower[i]
            if word in self.cues.that:
                break
            if word in self.cues.pronouns:
                return None
            subject = subject or self._common_noun(i)  # not 'في موسكو' (where) nor 'الأربعاء' (when)
        return "noun" if subject else None

    def _inverted_subject(self, lo: int, hi: int, first: int, last: int) -> Named | None:
        """Where the verb comes second, a name right after the cue is its subject when no name
        stands right before it ('Grounded …, al benadrukt Dowling wel dat …'); None elsewhere."""
        if not self.cues.verb_second or last >= len(self.spans) or not lo <= self.spans[last][0] < hi:
            return None
        k = bisect.bisect_left(self.named_starts, self.spans[last][0])
        if k == len(self.named) or self.named[k].start != self.spans[last][0]:
            return None
        if first > 0 and self.spans[first - 1][0] >= lo and self._name_like(first - 1):
            return None  # 'Rutte zei Jansen …': the name before is the subject
        return self.named[k]

    def _qualifies(self, item: Named) -> bool:
        """Whether the one-word name ``item`` stands between an article and the noun closing its
        clause, as an adjective does ('ανέφερε ο Τούρκος πρόεδρος.'), not as a subject ('– mondta
        Orbán miniszterelnök.': no article)."""
        following = _QUALIFIED.match(self.text, item.end)
        if following is None or not following.group(1)[0].islower() or " " in self.text[item.start : item.end]:
            return False
        word = following.group(1).lower()
        if word in self.stopwords or word in self.cues.adverbs:
            return False
        return bool(_ARTICLE.search(self.text, max(item.start - 6, 0), item.start))

    def _apposed(self, named: Named, hi: int) -> Named:
        """The person a comma sets beside ``named`` when it is no person ('a scris ministrul
        Educaţiei, Monica Anisie', 'said the head of NATO, Jens Stoltenberg'), else ``named``."""
        k = bisect.bisect_right(self.named_starts, named.start)
        if named.kind != "person" and k < len(self.named):
            other = self.named[k]
            if other.kind != "org" and other.end <= hi and self.text[named.end : other.start].strip() == ",":
                return other
        return named

    def _head(self, named: Named, lo: int) -> Named:
        """The name ``named`` qualifies when it follows another through a short lower-case word
        ('Matt Rosendale of Montana told', 'Kari Nadeau from Stanford said'): the speaker is the
        first, the second where they come from."""
        i = bisect.bisect_left(self.named_starts, named.start) - 1
        if i >= 0 and self.named[i].start >= lo and _LINKING_WORD.fullmatch(self.text, self.named[i].end, named.start):
            return self.named[i]
        return named

    def _agent(self, lo: int, first: int) -> tuple[Named | None, bool] | None:
        """The speaker marked as the verb's subject by the word after it ('कागामे ने कहा', 'जॉनसन
        ने सार्वजनिक रूप से कहा': the word before ने, a few words before the cue), or as the owner
        of a verbal noun cue right after it ('ग्रेग्स का कहना है कि', Greggs's saying is that),
        whether or not the analysis listed it as a name (the script has no capitals to tell one);
        a pronoun there ('उन्होंने पत्रकारों को बताया', 'उनका कहना है') refers back. None where the
        clause has no such marker."""
        if not self.cues.agent_markers:
            return None
        for i in range(first - 1, max(first - 1 - _AGENT_WORDS, -1), -1):
            if self.spans[i][0] < lo or _CLAUSE_BREAK.search(self.text, self.spans[i][1], self.spans[first][0]):
                return None
            if self.lower[i] in self.cues.agent_pronouns:
                return None, True
            marker = self.lower[i] in self.cues.agent_markers or (
                i == first - 1 and self.lower[i] in self.cues.owner_markers
            )
            if marker and i > 0 and self.spans[i - 1][0] >= lo:
                if self.is_pronoun(i - 1):
                    return None, True
                listed = nearest(self.named, self.named_starts, self.spans[i - 1][0], self.spans[i - 1][1] + 1, 0)
                return (listed or self._as_named(i - 1)), False
        return None

    def _unlisted_name(self, lo: int, hi: int, first: int, last: int) -> Named | None:
        """A name beside the cue that the analysis did not list (an acronym, a lone surname it
        had no evidence for): '," VDD explains', '", sagt Försterling.' Before the cue only a
        word that does not open a sentence; after it, the last of a run of capitalized words."""
        before = first - 1
        touching = before >= 0 and not self.text[self.spans[before][1] : self.spans[first][0]].strip()
        if touching and self.spans[before][0] >= lo and self._name_like(before):
            gap = self.text[max(self.spans[before][0] - 3, lo) : self.spans[before][0]]
            word = self.text[self.spans[before][0] : self.spans[before][1]]
            if word.isupper() or not (gap.strip()[-1:] in ".!?" or self.spans[before][0] == lo):
                return self._as_named(before)
        run = last
        while run < len(self.spans) and self.spans[run][1] <= hi and self._name_like(run) and run - last < 3:
            run += 1
        if run > last and (run >= len(self.spans) or self._clause_goes_on(run - 1)):
            return self._as_named(run - 1)
        return None

    def _clause_goes_on(self, i: int) -> bool:
        """Whether the clause ends after word ``i`` or goes on in lower case ('sagte Nouripour der
        Zeitung'): then the capitalized run that ends at ``i`` is the subject, not the start of
        the next phrase."""
        if _CLAUSE_END.match(self.text, self.spans[i][1]):
            return True
        following = i + 1 < len(self.spans) and not self.text[self.spans[i][1] : self.spans[i + 1][0]].strip()
        return following and self.text[self.spans[i + 1][0]].islower()

    def _name_like(self, i: int) -> bool:
        word = self.text[self.spans[i][0] : self.spans[i][1]]
        lower = self.lower[i]
        return (
            word[:1].isupper()
            and lower not in self.stopwords
            and lower not in self.cues.pronouns
            and lower not in self.place_forms
            and not any(c.isdigit() for c in word)
            and not is_calendar_word(word, self.language)
        )

    def _as_named(self, i: int) -> Named | None:
        key = name_key(self.lower[i])
        return Named(self.spans[i][0], self.spans[i][1], key, "entity") if len(key) >= 2 else None
