"""Submitting: each NRM referral (and Duty to Notify) as answers in the Home Office online form's
order, ready to copy one by one, and the reference and date the Lead records once it is sent.
Until then the referral shows as "not yet submitted" with how long it has waited."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel

from fieldkit.errors import InvalidInput
from fieldkit.pdf import values as v
from fieldkit.store import Store
from forms import KINDS, DutyToNotify, Form, NrmReferral
from forms.form import FormSection
from forms.kinds import KIND_TITLES
from sync.desk.received import ReceivedCase, form_model, load_all, load_case, senders
from sync.desk.tracker import (
    NOT_SUBMITTED_DUE,
    DueItem,
    EventKind,
    Outcome,
    RecordedEvent,
    Referral,
    as_submitted,
    check_event,
    events,
    latest,
    record_event,
    referral,
    referrals_of,
)

COUNTRY_FIELDS = frozenset({"nationalities", "nationality", "country"})
LANGUAGE_FIELDS = frozenset({"languages", "booklet_language", "interpreter_language", "language",
                             "interpreter_languages"})
SKIPPED = frozenset({"schema_version"})


@dataclass(frozen=True)
class Answer:
    """One question of the online form and the answer to paste into it."""

    question: str
    answer: str


@dataclass(frozen=True)
class PortalSection:
    """A section of the online form, in its order."""

    title: str
    answers: list[Answer]


def _text(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return v.yes_no(value)
    if isinstance(value, StrEnum):
        return v.choice(value)
    if isinstance(value, datetime):
        return v.moment(value)  # the officer's times kept (a visit's start and end, actions)
    if isinstance(value, date):
        return v.day(value)
    if isinstance(value, list):
        if name in COUNTRY_FIELDS:
            return v.countries(value)
        if name in LANGUAGE_FIELDS:
            return v.languages(value)
        if name.endswith(("indicator_ids", "indicators_ticked", "setup_ticked")):  # words
            return "; ".join(v.item_text(item) for item in value)
        return ", ".join(_text(name, item) for item in value)
    if name in COUNTRY_FIELDS:
        return v.country(str(value))
    if name in LANGUAGE_FIELDS:
        return v.language(str(value))
    return str(value)


def _answers(model: BaseModel, prefix: str = "") -> list[Answer]:
    found: list[Answer] = []
    for name, info in type(model).model_fields.items():
        if name in SKIPPED:
            continue
        value = getattr(model, name)
        title = prefix + (info.title or name)
        if isinstance(value, FormSection):
            found += _answers(value, f"{title}: " if prefix else "")
        elif isinstance(value, list) and value and isinstance(value[0], FormSection):
            for number, item in enumerate(value, start=1):
                found += _answers(item, f"{title} {number}: ")
        else:
            found.append(Answer(title, _text(name, value)))
    return found


def portal_sections(form: Form) -> list[PortalSection]:
    """The form's answers, section by section, in the order of the Home Office online form."""
    if not isinstance(form, NrmReferral | DutyToNotify):
        raise TypeError("Only an NRM referral or a Duty to Notify is submitted online")
    sections = form_sections(form)
    if isinstance(form, NrmReferral) and form.where_found.encountered_on is not None \
            and not form.obligations(form.where_found.encountered_on).ask_consent:
        # A child (or possibly a child) is referred without consent: the officer's form hides
        # the section; "Consent: Not asked yet" here read as something still to do.
        title = NrmReferral.model_fields["consent"].title
        sections = [PortalSection(section.title, [Answer(
            section.title, "Not needed: a child (or possibly a child) is referred without "
            "consent")]) if section.title == title else section for section in sections]
    return sections


def form_sections(form: Form) -> list[PortalSection]:
    """Any form's answers, section by section, in the order its fields are declared (for the
    NRM and the Duty to Notify, the order of the online form)."""
    sections: list[PortalSection] = []
    loose: list[Answer] = []
    for name, info in type(form).model_fields.items():
        if name in SKIPPED:
            continue
        value = getattr(form, name)
        title = info.title or name
        if isinstance(value, FormSection):
            sections.append(PortalSection(title, _answers(value)))
        elif isinstance(value, list) and value and isinstance(value[0], FormSection):
            answers = []
            for number, item in enumerate(value, start=1):
                answers += _answers(item, f"{number}: ")
            sections.append(PortalSection(title, answers))
        elif isinstance(value, list) and not value and name in ("dependants", "exploiters"):
            sections.append(PortalSection(title, [Answer(title, "None recorded")]))
        else:
            loose.append(Answer(title, _text(name, value)))
            if not sections or sections[-1].title != "":
                sections.append(PortalSection("", []))
            sections[-1].answers.append(loose[-1])
    return _name_loose(sections, _kind_title(form))


def _kind_title(form: Form) -> str:
    return next((KIND_TITLES[kind] for kind, model in KINDS.items() if isinstance(form, model)),
                "Details")


def _name_loose(sections: list[PortalSection], form_title: str) -> list[PortalSection]:
    """Top-level answers between sections: one alone takes its question as the title; several
    take the form's own ("Duty to Notify"), not the first one's question (a heading "Date the
    person was found" over the risk, gender and nationality read wrong)."""
    named: list[PortalSection] = []
    for section in sections:
        if not section.title:
            title = section.answers[0].question if len(section.answers) == 1 else form_title
            if title == form_title and any(n.title == form_title for n in named):
                title = f"{form_title} (continued)"
            section = PortalSection(title, section.answers)
        named.append(section)
    return named


def referral_sections(store: Store, case_id: str, person_reference: str) -> list[PortalSection]:
    """The online-form answers of one person's referral."""
    found = referral(store, case_id, person_reference)
    case = load_case(store, case_id)
    form = next(f for f, _ in case.forms_to_read()
                if f.kind == found.route and f.person_id == found.person_id)
    return portal_sections(form_model(form))


@dataclass(frozen=True)
class ChangedAnswer:
    """An answer of a submitted referral that changed after its submission was recorded."""

    section: str
    question: str
    was: str
    now: str


def changed_since_submitted(store: Store, case_id: str,
                            person_reference: str) -> list[ChangedAnswer]:
    """The answers of a referral recorded as submitted that a later version from the officer
    changed: the Home Office has the earlier ones (the Single Competent Authority is to be
    told). Empty while it is not submitted, or nothing changed since."""
    found = referral(store, case_id, person_reference)
    submitted = latest(events(store, case_id, found.person_id, found.route)).get(
        EventKind.SUBMITTED)
    if submitted is None:
        return []
    held = as_submitted(store, load_case(store, case_id), found, submitted)
    if held is None:
        return []
    form, values = held
    then = KINDS[form.kind].model_validate(values)
    before = {(s.title, a.question): a.answer for s in portal_sections(then) for a in s.answers}
    changed = []
    for section in portal_sections(form_model(form)):
        for answer in section.answers:
            was = before.pop((section.title, answer.question), "")
            if was != answer.answer:
                changed.append(ChangedAnswer(section.title, answer.question, was,
                                             answer.answer))
    changed += [ChangedAnswer(title, question, was, "")
                for (title, question), was in before.items() if was]
    return changed


class AlreadySubmitted(InvalidInput):
    """The referral already has a submission recorded: a new one corrects it."""


class PossibleDuplicate(InvalidInput):
    """The person looks like one whose NRM referral is already recorded as submitted."""


def record_submission(
    store: Store, case_id: str, person_reference: str, reference: str, on: date, *,
    different_person: bool = False, correcting: bool = False,
) -> RecordedEvent:
    """Record the NRM (or Duty to Notify) reference and the date it was submitted. An NRM
    for someone whose referral is already recorded as submitted from another case (the same
    name and date of birth: two officers met them) is refused, naming it, unless
    ``different_person`` (the Lead checked: two people). A referral already recorded as
    submitted is recorded again (another reference or date) only when ``correcting``."""
    reference = reference.strip()
    if not reference or len(reference) > 60 or not reference.isprintable():
        raise InvalidInput("The reference must be 1 to 60 printable characters, as the Home "
                           "Office gave it.")
    recorded = submission(store, case_id, person_reference)
    if recorded.submitted_on is not None and not correcting and (
            recorded.reference != reference or recorded.submitted_on != on):
        raise AlreadySubmitted(
            f"{person_reference}'s referral is already recorded as submitted on "
            f"{v.day(recorded.submitted_on)}, reference {recorded.reference}: record it again "
            "only to correct that (the first stays in the history).")
    # What is wrong with the date or the consent is said first: a question about another
    # case's referral comes only for a submission that could be recorded.
    check_event(store, case_id, person_reference, EventKind.SUBMITTED, Outcome.NONE, on)
    if not different_person:
        already = submitted_elsewhere(store, case_id, person_reference)
        if already:
            where = "; ".join(f"{r.person_reference} in case {r.case_reference} sent by "
                              f"{r.officer}" for r in already)
            raise PossibleDuplicate(
                f"{person_reference} may be a person whose NRM referral is already recorded as "
                f"submitted (a name alike and the same date of birth, or age: {where}): an "
                "NRM referral is made "
                "once per person. If they are two different people, record it as a different "
                "person; if they are the same person, ask the officer to withdraw this one.")
    return record_event(store, case_id, person_reference, EventKind.SUBMITTED, Outcome.NONE, on,
                        reference=reference)


@dataclass(frozen=True)
class _Identity:
    """Who an NRM form says the person is: each name they gave (full name and aliases) as a set
    of words (accents and case folded, so "Ionuț Popescu" and "popescu ionut" are one), and
    their date of birth, else the age estimated when found."""

    names: tuple[frozenset[str], ...]
    born: date | None
    estimated_age: int | None

    def may_be(self, other: _Identity) -> bool:
        """Whether the two may be one person: a date of birth in common (or, with neither
        recorded, estimated ages five years apart at most) and a name of one holding every
        word of a name of the other, of two words at least ("Ionut Popescu" and "Ionut
        Popescu-Marin")."""
        if self.born is not None or other.born is not None:
            if self.born != other.born:
                return False
        elif self.estimated_age is None or other.estimated_age is None \
                or abs(self.estimated_age - other.estimated_age) > AGE_ESTIMATE_SPREAD:
            return False
        return any(len(shorter) >= 2 and shorter <= longer
                   for mine in self.names for theirs in other.names
                   for shorter, longer in ((mine, theirs), (theirs, mine)))


AGE_ESTIMATE_SPREAD = 5
"""How far apart two estimated ages may be and still be one person's (an estimate is rough)."""


def _words(name: str) -> frozenset[str]:
    """A name's words, accents and case folded, hyphens and apostrophes as spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c)).casefold()
    return frozenset(re.findall(r"[^\W\d_]+", plain))


def _identity(case: ReceivedCase, person_id: str) -> _Identity | None:
    """Who the person's NRM form says they are, when it records a name and a date of birth
    or an estimated age."""
    for form, _ in case.forms_to_read():
        if form.kind == "nrm" and form.person_id == person_id:
            found = _identity_of(form_model(form))
            if found is not None:
                return found
    return None


def _identity_of(model: Form) -> _Identity | None:
    if not isinstance(model, NrmReferral):
        return None
    who = model.potential_victim
    full = " ".join(part for part in (who.given_names, who.family_name) if part)
    names = tuple(w for w in (_words(n) for n in (full, *who.aliases)) if w)
    if names and (who.date_of_birth is not None or who.estimated_age is not None):
        return _Identity(names, who.date_of_birth, who.estimated_age)
    return None


def _identities_received(store: Store, case: ReceivedCase, person_id: str) -> list[_Identity]:
    """Who every version received of the person's NRM form says they are: a referral
    submitted with one date of birth and corrected later is still the Home Office's referral
    for the person of the first (the check let a second NRM through after the correction)."""
    found = [i for i in [_identity(case, person_id)] if i is not None]
    for (data,) in store.conn.execute(
            "SELECT data FROM lead_records WHERE case_id = ? AND record_type = 'form' "
            "AND current = 0", (case.case.id,)):
        values = json.loads(data)
        if values.get("kind") != "nrm" or values.get("person_id") != person_id:
            continue
        try:
            identity = _identity_of(KINDS["nrm"].model_validate(values["data"]))
        except ValueError:
            continue
        if identity is not None and identity not in found:
            found.append(identity)
    return found


def submitted_elsewhere(store: Store, case_id: str, person_reference: str) -> list[Referral]:
    """NRM referrals already recorded as submitted for someone who may be this case's person
    (a name alike, the same date of birth: see :meth:`_Identity.may_be`): in other cases, and
    in this case for another of its people (the same person met again at a second premises
    of one operation, recorded under a new reference) (the protocol: check for an existing
    referral before making one)."""
    case = load_case(store, case_id)
    person_id = case.person(person_reference).id
    mine = _identity(case, person_id)
    if mine is None:
        return []
    found = []
    for other in load_all(store):
        for earlier in referrals_of(other):
            if earlier.route != "nrm" or earlier.person_id not in other.nrm_submitted:
                continue
            if other.case.id == case_id and earlier.person_id == person_id:
                continue  # this very referral
            if any(mine.may_be(theirs)
                   for theirs in _identities_received(store, other, earlier.person_id)):
                found.append(earlier)
    return found


@dataclass(frozen=True)
class Submission:
    """A referral with its submission, if recorded."""

    referral: Referral
    reference: str
    submitted_on: date | None

    def waiting_days(self, today: date) -> int:
        """Days since it was received, while not yet submitted (0 once submitted)."""
        return 0 if self.submitted_on else max(0, (today - self.referral.received).days)


def submission(store: Store, case_id: str, person_reference: str) -> Submission:
    """One referral and its recorded submission."""
    found = referral(store, case_id, person_reference)
    return _submission(store, found)


def _submission(store: Store, found: Referral) -> Submission:
    sent = latest(events(store, found.case_id, found.person_id, found.route)).get(
        EventKind.SUBMITTED)
    if sent is None:
        return Submission(found, "", None)
    return Submission(found, sent.reference, sent.happened_on)


def waiting_items(store: Store) -> list[DueItem]:
    """Each referral received and not yet recorded as submitted (a draft the officer did not
    mark ready included: it is theirs to finish), as something to do beside what the tracker
    lists: a child's NRM unsubmitted for eleven weeks showed only on the Submitting tab (the
    command line's ``lead due`` listed it)."""
    words = {"nrm": "NRM referral", "dtn": "Duty to Notify"}
    return [DueItem(sub.referral.received, sub.referral.case_reference,
                    sub.referral.person_reference,
                    f"{words.get(sub.referral.route, 'Referral')}"
                    f"{' (a draft)' if sub.referral.draft else ''}: {NOT_SUBMITTED_DUE}",
                    "not_submitted", False, sub.referral.officer)
            for sub in submissions(store) if sub.submitted_on is None]


def submissions(store: Store) -> list[Submission]:
    """Every referral the Lead holds with its submission (not yet submitted ones first)."""
    every = load_all(store)
    sent_by = senders(store, every)  # the officer, and the laptop when they used two
    found = [_submission(store, replace(r, officer=sent_by[case.case.id]))
             for case in every for r in referrals_of(case)]
    return sorted(found, key=lambda s: (s.submitted_on is not None, s.referral.received,
                                        s.referral.case_reference, s.referral.person_reference))
