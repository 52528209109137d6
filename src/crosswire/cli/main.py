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
    paths: Annotated[
        list[str],
        typer.Argument(help="Files or folders (recursive), web archives (.warc, .warc.gz), page or feed URLs."),
    ],
    db: DbOption = None,
) -> None:
    """Clean, analyse and cluster files, web archives, pages and feeds (each entry's page is
    fetched) into the store. Bad inputs are reported; the rest go in.

    Exit status: 0 when every input was ingested or already present, 1 when any was rejected.
    """
    from crosswire.service.sources import ingest_sources

    settings = _settings(db)
    store = SQLiteStore(settings.db)
    with render.progress("ingesting") as advance:
        report = ingest_sources(store, paths, settings, on_item=advance)
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


@app.command()
@guarded
def search(
    query: Annotated[str, typer.Argument(help='Words (any of their forms match) and "quoted phrases".')],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N stories.")] = 10,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip the first N stories.")] = 0,
    language: Annotated[str | None, typer.Option("--language", help="Only articles in LANG.")] = None,
    site: Annotated[str | None, typer.Option("--site", help="Only articles from SITE.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only articles on or after DATE.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only articles on or before DATE.")] = None,
) -> None:
    """Search the stored articles (title, text and lemmas, so an inflected word finds its other
    forms); print the matching stories, best first, with their best matching articles."""
    from crosswire.cli import render_search
    from crosswire.service.search import search as run_search

    filters = {"language": language, "site": site, "since": since, "until": until}
    page = run_search(_open(db), query, limit=limit, offset=offset, **filters)
    if as_json:
        for found in page.stories:
            _emit(render_search.story_match_json(found))
    else:
        render_search.print_search(page, offset)


@app.command()
@guarded
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="CROSSWIRE_TOKEN",
            help="Token writes must carry (Authorization: Bearer TOKEN). Off loopback one is made up "
            "and printed when none is given.",
            show_default=False,
        ),
    ] = None,
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", min=0.001, help="Largest request body accepted, in MiB.")
    ] = 20.0,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Server processes (one per core serves most).")
    ] = 1,
) -> None:
    """Serve the web UI and the JSON API (/api/v1, schema at /api/v1/openapi.json) over the store."""
    from crosswire.web.serve import serve as run_server

    upload = int(max_upload_mb * 1024 * 1024)
    run_server(_settings(db), host=host, port=port, token=token, max_upload_bytes=upload, workers=workers)


@app.command()
@guarded
def watch(
    sources: Annotated[Path, typer.Argument(help="Feed URLs, one per line (options: every=10m language=de).")],
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, ingest, and exit.")] = False,
) -> None:
    """Poll RSS/Atom feeds on their own schedule and ingest the pages of new entries, keeping
    stories current. Stops cleanly on Ctrl-C or SIGTERM; a restart goes on where it stopped."""
    import threading

    from crosswire.service.watch import stop_on_signals
    from crosswire.service.watch import watch as run_watch
    from crosswire.sources.listing import read_sources

    specs = read_sources(sources)
    settings = _settings(db)
    logs = logging.StreamHandler(sys.stderr)
    logs.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logging.getLogger("crosswire").addHandler(logs)
    logging.getLogger("crosswire").setLevel(logging.INFO)
    stop = threading.Event()
    with stop_on_signals(stop):
        run_watch(SQLiteStore(settings.db), specs, settings, stop=stop, once=once)


@app.command()
@guarded
def export(
    what: Annotated[str, typer.Argument(help="articles or stories.")] = "articles",
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Export every stored article or story as JSON Lines, CSV or Parquet. Exported article
    lines are `crosswire ingest` input: a fresh store ingesting them gets the same articles."""
    from crosswire.service.export import export as run_export

    count = run_export(_open(db), what, fmt, output, sys.stdout)
    if output is not None:
        typer.echo(f"exported {count} {what} to {output}", err=True)


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
