"""The command-line face: argument parsing and rendering only; the work is in crosswire.service."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from crosswire import service
from crosswire.cli import render
from crosswire.errors import CrosswireError, InputError
from crosswire.settings import Settings, load_settings
from crosswire.store import SQLiteStore
from crosswire.types import Rejection

app = typer.Typer(
    help="crosswire: clean news articles, link them across languages, follow stories.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite store (default: $CROSSWIRE_DB or ~/.local/share/crosswire/crosswire.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON Lines output, one object per line.")]


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"crosswire: {message}", err=True)
    raise typer.Exit(code)


def guarded(command: F) -> F:
    """Turn errors into a one-line message and a non-zero exit (tracebacks only with --debug)."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except CrosswireError as err:
            if _state["debug"]:
                raise
            _fail(str(err))
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as err:
            if _state["debug"]:
                raise
            _fail(f"internal error: {type(err).__name__}: {err} (run with --debug for the traceback)")

    return wrapper  # type: ignore[return-value]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and library logs.")] = False) -> None:
    _state["debug"] = debug
    # Extractors log every odd page at ERROR; a rejected page is already reported once, by us.
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.CRITICAL)


def _settings(db: str | None) -> Settings:
    return load_settings(db)


def _open(db: str | None) -> SQLiteStore:
    return SQLiteStore(_settings(db).db)


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@app.command()
@guarded
def clean(
    files: Annotated[list[Path], typer.Argument(help="Text, HTML, JSON or JSON Lines files.")],
    as_json: JsonOption = False,
) -> None:
    """Clean articles and print them (nothing is stored)."""
    failures = 0
    for item in service.clean_paths(files):
        if isinstance(item, Rejection):
            failures += 1
            typer.echo(render.rejection_line(item), err=True)
        elif as_json:
            _emit(render.article_json(item))
        else:
            render.print_article(item)
    if failures:
        raise typer.Exit(1)


@app.command()
@guarded
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive).")],
    db: DbOption = None,
) -> None:
    """Clean, analyse and cluster files into the store. Bad files are reported; the rest go in.

    Exit status: 0 when every input was ingested or already present, 1 when any was rejected.
    """
    settings = _settings(db)
    store = SQLiteStore(settings.db)
    with render.progress("ingesting") as advance:
        report = service.ingest_paths(store, paths, settings, on_item=advance)
    render.print_ingest_report(report, settings.db)
    if report.rejected:
        raise typer.Exit(1)


@app.command()
@guarded
def reclean(db: DbOption = None) -> None:
    """Clean every stored article again from its kept raw input, with the current rules and the
    per-site line statistics gathered since it was ingested; store those that changed."""
    settings = _settings(db)
    with render.progress("re-cleaning") as advance:
        report = service.reclean(SQLiteStore(settings.db), settings, on_item=advance)
    render.print_reclean_report(report)


@app.command()
@guarded
def recluster(db: DbOption = None) -> None:
    """Rebuild every event and story from the stored articles (after changing clustering settings
    or the encoder), in publication order, so the result does not depend on ingestion order."""
    settings = _settings(db)
    with render.progress("re-clustering") as advance:
        report = service.recluster(SQLiteStore(settings.db), settings, on_item=advance)
    render.err.print(
        f"re-clustered {report.articles} articles into {report.stories} stories and {report.events} events"
    )


@app.command()
@guarded
def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N stories.")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip the first N stories.")] = 0,
    language: Annotated[str | None, typer.Option("--language", help="Only stories with articles in LANG.")] = None,
    site: Annotated[str | None, typer.Option("--site", help="Only stories with articles from SITE.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only stories with articles on or after DATE.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only stories with articles on or before DATE.")] = None,
) -> None:
    """List stories, most recently active first: every stored article belongs to exactly one.
    Dates are ISO prefixes (2022, 2022-01, 2022-01-13); with one, undated stories are left out."""
    store = _open(db)
    filters = {"language": language, "site": site, "since": since, "until": until}
    found = service.stories(store, limit=limit, offset=offset, with_articles=as_json, with_timeline=False, **filters)
    if as_json:
        for summary in found:
            _emit(render.story_json(summary))
    else:
        paged = limit is not None or offset or any(filters.values())
        render.print_stories(found, service.story_count(store, **filters) if paged else None)


@app.command()
@guarded
def show(
    story_id: Annotated[str, typer.Argument(help="A story id from `crosswire stories`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one story: titles per language, languages and sites with counts, the names and
    countries its articles mention most, its timeline of events, and its articles."""
    summary = service.story(_open(db), story_id)
    if as_json:
        _emit(render.story_json(summary))
    else:
        render.print_story(summary)


@app.command()
@guarded
def compare(
    a: Annotated[str | None, typer.Argument(help="A file or a stored article id.")] = None,
    b: Annotated[str | None, typer.Argument(help="A file or a stored article id.")] = None,
    pairs: Annotated[Path | None, typer.Option("--pairs", help="JSON Lines of {id, a, b} pairs.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """How closely two articles cover the same news: score 0..1, level 1..4 and reasons."""
    if pairs is not None:
        if a or b:
            raise CrosswireError("give either two articles or --pairs FILE, not both")
        _compare_pairs(pairs, _settings(db))
        return
    if not a or not b:
        raise CrosswireError("compare needs two articles (files or stored ids), or --pairs FILE")
    store = None
    if not (Path(a).is_file() and Path(b).is_file()):
        path = Path(_settings(db).db)
        store = SQLiteStore(path) if path.exists() else None
    left, right = service.resolve_article(a, store), service.resolve_article(b, store)
    result = service.compare_articles(left, right, _settings(db))
    if as_json:
        _emit(render.similarity_json(result, left, right))
    else:
        render.print_similarity(result, left, right)


def _compare_pairs(path: Path, settings: Settings) -> None:
    if not path.is_file():
        raise InputError("missing", f"{path}: no such file")
    errors = 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for result in service.compare_pairs(lines, settings):
            errors += "error" in result
            _emit(result)
    if errors:
        typer.echo(f"crosswire: {errors} pair(s) could not be compared", err=True)
        raise typer.Exit(1)


# -- eval ----------------------------------------------------------------------------------
eval_app = typer.Typer(
    help="Measure crosswire on labelled data: graded pairs (SemEval-2022 Task 8), translation retrieval, "
    "and clusters against gold groups.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")
OneJsonOption = Annotated[bool, typer.Option("--json", help="One JSON object instead of a table.")]


@eval_app.command("pairs")
@guarded
def eval_pairs(
    file: Annotated[
        Path, typer.Argument(help="SemEval-2022 Task 8 CSV: pair_id, lang1, lang2, text1, text2, …, Overall.")
    ],
    native_only: Annotated[
        bool, typer.Option("--native-only", help="Only pairs without a machine-translated side (both ids all digits).")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N rows (after --native-only).")
    ] = None,
    as_json: OneJsonOption = False,
) -> None:
    """Pearson of the pair score against the human Overall judgement (sign: higher is better),
    for native pairs and all rows, overall and per language pair."""
    with render.progress("scoring pairs") as advance:
        report = service.evaluate_pairs(file, _settings(None), native_only=native_only, limit=limit, on_item=advance)
    if as_json:
        _emit(render.pairs_report_json(report))
    else:
        render.print_pairs_report(report)


@eval_app.command("retrieval")
@guarded
def eval_retrieval(
    file: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines of documents with their text in two or more "
            "languages (generic {id, domain, texts} or WMT shapes)."
        ),
    ],
    pairs: Annotated[
        str | None,
        typer.Option(
            "--pairs", help="Query-target language pairs, as ru-en,uk-en (default: every other language to English)."
        ),
    ] = None,
    all_pairs: Annotated[
        bool, typer.Option("--all-pairs", help="Every ordered pair of languages found together.")
    ] = False,
    as_json: OneJsonOption = False,
) -> None:
    """P@1 and MRR of finding each document's translation among all documents in the target
    language, per language pair and per domain."""
    specs = [spec for spec in (pairs or "").split(",") if spec.strip()]
    with render.progress("evaluating") as advance:
        report = service.evaluate_retrieval(file, _settings(None), pairs=specs, all_pairs=all_pairs, on_item=advance)
    if as_json:
        _emit(render.retrieval_report_json(report))
    else:
        render.print_retrieval_report(report)


@eval_app.command("clusters")
@guarded
def eval_clusters(
    gold: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines of gold groups: each document with its texts in several languages is one group."
        ),
    ],
    db: DbOption = None,
    ingest_missing: Annotated[
        bool, typer.Option("--ingest", help="Ingest the gold texts not yet in the store first (after distractors).")
    ] = False,
    as_json: OneJsonOption = False,
) -> None:
    """B-cubed precision, recall and F1 of the stored stories and events against gold groups,
    scored on the gold items only."""
    settings = _settings(db)
    with render.progress("evaluating clusters") as advance:
        report = service.evaluate_clusters(
            SQLiteStore(settings.db), gold, settings, ingest_missing=ingest_missing, on_item=advance
        )
    if as_json:
        _emit(render.clusters_report_json(report))
    else:
        render.print_clusters_report(report)
