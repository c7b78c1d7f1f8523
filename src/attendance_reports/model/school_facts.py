"""What the site knows about each school and trust, resolved once for every page: names and
places (with the date each is as at), URN changes joined into one series, academy trust
membership, and each school's comparison groups.

Names come from the absence file itself first (newer EES school files carry ``school_name``),
then the most recent reference file (sources/schools.py). A school's page is titled
"Townley Primary School, Wisbech (URN 110630)"; a URN no source names keeps "School URN …".

URN changes: an academy conversion or a re-opening gives a school a new URN. Two URNs in the
data are joined into one series when GIAS links them one to one (the old URN's only successor
is the new URN, as a plain "Successor", and the new URN has no other predecessor) and the new
URN's figures start no earlier than the old URN's last year. The page is the newest URN's;
every other link (mergers, splits, amalgamations) is named on the page and never joined.

Trust membership is the school census table's (January 2023), by URN: a member school counts
for its trust in every year it has figures under that URN. Members whose figures in the data
are all under an earlier URN (they converted after the latest year) are listed, not counted.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from attendance_reports.indicators import school_groups
from attendance_reports.sources.schools import MONTHS, TITLES, SchoolDirectory

SIMILAR = 10  # similar schools per school
LOCAL_MIN = 6  # schools of a phase a district needs to be the local group (else the LA)
PHASES = ("primary", "secondary", "special")
#: words kept in lower case inside a title-cased trust name
SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "by", "de", "la"}
#: short upper-case words that are words, not initials
SHORT_WORDS = {"st", "cam", "ely", "new", "one", "all", "our", "bay", "sea", "sky", "oak", "way"}
SHORT_WORDS |= {"elm", "yew", "key", "sir", "red", "two", "six", "ten", "art", "arc", "bell"}
SHORT_WORDS |= {"ad", "an", "as", "be", "go", "up", "us", "we", "my", "no", "so", "is", "it"}


@dataclass(frozen=True)
class Change:
    """A URN change inside a school's series."""

    year: str  # first academic year under the new URN, e.g. '201920'
    old: str
    new: str
    words: str  # 'became an academy (new URN 145731), May 2018'


@dataclass
class SchoolFacts:
    """The schools and trusts of one site (see the module docstring)."""

    directory: SchoolDirectory = field(default_factory=SchoolDirectory)
    #: index: every school code in the data. label, name, named, town, la_code, la_name,
    #: laestab, phase, phase_label, first, last (time periods), page (the code whose page shows
    #: it), trust (id, '' for none), district_code, district, fsm_percent, place_urn
    info: pd.DataFrame = field(default_factory=pd.DataFrame)
    chains: dict[str, tuple[str, ...]] = field(default_factory=dict)  # page -> URNs, oldest first
    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)  # page -> changes
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # page -> link sentences
    #: index trust id: name (shown), published (as DfE spells it), schools (with figures)
    trusts: pd.DataFrame = field(default_factory=pd.DataFrame)
    membership: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))  # URN -> id
    #: trust, urn (January 2023), earlier (the URN in the data), name: members not counted
    later: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: trust, time_period, phase, schools, at_or_better, compared (overall / persistent)
    at_or_better: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: index urn (latest year): local_key, local_kind, local_place; counts of the school
    comparisons: pd.DataFrame = field(default_factory=pd.DataFrame)
    local_members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    similar: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: index urn (latest year, schools with enough enrolments to compare): sess_overall,
    #: sess_possible, enrolments_pa_10_exact, enrolments
    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: where the comparison schools come from: 'England' when the data has the schools of
    #: every LA of the latest year, else the LAs' names ('Cambridgeshire and Camden')
    scope: str = "England"
    digest: str = ""  # of everything above that pages show
    _members: dict | None = field(default=None, repr=False)  # trust -> URNs, made on first use
    _rows: dict | None = field(default=None, repr=False)  # urn -> info row, made on first use

    def row(self, code: str) -> dict:
        """One school's ``info`` as a dict ({} when unknown): a national plan reads 21,000
        schools' names, and a pandas ``.at`` costs 0.1 ms."""
        if self._rows is None:
            self._rows = self.info.to_dict("index") if len(self.info) else {}
        return self._rows.get(str(code), {})

    def label(self, code: str) -> str:
        """'Townley Primary School, Wisbech (URN 110630)' or 'School URN 123456'."""
        return str(self.row(code).get("label") or f"School URN {code}")

    def page_of(self, code: str) -> str:
        return str(self.row(code).get("page") or code)

    def trust_of(self, code: str) -> str:
        return str(self.membership.get(str(code), ""))

    def members(self, trust: str) -> list[str]:
        """The URNs counted for a trust (with figures under their January 2023 URN)."""
        if self._members is None:
            self._members = {}
            for urn, code in sorted(self.membership.items()):
                self._members.setdefault(code, []).append(urn)
        return list(self._members.get(trust, ()))


def trust_display_name(published: str) -> str:
    """DfE spells most trust names in capitals: 'THE DIOCESE OF ELY MULTI-ACADEMY TRUST' ->
    'The Diocese of Ely Multi-Academy Trust'. Short words without vowels or not known as words
    stay in capitals (initials such as 'UCL', 'CET'); mixed-case names are kept as published."""
    if published != published.upper():
        return published

    def word(match: re.Match, first: bool) -> str:
        text = match.group(0)
        lower = text.lower()
        if not first and lower in SMALL_WORDS:
            return lower
        letters = re.sub(r"[^a-z]", "", lower)
        if lower.strip(".") in SHORT_WORDS | SMALL_WORDS:
            return text[0] + text[1:].lower()
        if len(letters) <= 3 or not re.search(r"[aeiouy]", letters):
            return text  # initials: 'UCL', 'CET'
        return text[0] + text[1:].lower()

    parts = re.split(r"(\s+)", published.strip())
    out = []
    for i, part in enumerate(parts):
        out.append(
            "-".join(
                re.sub(r"[A-Z][A-Z'’.&0-9]*", lambda m, f=(i == 0 and j == 0): word(m, f), piece)
                for j, piece in enumerate(part.split("-"))
            )
        )
    return "".join(out)


def slug(text: str) -> str:
    """'THE CAM ACADEMY TRUST' -> 'the-cam-academy-trust' (for URLs)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ")).strip("-") or "trust"


def month_year(iso: str) -> str:
    """'2018-05-01' -> 'May 2018'."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso or ""):
        return ""
    return f"{MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"


def build(directory: SchoolDirectory, frame: pd.DataFrame, small_numbers: int = 6) -> SchoolFacts:
    """Resolve every school of the tidy absence ``frame`` (its school rows)."""
    schools = frame[(frame["geographic_level"] == "school").to_numpy()] if len(frame) else frame
    if not len(schools):
        return SchoolFacts(directory)
    facts = SchoolFacts(directory)
    facts.info = _info(directory, schools)
    _join_urn_changes(facts, schools)
    _trusts(facts)
    _compare(facts, schools, small_numbers)
    facts.scope = _scope(frame)
    facts.digest = _digest(facts)
    return facts


def _info(directory: SchoolDirectory, schools: pd.DataFrame) -> pd.DataFrame:
    columns = ["code", "name", "time_period", "old_la_code", "la_name", "laestab"]
    rows = schools[[*columns, "phase", "phase_label"]].astype(str)
    span = rows.groupby("code", sort=True)["time_period"].agg(["min", "max"])
    latest = rows.sort_values(["code", "time_period"]).drop_duplicates("code", keep="last")
    latest = latest.set_index("code").reindex(span.index)
    named = rows[rows["name"].str.strip() != ""].sort_values("time_period")
    own = named.drop_duplicates("code", keep="last").set_index("code")
    d = directory.facts
    info = pd.DataFrame(index=span.index)
    info["first"], info["last"] = span["min"], span["max"]
    for column in ("la_name", "laestab", "phase", "phase_label"):
        info[column] = latest[column]
    info["la_code"] = latest["old_la_code"]
    reference_name = d["name"].reindex(info.index).fillna("") if len(d) else ""
    info["name"] = own["name"].reindex(info.index).fillna("")
    info["name_as_at"] = own["time_period"].reindex(info.index).fillna("")
    use_reference = info["name"] == ""
    info.loc[use_reference, "name"] = (
        reference_name[use_reference] if len(d) else info.loc[use_reference, "name"]
    )
    info["town"] = d["town"].reindex(info.index).fillna("") if len(d) else ""
    info["named"] = info["name"].str.strip() != ""
    info["page"] = info.index
    info["trust"] = ""
    info["place_urn"] = info.index  # whose district and FSM % describe the school
    for fact in ("district_code", "district", "fsm_percent"):
        empty = np.nan if fact == "fsm_percent" else ""
        info[fact] = d[fact].reindex(info.index).fillna(empty) if len(d) else empty
    info["label"] = [
        _label(str(u), n, t) for u, n, t in zip(info.index, info["name"], info["town"], strict=True)
    ]
    return info


def _label(urn: str, name: str, town: str) -> str:
    if not name:
        return f"School URN {urn}"
    place = f", {town}" if town and town.lower() not in name.lower() else ""
    return f"{name}{place} (URN {urn})"


def _join_urn_changes(facts: SchoolFacts, schools: pd.DataFrame) -> None:
    info, links, d = facts.info, facts.directory.links, facts.directory.facts
    in_data = set(info.index)
    first, last = info["first"].to_dict(), info["last"].to_dict()
    by_urn: dict[str, list[tuple[str, str, str]]] = {}
    for urn, other, kind, date in zip(
        links["urn"], links["link_urn"], links["link_type"], links["link_date"], strict=True
    ):
        by_urn.setdefault(urn, []).append((other, kind, date))
    succ = {u: [x for x in v if x[1].startswith("Successor")] for u, v in by_urn.items()}
    pred = {u: [x[0] for x in v if x[1].startswith("Predecessor")] for u, v in by_urn.items()}
    names = d["name"].to_dict() if len(d) else {}
    opened = d["open_date"].to_dict() if len(d) else {}
    governance = d["governance"].to_dict() if len(d) else {}
    following: dict[str, str] = {}
    for old, found in succ.items():
        if old not in in_data or len(found) != 1:
            continue
        new, kind, _ = found[0]
        if kind != "Successor" or new not in in_data or pred.get(new, [old]) != [old]:
            continue
        if first[new] < last[old]:
            continue  # the new URN has figures from before the old one ended: not one school
        following[old] = new
    joined_from = {new: old for old, new in following.items()}
    pages = {}
    for head in sorted(u for u in following if u not in joined_from):
        chain = [head]
        while chain[-1] in following and len(chain) < 10:
            chain.append(following[chain[-1]])
        page = chain[-1]
        facts.chains[page] = tuple(chain)
        changes = []
        for old, new in itertools.pairwise(chain):
            date = (
                month_year(opened.get(new, ""))
                or month_year(succ[old][0][2])
                or "date not recorded"
            )
            words = (
                f"became an academy (new URN {new}), {date}"
                if governance.get(new) == "Academy"
                else f"was given a new URN ({new}), {date}"
            )
            changes.append(Change(str(first[new]), old, new, words))
        facts.changes[page] = tuple(changes)
        pages.update(dict.fromkeys(chain, page))
    info["page"] = [pages.get(u, u) for u in info.index]
    # where the school is and how many pupils are eligible for FSM: its own census row, else
    # that of the URN that succeeded it (the same building and pupils, a later date)
    lacking = info.index[(info["fsm_percent"].isna() | (info["district_code"] == "")).to_numpy()]
    later = {
        urn: found[0][0]
        for urn in lacking
        if len(found := succ.get(urn, [])) == 1
        and found[0][1] == "Successor"
        and found[0][0] in d.index
    }
    if later:
        olds, news = list(later), list(later.values())
        for fact in ("district_code", "district", "fsm_percent"):
            info.loc[olds, fact] = d[fact].reindex(news).to_numpy()
        info.loc[olds, "place_urn"] = news
    trusts = d["trust"].to_dict() if len(d) else {}
    for page in sorted(set(info["page"])):
        chain = facts.chains.get(page, (page,))
        mine = [(u, *x) for u in chain for x in by_urn.get(u, []) if x[0] not in chain]
        if mine:
            facts.notes[page] = _link_notes(chain, mine, names, trusts, in_data)


def _link_notes(
    chain: tuple[str, ...], links: list[tuple[str, str, str, str]], names, trusts, in_data
) -> tuple[str, ...]:
    """Sentences about GIAS links of a page's URNs that are not joined into its series
    (``links``: urn, linked URN, link type, date)."""
    out = []
    for urn, other, kind, link_date in sorted(links, key=lambda x: (x[3], x[1]))[:6]:
        name = names.get(other, "")
        who = f"URN {other}" + (f", {name}" if name else "")
        date = month_year(link_date)
        when = f" ({date})" if date else ""
        if urn == chain[-1] and kind == "Successor" and other not in in_data:
            trust = trusts.get(other, "")
            text = f"After the latest figures here, the school was succeeded by {who}{when}"
            if trust:
                text += (
                    f", which in January 2023 was in {trust_display_name(trust)}; the figures "
                    "on this page are from before it joined that trust"
                )
            out.append(text + ".")
        else:
            out.append(
                f"GIAS links URN {urn} to {who} ({kind.lower()}{', ' + date if date else ''}): "
                "their figures are not joined to this school's."
            )
    return tuple(out)


def _trusts(facts: SchoolFacts) -> None:
    d, info = facts.directory.facts, facts.info
    if not len(d):
        facts.trusts = pd.DataFrame(columns=["name", "published", "schools"])
        return
    census = [
        i for i, o in enumerate(facts.directory.origins) if o.title == TITLES["school-census"]
    ]
    rows = d[(d["trust"] != "") & d["trust__from"].isin(census)]
    published = sorted(set(rows["trust"]))
    ids, used = {}, set()
    for name in published:
        base = slug(name)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        ids[name] = candidate
    member = rows[rows.index.isin(info.index)]
    facts.membership = pd.Series(
        [ids[t] for t in member["trust"]], index=member.index.astype(str), dtype=object
    )
    info.loc[facts.membership.index, "trust"] = facts.membership.to_numpy()
    # members whose figures in the data are under an earlier URN: listed, never counted
    links = facts.directory.links
    earlier = links[
        links["link_type"].str.startswith("Predecessor") & links["link_urn"].isin(info.index)
    ]
    outside = rows[~rows.index.isin(info.index)]
    later = earlier[earlier["urn"].isin(outside.index)]
    facts.later = pd.DataFrame(
        {
            "trust": [ids[t] for t in outside["trust"].reindex(later["urn"])],
            "urn": later["urn"].to_numpy(),
            "earlier": later["link_urn"].to_numpy(),
            "name": outside["name"].reindex(later["urn"]).to_numpy(),
        },
        columns=["trust", "urn", "earlier", "name"],
    )
    counted = facts.membership.value_counts()
    keep = sorted(set(counted.index) | set(facts.later["trust"]))
    by_id = {v: k for k, v in ids.items()}
    facts.trusts = pd.DataFrame(
        {
            "name": [trust_display_name(by_id[t]) for t in keep],
            "published": [by_id[t] for t in keep],
            "schools": [int(counted.get(t, 0)) for t in keep],
        },
        index=pd.Index(keep, name="id"),
    )


def _compare(facts: SchoolFacts, schools: pd.DataFrame, small_numbers: int) -> None:
    """Each school's local group and similar schools, in the latest year."""
    year = str(max(schools["time_period"].astype(str)))
    rows = schools[(schools["time_period"].astype(str) == year).to_numpy()]
    counts = pd.DataFrame(
        {
            column: pd.to_numeric(rows[column], errors="coerce").to_numpy()
            if column in rows.columns
            else np.nan
            for column in school_groups.SUMMED
        },
        index=rows["code"].astype(str).to_numpy(),
    )
    counts = counts[~counts.index.duplicated()]
    counts = counts[counts["enrolments"] >= max(small_numbers, 1)]
    info = facts.info.reindex(counts.index)
    frame = pd.DataFrame(
        {
            "phase": info["phase"].to_numpy(),
            "district_code": info["district_code"].fillna("").astype(str).to_numpy(),
            "district": info["district"].fillna("").astype(str).to_numpy(),
            "la_code": info["la_code"].astype(str).to_numpy(),
            "la_name": info["la_name"].astype(str).to_numpy(),
            "fsm_percent": pd.to_numeric(info["fsm_percent"], errors="coerce").to_numpy(),
            "enrolments": counts["enrolments"].to_numpy(),
        },
        index=counts.index,
    )
    frame = frame[frame["phase"].isin(PHASES)]
    key, kind, place = school_groups.local_groups(frame, LOCAL_MIN)
    facts.local_members = {
        k: tuple(sorted(g.index)) for k, g in key.groupby(key, sort=True) if len(g)
    }
    facts.similar = school_groups.similar_schools(frame, SIMILAR)
    facts.counts = counts
    out = pd.DataFrame({"local_key": key, "local_kind": kind, "local_place": place})
    out["year"] = year
    for prefix, groups in (
        ("local", {u: facts.local_members[k] for u, k in key.items()}),
        ("similar", {u: facts.similar.get(u, ()) for u in frame.index}),
    ):
        columns = _group_figures(counts, groups, small_numbers)
        for name, values in columns.items():
            out[f"{prefix}_{name}"] = pd.Series(values).reindex(out.index).to_numpy()
    facts.comparisons = out


def _scope(frame: pd.DataFrame) -> str:
    """'England' when the latest year has school rows for every LA with LA rows; else the
    names of the LAs with schools ('Cambridgeshire and Camden'), or how many there are."""
    year = str(max(frame["time_period"].astype(str)))
    latest = frame[(frame["time_period"].astype(str) == year).to_numpy()]
    level = latest["geographic_level"].astype(str)
    las = set(latest["la_name"][level == "la"].astype(str))
    named = sorted(set(latest["la_name"][level == "school"].astype(str)))
    if not named or len(named) >= len(las):
        return "England"
    if len(named) == 1:
        return named[0]
    if len(named) <= 3:
        return ", ".join(named[:-1]) + " and " + named[-1]
    return f"the {len(named)} local authorities in these figures"


def _group_figures(
    counts: pd.DataFrame, groups: dict[str, tuple[str, ...]], small: int
) -> dict[str, dict]:
    """For each school: its group's size, overall and persistent absence rates (ratio of sums,
    the small-number policy applied) and how many of the other members had higher, the same
    or lower overall absence."""
    position = {u: i for i, u in enumerate(counts.index)}
    arrays = [counts[c].to_numpy(dtype="float64") for c in school_groups.SUMMED]
    rates = arrays[0] / arrays[1] * 100
    out: dict[str, dict] = {
        k: {}
        for k in (
            "schools",
            "overall",
            "overall_status",
            "persistent",
            "persistent_status",
            "higher",
            "same",
            "lower",
        )
    }
    cache: dict[int, tuple] = {}  # a local group's members are one tuple shared by them all
    for urn, members in groups.items():
        if id(members) not in cache:
            at = np.array([position[m] for m in members if m in position], dtype="int64")
            cache[id(members)] = (at, school_groups.group_sums(arrays, at))
        at, (missed, possible, absentees, enrolments, n) = cache[id(members)]
        out["schools"][urn] = n
        ok = n > 0 and possible > 0 and enrolments >= small
        out["overall"][urn] = missed / possible * 100 if ok else np.nan
        out["overall_status"][urn] = "ok" if ok else "suppressed" if n else "not-available"
        hidden = not ok or 0 < absentees < small or absentees != absentees
        out["persistent"][urn] = absentees / enrolments * 100 if not hidden else np.nan
        out["persistent_status"][urn] = (
            "ok" if not hidden else "suppressed" if n else "not-available"
        )
        mine = position.get(urn, -1)
        others = rates[at[at != mine]]
        higher, same, lower = school_groups.position(rates[mine] if mine >= 0 else np.nan, others)
        out["higher"][urn], out["same"][urn], out["lower"][urn] = higher, same, lower
    return out


def _digest(facts: SchoolFacts) -> str:
    parts = [
        pd.util.hash_pandas_object(facts.info.astype(str), index=True).sum(),
        sorted(facts.chains.items()),
        sorted((k, [c.words for c in v]) for k, v in facts.changes.items()),
        sorted(facts.notes.items()),
        pd.util.hash_pandas_object(facts.trusts.astype(str), index=True).sum(),
        sorted(facts.similar.items()),
        sorted(facts.local_members.items()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
