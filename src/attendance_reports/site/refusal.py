"""Why some data gives no site: one line naming what the files hold and what to add (exit 2,
nothing written). Any file with figures makes a site on its own (census absence, LAIT,
in-year attendance, pupil groups, the one-point absence bands, the enrolments missing a
session by reason); lookups, school reference files and documentation do not."""

from __future__ import annotations

from pathlib import Path

from attendance_reports.sources.load import Dataset


def has_figures(dataset: Dataset) -> bool:
    """Whether any page can be made: census, LAIT, in-year, pupil-group, one-point band or
    missed-by-reason rows (the last two: England's and the LAs' pages, SiteData.file_rows)."""
    frames = (dataset.absence, dataset.lait, dataset.inyear, dataset.groups)
    files = (dataset.inyear_groups, dataset.rate_bands, dataset.missed_by_reason)
    return any(len(frame) for frame in (*frames, *files))


def nothing_to_build(dataset: Dataset) -> str:
    """One line: why the data gives no site, and what to add."""
    read = [r for r in dataset.files if not r.skipped and r.population not in ("", "none")]
    if read:
        what = "no figures a page can show among the data"
    else:
        names = ", ".join(
            f"{Path(r.name.split('!')[0]).name} ({r.kind})" for r in dataset.files[:3]
        )
        more = f" and {len(dataset.files) - 3} more" if len(dataset.files) > 3 else ""
        verb = "holds" if len(dataset.files) == 1 else "hold"
        what = f"no figures a page can show: {names}{more} {verb} none"
    return (
        f"{what} — add a DfE pupil absence file (Explore Education Statistics, 'Pupil "
        "absence in schools in England', e.g. --data data for the bundled one); LAIT, "
        "in-year attendance, pupil-group files and lookups are added to it"
    )
