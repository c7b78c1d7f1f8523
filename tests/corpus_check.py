"""The real-file corpus check (tests/test_corpus.py, `make corpus`): every file of a folder of
DfE data, on its own, through the commands a user runs.

``check_corpus(folder)`` validates each file alone and returns the problems: a command that
did not exit 0, or a file no source module recognised (``unknown``). ``build_alone`` builds a
site from some files; ``page_text`` gives a built page's text for wording checks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from attendance_reports.cli import main

#: kinds validate prints for a file no source module recognised
UNKNOWN_KINDS = ("unknown", "time-series (unknown measures)")
LINE = re.compile(r"^(ok|skipped)\s+(?P<name>.+?): (?P<rest>.*)$")


@dataclass(frozen=True)
class Checked:
    path: Path
    exit_code: int
    output: str
    #: family (kind) validate named for each file it reported
    kinds: tuple[str, ...]
    skipped: bool

    @property
    def problem(self) -> str:
        first = self.output.strip().splitlines()[-1] if self.output.strip() else "no output"
        if self.exit_code != 0 and re.search(
            r"not a (recognised DfE layout|file this tool reads)", first
        ):
            return f"{self.path}: no source module recognises it: {first}"
        if self.exit_code != 0:
            return f"{self.path}: validate exited {self.exit_code}: {first}"
        if not self.kinds:
            return f"{self.path}: validate named no family: {first}"
        unknown = [k for k in self.kinds if k in UNKNOWN_KINDS]
        if unknown:
            return f"{self.path}: no source module recognises it ({unknown[0]})"
        return ""


def corpus_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (documentation and shapefile parts included), sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _kind(rest: str, skipped: bool) -> str:
    if skipped:
        match = re.search(r"\(([^()]*(?:\([^()]*\))?[^()]*)\)$", rest)
        return match.group(1) if match else ""
    return rest.split(",", 1)[0]


def validate_file(path: Path) -> Checked:
    """``attendance-reports validate FILE`` in-process: exit code, output, the families named."""
    result = CliRunner().invoke(main, ["validate", str(path)])
    kinds, skipped = [], False
    for line in result.output.splitlines():
        match = LINE.match(line)
        if match:
            is_skip = match.group(1) == "skipped"
            skipped = skipped or is_skip
            kinds.append(_kind(match.group("rest"), is_skip))
    return Checked(path, result.exit_code, result.output, tuple(kinds), skipped)


def check_corpus(folder: Path, files: list[Path] | None = None) -> list[str]:
    """Validate every file of ``folder`` alone; the problems found (empty: all recognised)."""
    return [c.problem for c in map(validate_file, files or corpus_files(folder)) if c.problem]


def build_alone(
    paths: list[Path], out: Path, config: Path, las: tuple[str, ...] = ()
) -> tuple[int, str]:
    """``attendance-reports build --data P... --la L... --out OUT --engine pandoc``."""
    args = ["build", "--config", str(config), "--out", str(out), "--engine", "pandoc"]
    for path in paths:
        args += ["--data", str(path)]
    for la in las:
        args += ["--la", la]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def page_text(page: Path) -> str:
    """A built page's visible text (tags removed, entities decoded, spaces collapsed)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(), flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text)


def write_config(folder: Path) -> Path:
    """A site.yml for corpus builds: school pages on, pandoc."""
    path = folder / "corpus-site.yml"
    path.write_text("title: Corpus check\nschools: true\nengine: pandoc\n")
    return path
