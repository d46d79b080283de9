"""Rendering knowledge-base steps and fixes into the report's plain strings, in one language."""

from __future__ import annotations

from ..kb.schema import Entry

_IF = {"en": "if", "zh": "若"}
_GOTO = {"en": "go to step", "zh": "转到步骤"}
_RUN = {"en": "Run", "zh": "执行"}
_READ = {"en": "read", "zh": "查看"}
_CAUSE = {"en": "cause", "zh": "原因"}


def render_steps(entry: Entry, lang: str) -> list[str]:
    """One string per decision step: the command, the field to read, each outcome."""
    lang = "zh" if lang == "zh" else "en"
    out: list[str] = []
    for i, step in enumerate(entry.steps, 1):
        if step.command.startswith("check"):
            head = f"{i}. {step.read.get(lang)}"
        else:
            head = f"{i}. {_RUN[lang]} `{step.command}`; {_READ[lang]}: {step.read.get(lang)}"
        parts = [head]
        for o in step.outcomes:
            s = f"{_IF[lang]} {o.when.get(lang)} -> {o.then.get(lang)}"
            if o.cause:
                s += f" [{_CAUSE[lang]}: {o.cause}]"
            if o.goto:
                s += f" ({_GOTO[lang]} {o.goto})"
            parts.append(s)
        out.append("\n   - ".join(parts))
    return out


def render_fix(entry: Entry, cause: str, lang: str) -> list[str]:
    """Fix blocks of ``entry`` for ``cause``: the commands in order, then the note."""
    out: list[str] = []
    for f in entry.fix:
        if f.cause != cause:
            continue
        text = "\n".join(f.commands)
        if f.note is not None:
            text += f"\n# {f.note.get(lang)}"
        out.append(text)
    return out
