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
from attendance_reports.sources.contract import PERIOD_TYPES, POPULATIONS, SCHOOLS

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
    #: the pupils (``POPULATIONS`` id) and period types (``PERIOD_TYPES`` id, or "mixed")
    #: validate said each file covers
    populations: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()

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


#: validate's words for a population and a period type -> their ids
_POPULATION_IDS = {words: key for key, words in POPULATIONS.items()}
_PERIOD_IDS = {words: key for key, words in PERIOD_TYPES.items()} | {"mixed periods": "mixed"}


def validate_file(path: Path) -> Checked:
    """``attendance-reports validate FILE`` in-process: exit code, output, the families named,
    and the pupils and period each file covers as validate says them (``… — WHO; WHEN``)."""
    result = CliRunner().invoke(main, ["validate", str(path)])
    kinds, skipped, populations, periods = [], False, [], []
    for line in result.output.splitlines():
        match = LINE.match(line)
        if match:
            is_skip = match.group(1) == "skipped"
            skipped = skipped or is_skip
            kinds.append(_kind(match.group("rest"), is_skip))
            if not is_skip and " — " in line:
                who, _, when = line.rsplit(" — ", 1)[1].partition("; ")
                populations.append(_POPULATION_IDS[who])
                periods.append(_PERIOD_IDS[when])
    return Checked(
        path,
        result.exit_code,
        result.output,
        tuple(kinds),
        skipped,
        tuple(populations),
        tuple(periods),
    )


def wording_problems(checked: Checked, site: Path) -> list[str]:
    """What a site built from ``checked``'s file alone says of its pupils and period, against
    what validate said the file covers: its England and LA pages name the file's schools
    (``SCHOOLS``; a children-in-need file its cohorts) and never the state-funded census
    population unless the file is of it (a cohort file compares with all pupils of those
    schools, as published); a file of the autumn and spring terms is named so."""
    pages = [site / "national.html", *sorted((site / "la").glob("*.html"))]
    text = " ".join(page_text(p) for p in pages if p.exists())
    problems = []
    for population in set(checked.populations) - {"none"}:
        words = "children in need" if population == "children-in-need" else SCHOOLS[population]
        if words not in text:
            problems.append(f"no page names the file's pupils ({words!r})")
    # a cohort file compares its groups with all pupils of state-funded schools, as published
    others = set(checked.populations) - {"state-funded", "children-in-need", "none"}
    census = SCHOOLS["state-funded"]
    if others and "state-funded" not in checked.populations and census in text:
        problems.append(f"a page calls the figures those of {census!r}")
    if "autumn-spring" in checked.periods and "autumn and spring terms" not in text:
        problems.append("no page says the figures are of the autumn and spring terms")
    return problems


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


def write_config(folder: Path, schools: bool = True) -> Path:
    """A site.yml for corpus builds: pandoc, school pages on (off for a build that checks
    only England's and the LAs' pages)."""
    path = folder / "corpus-site.yml"
    path.write_text(f"title: Corpus check\nschools: {str(schools).lower()}\nengine: pandoc\n")
    return path
