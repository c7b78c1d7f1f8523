"""DfE's spellings of pupil groups -> stable (topic, group) ids, and the groups' display names.

DfE has written the same group many ways: ``FSM_eligible`` (2016/17 characteristics file),
``FSM: FSM eligible`` (newer ``breakdown_topic`` / ``breakdown`` files), ``Eligible`` under an
``fsm_eligible`` column (the absence-bands file); ``Gypsy/Roma``, ``Gypsy / Roma``, ``Gypsy,
Roma``, ``Gypsy_Roma``; ``Statement or EHCP``, ``EHC plan``, ``With statement``. ``classify``
reads them all from one lower-cased slug; anything it does not recognise is left out of the
group pages (never guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from attendance_reports.sources.read import normalise_name

#: the combined Gypsy, Roma and Traveller group and its parts (summed: a ratio of sums)
GRT_PARTS = ("gypsy_roma", "traveller_irish")


@dataclass(frozen=True)
class GroupDef:
    """A pupil group shown on the group pages and the group it is compared with."""

    topic: str  # 'fsm', 'sen', 'language', 'ethnicity', 'sex', 'year'
    group: str  # id within the topic
    label: str  # as shown on pages
    comparison: str  # group id within the topic, or 'all' (all pupils)
    comparison_label: str  # in a table: 'not eligible'
    comparison_text: str = "all pupils"  # in a sentence: 'pupils not eligible for free …'


#: every group the pages show, in display order
GROUPS: tuple[GroupDef, ...] = (
    GroupDef(
        "fsm",
        "eligible",
        "Eligible for free school meals",
        "not_eligible",
        "not eligible",
        "pupils not eligible for free school meals",
    ),
    *(
        GroupDef("sen", g, label, "no_sen", "no identified SEN", "pupils with no identified SEN")
        for g, label in (
            ("any_sen", "Any special educational needs"),
            ("ehcp", "EHC plan or statement"),
            ("sen_support", "SEN support"),
        )
    ),
    GroupDef(
        "language",
        "eal",
        "First language other than English",
        "english",
        "English",
        "pupils whose first language is English",
    ),
    GroupDef("ethnicity", "grt", "Gypsy, Roma and Traveller", "all", "all pupils"),
    GroupDef("ethnicity", "gypsy_roma", "Gypsy/Roma", "all", "all pupils"),
    GroupDef("ethnicity", "traveller_irish", "Traveller of Irish heritage", "all", "all pupils"),
    GroupDef("sex", "male", "Boys", "female", "girls", "girls"),
    *(GroupDef("year", f"year_{n}", f"Year {n}", "all", "all pupils") for n in range(1, 12)),
    GroupDef("social_care", "cin", "Children in need", "all", "all pupils"),
    GroupDef("social_care", "cpp", "On a child protection plan", "all", "all pupils"),
    GroupDef("social_care", "cla", "Looked after for 12 months or more", "all", "all pupils"),
)

GROUP_BY_ID: dict[tuple[str, str], GroupDef] = {(g.topic, g.group): g for g in GROUPS}

TOPIC_LABELS: dict[str, str] = {
    "fsm": "Free school meals",
    "sen": "Special educational needs (SEN)",
    "language": "First language",
    "ethnicity": "Gypsy, Roma and Traveller pupils",
    "sex": "Sex",
    "year": "Year group",
    "social_care": "Children in need and children looked after",
}

_RULES: tuple[tuple[str, str, str], ...] = (
    # (pattern on the slug, topic, group); the first match wins
    (r"(fsm|free_school_meal).*(last_6|ever_6|6_years)", "", ""),  # a different measure
    (r"(fsm|free_school_meal).*(not_eligible|not_known_to_be_eligible)", "fsm", "not_eligible"),
    (r"(fsm|free_school_meal).*unclassified", "fsm", "unclassified"),
    (r"(fsm|free_school_meal).*eligible", "fsm", "eligible"),
    (r"first_language.*(other_than_english|not_english)", "language", "eal"),
    (r"first_language.*unclassified", "language", "unclassified"),
    (r"first_language.*english", "language", "english"),
    (r"sen_primary_need|sen_secondary_need", "", ""),
    (r"(^|_)(sen|special_educational).*(no_identified|no_sen|no_special)", "sen", "no_sen"),
    (r"(^|_)(sen|special_educational).*unclassified", "sen", "unclassified"),
    (r"(^|_)(sen|special_educational).*(statement|ehc)", "sen", "ehcp"),
    (r"(^|_)(sen|special_educational).*sen_support", "sen", "sen_support"),
    (r"(^|_)(sen|special_educational).*(any|with_sen)", "sen", "any_sen"),
    (r"^(any_special_educational_need|any_sen)$", "sen", "any_sen"),
    (r"gypsy.*roma", "ethnicity", "gypsy_roma"),
    (r"traveller.*irish", "ethnicity", "traveller_irish"),
    (r"(gender|sex).*(^|_)(female|girls?)$", "sex", "female"),
    (r"(gender|sex).*(^|_)(male|boys?)$", "sex", "male"),
    (r"(gender|sex).*unclassified", "sex", "unclassified"),
    (r"(nc_year|year_group|ncyearactual)(_year)?_(?P<n>\d{1,2})$", "year", "year_{n}"),
    # children's social care (DfE: 'CINO at 31 March', 'CPPO at 31 March', 'CLA 12 months at
    # 31 March'; older and newer releases spell them out)
    (r"(^|_)(cla|looked_after)(_|$)", "social_care", "cla"),
    (r"(^|_)(cppo?|child_protection)(_|$)", "social_care", "cpp"),
    (r"(^|_)(cino?|children?_in_need)(_|$)", "social_care", "cin"),
)
_COMPILED = tuple((re.compile(p), t, g) for p, t, g in _RULES)


def describe(topic: str, group: str) -> str:
    """A group in a sentence: 'pupils eligible for free school meals', 'boys',
    'pupils in Year 7', 'pupils with an EHC plan or statement'."""
    label = GROUP_BY_ID[(topic, group)].label
    if topic == "sex":
        return label.lower()
    if topic == "year":
        return f"pupils in {label}"
    if topic == "social_care":
        return {
            "cin": "children in need (not on a child protection plan or looked after)",
            "cpp": "children on a child protection plan (not looked after)",
            "cla": "children looked after for 12 months or more",
        }[group]
    if group == "ehcp":
        return "pupils with an EHC plan or statement"
    if group == "grt":
        return "Gypsy, Roma and Traveller pupils"
    if group in ("gypsy_roma", "traveller_irish"):
        return f"{label} pupils"
    text = label[0].lower() + label[1:]
    if text.startswith(("eligible", "first language")):
        return f"pupils {text}" if text.startswith("eligible") else f"pupils whose {text}"
    return f"pupils with {text}"


def classify(text: str) -> tuple[str, str] | None:
    """(topic, group) for a DfE label such as 'FSM_eligible', 'FSM: FSM eligible',
    'Ethnicity Minor: Gypsy / Roma' or 'NC_Year_7'; None when it is not a group the pages
    show (ethnic groups other than GRT, SEN primary need, FSM in the last 6 years, …)."""
    name = normalise_name(text)
    for pattern, topic, group in _COMPILED:
        match = pattern.search(name)
        if match:
            if not topic:
                return None
            if "{n}" in group:
                year = int(match.group("n"))
                return (topic, f"year_{year}") if 1 <= year <= 11 else None
            return topic, group
    return None
