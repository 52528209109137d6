"""The words that introduce speech, per language, from the packaged table ``quote_cues.json``
(verbs, 'that' conjunctions, 'according to' phrases, pronouns that refer back to a speaker).
The table is data so that a language is added or corrected without touching code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from crosswire.analyze.resources import load_table

WILDCARD = "*"  # in a phrase: any one word ('по * словам' reads 'по его словам')


@dataclass(frozen=True, slots=True)
class Cues:
    verbs: frozenset[str]
    that: frozenset[str]
    according: tuple[tuple[str, ...], ...]  # phrases as words, longest first
    pronouns: frozenset[str]
    addressee: frozenset[str]  # 'told': the name after it is the listener
    after_only: frozenset[str]  # cues that count only right after a quote
    relative: frozenset[str]  # words that make the conjunction after them a relative pronoun ('lo que')
    adverbs: frozenset[str]  # words between a subject and its verb that are no subject ('later', 'ранее')
    adverb_ending: str  # the ending of most such words ('-ly'), '' for none
    negations: frozenset[str]  # 'not', 'не': a negated speech verb reports nothing
    passive: frozenset[str]  # auxiliaries before a verb that make it passive ('was told that')
    agent_markers: frozenset[str]  # the word after a verb's subject ('कागामे ने कहा'): the speaker before it
    agent_pronouns: frozenset[str]  # pronouns holding that marker ('उन्होंने'): the verb's subject refers back
    owner_markers: frozenset[str]  # the word after the owner of a verbal-noun cue ('ग्रेग्स का कहना है')
    quotative: tuple[str, ...]  # the particle closing reported speech before its verb ('…と述べた'), longest first
    topic_markers: frozenset[str]  # the particle after the speaker of such a clause ('X は、…と述べた')
    relay: frozenset[str]  # verbs crediting a news source at a sentence's end ('…, передает ТАСС')
    according_ends: tuple[str, ...]  # words closing a clause an 'according' phrase opened ('…という')
    not_cues: tuple[str, ...]  # phrases holding a cue that introduce no speech ('对我来说' as for me, 'that said')
    dash_speech: bool
    relative_after_comma: bool  # ', que' opens a relative clause, not reported speech
    pro_drop: bool
    unspaced: bool
    verb_final: bool  # the speech verb closes its clause: after a quote it ends the clause ('…," X ने कहा')
    oblique_endings: tuple[str, ...]  # case endings of a name that is no verb's subject ('Euronewsnak', to Euronews)
    verb_second: bool  # after a fronted phrase the verb precedes its subject ('…, al benadrukt Dowling dat')
    # The verb opens its clause and its subject follows ('وقال مسؤولون إن'), in a script without
    # capitals: a noun right after the verb is its subject, whether or not it is a name.
    verb_first: bool

    by_first: dict[str, tuple[tuple[str, ...], ...]]  # the phrases by their first word, longest first

    def phrase_at(self, words: Sequence[str], i: int) -> int:
        """Length in words of the 'according to' phrase starting at ``words[i]``, 0 for none."""
        for phrase in self.by_first.get(words[i], ()):
            n = len(phrase)
            if i + n <= len(words) and all(p == WILDCARD or p == words[i + k] for k, p in enumerate(phrase)):
                return n
        return 0

    def not_speech(self, text: str, cue_end: int) -> bool:
        """Unspaced text: whether the cue ending at ``cue_end`` closes a phrase that introduces no
        speech."""
        return any(text.endswith(phrase, 0, cue_end) for phrase in self.not_cues)

    def not_speech_at(self, words: Sequence[str], i: int) -> bool:
        """Spaced text: whether ``words[i]`` (a cue, or the conjunction after one) is part of a
        phrase that introduces no speech ('meira að segja', even)."""
        for phrase in self.not_cues:
            parts = phrase.split()
            for k, part in enumerate(parts):
                if part == words[i] and i >= k and list(words[i - k : i - k + len(parts)]) == parts:
                    return True
        return False

    def opens_reported(self, word: str) -> bool:
        """Whether ``word`` is the conjunction of reported speech ('that', 'что', and French
        'qu'' elided onto the next word)."""
        return word in self.that or word.split("'")[0].split("’")[0] in self.that


def _cues(entries: Sequence[dict[str, object]]) -> Cues:
    def words(name: str) -> frozenset[str]:
        return frozenset(w for entry in entries for w in entry.get(name, ()))  # type: ignore[attr-defined]

    phrases = {tuple(p.split()) for entry in entries for p in entry.get("according", ())}  # type: ignore[attr-defined]
    according = tuple(sorted(phrases, key=len, reverse=True))
    by_first: dict[str, tuple[tuple[str, ...], ...]] = {}
    for phrase in according:  # no phrase opens with the wildcard
        by_first[phrase[0]] = (*by_first.get(phrase[0], ()), phrase)
    return Cues(
        verbs=words("verbs"),
        that=words("that"),
        according=according,
        pronouns=words("pronouns"),
        addressee=words("addressee"),
        after_only=words("after_only"),
        relative=words("relative"),
        adverbs=words("adverbs"),
        adverb_ending=entries[0].get("adverb_ending", "") if len(entries) == 1 else "",  # type: ignore[arg-type]
        negations=words("negations"),
        passive=words("passive"),
        agent_markers=words("agent_markers"),
        agent_pronouns=words("agent_pronouns"),
        owner_markers=words("owner_markers"),
        quotative=tuple(sorted(words("quotative"), key=len, reverse=True)),
        topic_markers=words("topic_markers"),
        relay=words("relay"),
        according_ends=tuple(sorted(words("according_ends"), key=len, reverse=True)),
        not_cues=tuple(words("not_cues")),
        dash_speech=all(entry.get("dash_speech") for entry in entries),
        relative_after_comma=all(entry.get("relative_after_comma") for entry in entries),
        pro_drop=all(entry.get("pro_drop") for entry in entries),
        unspaced=all(entry.get("unspaced") for entry in entries),
        verb_final=all(entry.get("verb_final") for entry in entries),
        oblique_endings=tuple(words("oblique_endings")),
        verb_second=all(entry.get("verb_second") for entry in entries),
        verb_first=all(entry.get("verb_first") for entry in entries),
        by_first=by_first,
    )


@cache
def cues(language: str | None) -> Cues:
    """The cues of ``language``; for a language the table lacks (or none), those of every
    language written with spaces, none of the language-specific readings (dash speech, dropped
    subjects) switched on."""
    table: dict[str, dict[str, object]] = load_table("quote_cues.json")["languages"]
    base = (language or "").split("-")[0].lower()
    if base in table:
        return _cues([table[base]])
    return _cues([entry for entry in table.values() if not entry.get("unspaced")])
