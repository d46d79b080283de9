"""The ``ipsec-doctor`` command line (typer).  Thin: read inputs, call the engine, print.

Exit status (``../shared/spec``): 0 when the evidence was analysed, whatever was found; 2 for
unusable input or arguments, with a one-line message on stderr; 3 for an internal error (also
one line, never a traceback).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from .model import Report

T = TypeVar("T")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Diagnose IPsec VPN failures from pasted device evidence.",
    pretty_exceptions_enable=False,
)


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class Fmt(str, Enum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"


def _fail(message: str, code: int = 2) -> NoReturn:
    from .redact import redact

    sys.stderr.write(f"ipsec-doctor: {redact(message)}\n")
    raise typer.Exit(code)


def _guarded(work: Callable[[], T]) -> T:
    """Run ``work``; unusable input and anything unexpected become a one-line message and the
    spec's exit status (2 input, 130 interrupted, 3 internal), never a traceback.  ``work``
    must not call ``_fail`` itself (``typer.Exit`` is an ``Exception``)."""
    from .errors import InputError

    try:
        return work()
    except InputError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except MemoryError:
        _fail("out of memory", 3)
    except Exception as exc:  # never a traceback
        _fail(f"internal error: {type(exc).__name__}: {exc}", 3)


def _write(out: str) -> None:
    try:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        pass


@app.command()
def diagnose(
    files: Annotated[
        list[str] | None, typer.Argument(help="Evidence files; '-' reads stdin.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the JSON report.")] = False,
    fmt: Annotated[
        Fmt, typer.Option("--format", help="terminal, json or markdown.")
    ] = Fmt.terminal,
    lang: Annotated[Lang, typer.Option("--lang", help="Report language.")] = Lang.en,
    width: Annotated[int, typer.Option("--width", help="Terminal report width.")] = 100,
    color: Annotated[bool, typer.Option("--color/--no-color", help="Colour output.")] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Ask for the next output one at a time (paste, Ctrl-D)."
        ),
    ] = False,
) -> None:
    """Read evidence (CLI pastes, logs, debug output) and report the likely root causes."""
    files = files or []
    if interactive:
        _interactive(files, lang.value, json_out or fmt is Fmt.json, width, color)
        return
    if not files:
        _fail("give at least one evidence file, or '-' for stdin (or --interactive)")
    from .diagnose.engine import aggregate
    from .diagnose.engine import diagnose as run
    from .ingest.reader import open_source
    from .ingest.scan import ScanStats, scan_chunks
    from .kb import load

    if files.count("-") > 1:
        _fail("stdin ('-') can be given only once")

    def work() -> Report:
        kb = load()
        import gc

        gc.freeze()  # the KB and parser tables live for the whole run: keep them out of GC scans
        stats = ScanStats()
        agg = None
        sources = [open_source(f) for f in files]
        for src in sources:
            part = aggregate(scan_chunks(src.chunks, src.name, mode=src.mode, stats=stats), kb)
            agg = part if agg is None else agg.merge(part)
        report = run(agg, lang=lang.value, sources=[s.name for s in sources])
        report.lines_read = stats.lines
        return report

    report = _guarded(work)
    if json_out or fmt is Fmt.json:
        from .report.json import render as render_json

        out = render_json(report)
    elif fmt is Fmt.markdown:
        from .report.markdown import render as render_md

        out = render_md(report)
    else:
        from .report.terminal import render as render_term

        out = render_term(report, width=width, color=color)
    _write(out)


def _interactive(files: list[str], lang: str, as_json: bool, width: int, color: bool) -> None:
    from .errors import InputError
    from .ingest.reader import open_source, read_all
    from .interactive import run

    if "-" in files:
        _fail("--interactive reads pastes from stdin; give files, not '-'")

    def load_initial() -> list[tuple[str, str]]:
        initial = []
        for f in files:
            src = open_source(f)
            if src.mode == "capture":
                raise InputError(
                    f"{src.name}: a packet capture; diagnose it without --interactive"
                )
            if src.mode != "full":  # held in memory and read again after every paste
                raise InputError(
                    f"{src.name}: over 16 MB, too large for --interactive; diagnose it without "
                    "--interactive, then paste what 'collect next' asks for"
                )
            initial.append((src.name, read_all(src)))
        return initial

    initial = _guarded(load_initial)

    def read() -> str:
        try:
            return sys.stdin.read()
        except (EOFError, KeyboardInterrupt):
            return ""

    def write(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    report = run(read, write, initial, lang=lang)
    if as_json:
        from .report.json import render as render_json

        write(render_json(report))
    else:
        from .report.terminal import render as render_term

        write(render_term(report, width=width, color=color))


@app.command()
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Two peers' configurations, or a folder of configurations (fleet)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the JSON report.")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Report language.")] = Lang.en,
    width: Annotated[int, typer.Option("--width", help="Terminal report width.")] = 100,
    color: Annotated[bool, typer.Option("--color/--no-color", help="Colour output.")] = False,
) -> None:
    """Predict, from both peers' configurations, whether each tunnel will negotiate.

    Exit status: 0 every tunnel establishes and passes traffic, 1 at least one fails (or no
    tunnel could be paired), 2 unusable input.
    """
    paths = paths or []
    if not paths:
        _fail("give two configuration files, or a folder of configurations")
    if paths.count("-") > 1:
        _fail("stdin ('-') can be given only once")
    from .check.build import build
    from .check.load import load_paths

    devices, skipped = _guarded(lambda: load_paths(paths))
    if not devices:
        _fail("no configuration of a supported vendor found")
    if not any(d.tunnels for d in devices):
        _fail("no IPsec tunnel is configured in the given configurations")
    report = _guarded(lambda: build(devices, skipped, lang=lang.value))
    if json_out:
        from .report.json import render as render_json

        out = render_json(report)
    else:
        from .report.check_terminal import render as render_check

        out = render_check(report, width=width, color=color)
    _write(out)
    raise typer.Exit(0 if report.tunnels and report.all_ok else 1)


@app.command()
def explain(
    reason: Annotated[
        str, typer.Argument(help="A vendor reason, e.g. 'phase1 proposal mismatch'.")
    ],
    vendor: Annotated[str, typer.Option(help="Vendor of the wording.")] = "huawei",
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.en,
) -> None:
    """Look up one vendor reason in the knowledge base."""
    from .diagnose.explain import render_fix, render_steps
    from .kb import load

    kb = load()
    e = kb.lookup(vendor, reason)
    if e is None:
        _fail(f"{reason!r}: not in the {vendor} knowledge base")
    L = lang.value
    lines = [f"{e.title.get(L)}  [{e.id}]", e.explanation.get(L), ""]
    lines += [f"cause {c.id} (weight {c.weight})" for c in e.causes]
    lines += ["", *render_steps(e, L)]
    for c in e.causes:
        lines += render_fix(e, c.id, L)
    sys.stdout.write("\n".join(lines) + "\n")


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - last resort, never a traceback
        sys.stderr.write(f"ipsec-doctor: internal error: {type(exc).__name__}\n")
        sys.exit(3)


if __name__ == "__main__":  # pragma: no cover
    main()
