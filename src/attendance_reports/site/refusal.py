"""Why some data gives no site: one line naming what the files hold and what to add (exit 2,
nothing written). Any file with figures makes a site on its own (census absence, LAIT,
in-year attendance, pupil groups); lookups, school reference files and documentation do not,
nor do the one-point absence bands and the enrolments missing a session by reason, which are
shown beside census figures."""

from __future__ import annotations

from pathlib import Path

from attendance_reports.sources.load import Dataset


def has_figures(dataset: Dataset) -> bool:
    """Whether any page can be made: census, LAIT, in-year or pupil-group rows."""
    frames = (dataset.absence, dataset.lait, dataset.inyear, dataset.groups)
    return any(len(frame) for frame in (*frames, dataset.inyear_groups))


def nothing_to_build(dataset: Dataset) -> str:
    """One line: why the data gives no site, and what to add."""
    read = [r for r in dataset.files if not r.skipped and r.population not in ("", "none")]
    if len(dataset.rate_bands) or len(dataset.missed_by_reason):
        what = (
            "enrolments by one-point absence band and enrolments missing a session by reason "
            "are shown beside census figures, on England's and the LAs' pages"
        )
    elif read:
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
