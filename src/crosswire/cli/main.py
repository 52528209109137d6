"""The command-line face: argument parsing and rendering only; the work is in crosswire.service.

This module imports only what every command needs (typer, rich, the error types): the service
and the store load inside the commands, so `crosswire --help` and a one-line error start at once
instead of waiting for the extractors, the analyser and numpy.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from crosswire import schema, service
from crosswire.cli import progress, render
from crosswire.cli.render import plural
from crosswire.errors import CrosswireError, InputError, StoreNotFound

if TYPE_CHECKING:
    from crosswire.executors.ray_engine import RayJob
    from crosswire.settings import Settings
    from crosswire.store.base import Store

app = typer.Typer(
    help="Clean news articles, link them across languages into events and stories, and follow those stories.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="markdown",  # help paragraphs reflow to the terminal, whatever the docstring's line breaks
)
_state = {"debug": False}
P = ParamSpec("P")
R = TypeVar("R")

_DEFAULT_DB = "$CROSSWIRE_DB, else ~/.local/share/crosswire/crosswire.db"
_PG_URL = "a PostgreSQL database as postgresql://USER@HOST:PORT/DB (docs/postgres.md)"
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="DB",
        help=f"The store to read, a SQLite file or {_PG_URL}; it must exist (default: {_DEFAULT_DB}).",
    ),
]
WriteDbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="DB",
        help=f"The store to write, a SQLite file or {_PG_URL}; created if missing (default: {_DEFAULT_DB}).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON Lines: one object per line.")]
LimitOption = Annotated[int | None, typer.Option("--limit", metavar="N", min=1, help="Show at most N stories.")]
OffsetOption = Annotated[int, typer.Option("--offset", metavar="N", min=0, help="Skip the first N stories.")]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        metavar="ENGINE",
        help="Where the work per document and per batch runs: `local` (worker processes here) or `ray` (a "
        "Ray cluster; the `ray` extra, docs/cluster.md). The decisions and the store's writes run here either way.",
    ),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        metavar="ADDRESS",
        help="The Ray cluster to use with `--engine ray`: `auto` (the one this machine joined with `ray start`) "
        "or HOST:PORT; default: $RAY_ADDRESS, else the cluster `ray start` made on this machine, else a "
        "one-machine cluster started for the run.",
    ),
]
DATES = "DATE is an ISO prefix: 2022, 2022-01 or 2022-01-13"


# The reader of the output went away (`crosswire stories | head`): stop quietly with the status a
# Unix tool ended by SIGPIPE has (128 + 13), not with an internal error.
PIPE_CLOSED = 141


def _stop_writing_stdout() -> None:
    """Point stdout at /dev/null: Python flushes it once more at exit, which would raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind stdout (a test runner's buffer)
        pass


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"crosswire: {message}", err=True)
    raise typer.Exit(code)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn errors into a one-line message and a non-zero exit (tracebacks only with --debug)."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
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
        except BrokenPipeError:
            _stop_writing_stdout()
            raise typer.Exit(PIPE_CLOSED) from None
        except Exception as err:
            if _state["debug"]:
                raise
            _fail(f"internal error: {type(err).__name__}: {err} (run with --debug for the traceback)")

    return wrapper


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and library logs.")] = False) -> None:
    _state["debug"] = debug
    render.use_streams()
    # Extractors log every odd page at ERROR; a rejected page is already reported once, by us.
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.CRITICAL)


def _settings(db: str | None) -> Settings:
    from crosswire.settings import load_settings

    return load_settings(db)


def _open(settings: Settings, *, create: bool = False, hint: str = "") -> Store:
    """The one place commands open the store. Only commands that add articles (ingest, watch,
    eval clusters --ingest, serve --create) create a missing store; every other command refuses
    it with one line naming the path, so a mistyped --db never reads as an empty store."""
    from crosswire.store import open_store

    try:
        return open_store(settings.db, create=create)
    except StoreNotFound as err:
        raise StoreNotFound(f"{err} (`crosswire ingest` creates one{hint})") from None


def _ray_job(engine: str, address: str | None) -> RayJob | None:
    """None for the local engine; for Ray, a job not yet connected (checked before the store opens)."""
    if engine == "local":
        if address is not None:
            raise CrosswireError("--ray-address needs --engine ray")
        return None
    if engine != "ray":
        raise CrosswireError(f"unknown engine {engine!r}: choose local or ray")
    from crosswire.executors.ray_engine import RayJob, require_ray

    require_ray()
    return RayJob(address)


def _read(db: str | None) -> Store:
    return _open(_settings(db))


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@app.command()
@guarded
def clean(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help="The files to clean: text, HTML, JSON or JSON Lines.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Clean articles and print them; nothing is stored."""
    from crosswire.types import Rejection

    failures = 0
    for item in service.clean_paths(files):
        if isinstance(item, Rejection):
            failures += 1
            typer.echo(render.rejection_line(item), err=True)
        elif as_json:
            _emit(schema.article_json(item))
        else:
            render.print_article(item)
    if failures:
        raise typer.Exit(1)


@app.command()
@guarded
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Files, folders (read recursively), web archives (.warc, .warc.gz), and page or feed URLs.",
        ),
    ],
    db: WriteDbOption = None,
    engine: EngineOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Clean, analyse and cluster files, web archives, pages and feeds (each entry's page is
    fetched) into the store. Bad inputs are reported; the rest go in. With `--engine ray`, files,
    folders, web archives and Parquet tables only, read, prepared, weighed and scored on a Ray
    cluster (decided and stored here); the stories are the same.

    Exit status: 0 when every input was ingested or already present, 1 when any was rejected.
    """
    from crosswire.service.sources import ingest_sources

    job = _ray_job(engine, ray_address)
    settings = _settings(db)
    store = _open(settings, create=True)
    with progress.meter("ingesting", "article") as meter:
        if meter.shown:
            progress.count_in_background(meter, paths, already=progress.held_pages(store))
        if job is None:
            report = ingest_sources(store, paths, settings, on_item=meter)
        else:
            from crosswire.service.ingest_ray import ingest_paths_ray

            with job:
                report = ingest_paths_ray(store, paths, settings, job, on_item=meter)
    render.print_ingest_report(report, settings.db, meter.summary())
    if job is not None:
        render.print_ray_nodes(job.nodes)
        if job.step_nodes:
            render.print_ray_steps(job.step_nodes)
    if report.rejected:
        raise typer.Exit(1)


@app.command()
@guarded
def reclean(db: DbOption = None, engine: EngineOption = "local", ray_address: RayAddressOption = None) -> None:
    """Clean every stored article again from its kept raw input, with the current rules and the
    per-site line statistics gathered since it was ingested; store those that changed."""
    job = _ray_job(engine, ray_address)
    settings = _settings(db)
    store = _open(settings)
    with progress.meter("re-cleaning", "article", total=store.article_count()) as meter:
        if job is None:
            report = service.reclean(store, settings, on_item=meter)
        else:
            from crosswire.service.ingest_ray import reclean_ray

            with job:
                report = reclean_ray(store, settings, job, on_item=meter)
    render.print_reclean_report(report, meter.summary())
    if job is not None:
        render.print_ray_nodes(job.nodes)


@app.command()
@guarded
def recluster(db: DbOption = None, engine: EngineOption = "local", ray_address: RayAddressOption = None) -> None:
    """Rebuild every event and story from the stored articles (after changing clustering settings
    or the encoder), in publication order, so the result does not depend on ingestion order. With
    `--engine ray`, each batch's weighing, candidates and scores run on the cluster."""
    job = _ray_job(engine, ray_address)
    settings = _settings(db)
    store = _open(settings)
    with progress.meter("re-clustering", "article", total=store.article_count()) as meter:
        if job is None:
            report = service.recluster(store, settings, on_item=meter)
        else:
            from crosswire.service.ingest_ray import recluster_ray

            with job:
                report = recluster_ray(store, settings, job, on_item=meter)
    render.print_recluster_report(report, meter.summary())
    if job is not None:
        render.print_ray_steps(job.step_nodes)


@app.command()
@guarded
def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    language: Annotated[
        str | None, typer.Option("--language", metavar="LANG", help="Show only stories with articles in LANG.")
    ] = None,
    site: Annotated[
        str | None, typer.Option("--site", metavar="SITE", help="Show only stories with articles from SITE.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help=f"Show only stories with articles on or after DATE ({DATES})."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Show only stories with articles on or before DATE.")
    ] = None,
) -> None:
    """List the stories, most recently active first; every stored article belongs to exactly one.
    With a date filter, undated stories are left out.

    On a terminal this is a table whose long titles are cut with an ellipsis; piped or redirected,
    it is tab-separated values (a header line, then one story per line, titles whole) and the
    count goes to stderr.
    """
    store = _read(db)
    filters = {"language": language, "site": site, "since": since, "until": until}
    found = service.stories(store, limit=limit, offset=offset, with_articles=as_json, with_timeline=False, **filters)
    if as_json:
        for summary in found:
            _emit(schema.story_json(summary))
    else:
        paged = limit is not None or offset or any(filters.values())
        render.print_stories(found, service.story_count(store, **filters) if paged else None)


@app.command()
@guarded
def show(
    story_id: Annotated[
        str, typer.Argument(metavar="STORY_ID", help="The id of a story, as `crosswire stories` lists it.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    outlets: Annotated[
        Path | None,
        typer.Option(
            "--outlets",
            metavar="FILE",
            help="Your outlets file (CSV: site, country, language, owner, notes) to join to the sites "
            "(default: the outlets_file setting, $CROSSWIRE_OUTLETS_FILE).",
        ),
    ] = None,
) -> None:
    """Show one story: titles per language, languages and sites with counts, the names and
    countries its articles mention most, its timeline of events, and its articles (with --json,
    also who said what: the statements its articles quote or report, with their speakers, and
    the same statement grouped across articles and languages), and how each outlet framed it
    (distinctive words, voices, first report)."""
    from crosswire.cli.render_framing import print_framing
    from crosswire.outlets import load_outlets
    from crosswire.schema_framing import framing_json
    from crosswire.service.framing import story_framing

    settings = _settings(db)
    store = _open(settings)
    summary = service.story(store, story_id)
    framing = story_framing(store, story_id, load_outlets(outlets or settings.outlets_file))
    if as_json:
        found = schema.story_json(summary)
        found["quotes"] = [schema.quote_json(a, q) for a, q in service.story_quotes(store, summary)]
        found["who_said_what"] = schema.who_said_what_json(service.who_said_what(store, summary, settings))
        found["framing"] = framing_json(framing)
        _emit(found)
    else:
        render.print_story(summary)
        print_framing(framing)


@app.command()
@guarded
def compare(
    a: Annotated[
        str | None, typer.Argument(metavar="A", help="A file, or the id (or an id prefix) of a stored article.")
    ] = None,
    b: Annotated[
        str | None, typer.Argument(metavar="B", help="A file, or the id (or an id prefix) of a stored article.")
    ] = None,
    pairs: Annotated[
        Path | None,
        typer.Option(
            "--pairs", metavar="FILE", help="Compare the pairs in this JSON Lines file ({id, a, b} per line)."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score how closely two articles cover the same news: a score in 0..1, a level 1..4 and the
    reasons. The store is read only for an argument that is not a file."""
    if pairs is not None:
        if a or b:
            raise CrosswireError("give either two articles or --pairs FILE, not both")
        _compare_pairs(pairs, _settings(db))
        return
    if not a or not b:
        raise CrosswireError("compare needs two articles (files or stored ids), or --pairs FILE")
    settings = _settings(db)
    store = None
    if not (Path(a).is_file() and Path(b).is_file()):
        try:
            store = _open(settings)
        except StoreNotFound:  # a mistyped file name is likelier than an id without a store
            ref = b if Path(a).is_file() else a
            raise InputError("missing", f"{ref}: no such file, and no store at {settings.db} to find it in") from None
    left, right = service.resolve_article(a, store), service.resolve_article(b, store)
    result = service.compare_articles(left, right, settings)
    if as_json:
        _emit(schema.similarity_json(result, left, right))
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
        typer.echo(f"crosswire: {plural(errors, 'pair')} could not be compared", err=True)
        raise typer.Exit(1)


@app.command()
@guarded
def search(
    query: Annotated[
        str,
        typer.Argument(metavar="QUERY", help='What to find: words (any of their forms match) and "quoted phrases".'),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, help="Show at most N stories.")] = 10,
    offset: OffsetOption = 0,
    language: Annotated[
        str | None, typer.Option("--language", metavar="LANG", help="Search only articles in LANG.")
    ] = None,
    site: Annotated[str | None, typer.Option("--site", metavar="SITE", help="Search only articles from SITE.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help=f"Search only articles on or after DATE ({DATES}).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Search only articles on or before DATE.")
    ] = None,
) -> None:
    """Search the stored articles (title, text and lemmas, so an inflected word finds its other
    forms); print the matching stories, best first, with their best matching articles."""
    from crosswire.cli import render_search
    from crosswire.service.search import search as run_search

    page = run_search(
        _read(db), query, limit=limit, offset=offset, language=language, site=site, since=since, until=until
    )
    if as_json:
        for found in page.stories:
            _emit(schema.story_match_json(found))
    else:
        render_search.print_search(page, offset)


@app.command()
@guarded
def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="DB",
            help=f"The store to serve, a SQLite file or {_PG_URL}; it must exist unless --create "
            f"(default: {_DEFAULT_DB}).",
        ),
    ] = None,
    create: Annotated[
        bool, typer.Option("--create", help="Create the store if it does not exist (to fill it through uploads).")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8000,
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
        float, typer.Option("--max-upload-mb", min=0.001, help="The largest request body accepted, in MiB.")
    ] = 20.0,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="The number of server processes (one per core serves most).")
    ] = 1,
) -> None:
    """Serve the web UI and the JSON API (/api/v1, schema at /api/v1/openapi.json) over the store.
    The server also takes uploads, but starts only on a store that exists, unless --create."""
    from crosswire.web.serve import serve as run_server

    settings = _settings(db)
    _open(settings, create=create, hint="; `serve --create` starts an empty one").close()
    upload = int(max_upload_mb * 1024 * 1024)
    run_server(settings, host=host, port=port, token=token, max_upload_bytes=upload, workers=workers)


@app.command()
@guarded
def watch(
    sources: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCES_FILE",
            help="A file of feed URLs, one per line, each with optional settings such as every=10m language=de.",
        ),
    ],
    db: WriteDbOption = None,
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
        run_watch(_open(settings, create=True), specs, settings, stop=stop, once=once)


@app.command()
@guarded
def export(
    what: Annotated[str, typer.Argument(metavar="WHAT", help="What to export: articles or stories.")] = "articles",
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="The output format: jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="The file to write (default: standard output)."),
    ] = None,
) -> None:
    """Export every stored article or story as JSON Lines, CSV or Parquet. Exported article
    lines are `crosswire ingest` input: a fresh store ingesting them gets the same articles."""
    from crosswire.service.export import export as run_export

    count = run_export(_read(db), what, fmt, output, sys.stdout)
    if output is not None:
        noun = "story" if what == "stories" else "article"
        typer.echo(f"exported {plural(count, noun)} to {output}", err=True)


# -- eval ----------------------------------------------------------------------------------
eval_app = typer.Typer(
    help="Measure crosswire on labelled data: graded pairs (SemEval-2022 Task 8), translation retrieval, "
    "and clusters against gold groups.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(eval_app, name="eval")
OneJsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")]


@eval_app.command("pairs")
@guarded
def eval_pairs(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A SemEval-2022 Task 8 CSV file (columns pair_id, lang1, lang2, text1, text2, …, Overall).",
        ),
    ],
    native_only: Annotated[
        bool,
        typer.Option("--native-only", help="Score only pairs without a machine-translated side (both ids all digits)."),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", min=1, help="Score only the first N rows (after --native-only)."),
    ] = None,
    as_json: OneJsonOption = False,
) -> None:
    """Report Pearson's r of the pair score against the human Overall judgement (sign: higher is
    better), for native pairs and all rows, overall and per language pair."""
    with progress.meter("scoring pairs", "pair") as meter:
        report = service.evaluate_pairs(file, _settings(None), native_only=native_only, limit=limit, on_item=meter)
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
            metavar="FILE",
            help="A JSON Lines file of documents, each with its text in two or more "
            "languages (generic {id, domain, texts} or WMT shapes).",
        ),
    ],
    pairs: Annotated[
        str | None,
        typer.Option(
            "--pairs",
            metavar="PAIRS",
            help="The query-target language pairs to rank, as ru-en,uk-en (default: every other language to English).",
        ),
    ] = None,
    all_pairs: Annotated[
        bool, typer.Option("--all-pairs", help="Rank every ordered pair of languages found together.")
    ] = False,
    as_json: OneJsonOption = False,
) -> None:
    """Report P@1 and MRR of finding each document's translation among all documents in the
    target language, per language pair and per domain."""
    specs = [spec for spec in (pairs or "").split(",") if spec.strip()]
    with progress.meter("evaluating", "step") as meter:
        report = service.evaluate_retrieval(file, _settings(None), pairs=specs, all_pairs=all_pairs, on_item=meter)
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
            metavar="GOLD",
            help="A JSON Lines file of gold groups: each document with its texts in several languages is one group.",
        ),
    ],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="DB",
            help=f"The store to score, a SQLite file or {_PG_URL}; it must exist unless --ingest "
            f"(default: {_DEFAULT_DB}).",
        ),
    ] = None,
    ingest_missing: Annotated[
        bool,
        typer.Option(
            "--ingest",
            help="First ingest the gold texts not yet in the store (after any distractors already there), "
            "creating the store if needed.",
        ),
    ] = False,
    as_json: OneJsonOption = False,
) -> None:
    """Report B-cubed precision, recall and F1 of the stored stories and events against gold
    groups, scored on the gold items only."""
    settings = _settings(db)
    store = _open(settings, create=ingest_missing)
    with progress.meter("evaluating clusters", "article") as meter:
        report = service.evaluate_clusters(store, gold, settings, ingest_missing=ingest_missing, on_item=meter)
    if as_json:
        _emit(render.clusters_report_json(report))
    else:
        render.print_clusters_report(report)
