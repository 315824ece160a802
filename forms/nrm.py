"""The offline National Referral Mechanism (NRM) referral, in the order of the Home Office online
form so an officer can copy it across section by section."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from forms.choices import AgeGroup, ConsentDecision, ExploitationType, Gender, WithdrawalMethod
from forms.contact import EmailText, PhoneText, PostcodeText, WorkEmailText
from forms.countries import CountryCode, LanguageCode
from forms.form import FieldProblem, Form, FormSection, Problems, typed_now
from forms.needs import PersonNeeds
from forms.rules import AgeStatus, Obligations, Route, age_status, obligations, transition_due


class WhereFound(FormSection):
    """Section 1: where and when the person was found, and whether an adult or a child."""

    encountered_on: date | None = Field(None, title="Date the person was found")
    place: str = Field("", title="Where the person was found (town or area)")
    local_authority: str = Field("", title="Local authority area")
    age_group: AgeGroup = Field(AgeGroup.NOT_SURE, title="Adult or child")
    age_disputed: bool = Field(False, title="Doubt about whether the person is under 18")


class FirstResponder(FormSection):
    """Section 2: the officer making the referral."""

    name: str = Field("", title="First responder's name")
    organisation: str = Field("", title="First responder's organisation")
    role: str = Field("", title="First responder's role")
    work_email: WorkEmailText = Field("", title="First responder's work email")
    phone: PhoneText = Field("", title="First responder's phone number")

    def ready_problems(self) -> list[FieldProblem]:
        """The first responder details the Home Office needs."""
        problems = Problems()
        problems.need("name", self.name, "First responder's name is needed")
        problems.need("organisation", self.organisation, "First responder's organisation is needed")
        problems.need("role", self.role, "First responder's role is needed")
        problems.need("work_email", self.work_email, "First responder's work email is needed")
        problems.need("phone", self.phone, "First responder's phone number is needed")
        return problems


class Consent(FormSection):
    """Section 3: an adult's informed consent (not asked of a child)."""

    decision: ConsentDecision = Field(ConsentDecision.NOT_ASKED, title="Consent to the NRM")
    how_explained: str = Field("", title="How the NRM was explained")
    booklet_language: LanguageCode | None = Field(None, title="Language of the NRM booklet")
    interpreter_used: bool | None = Field(None, title="Interpreter used")
    interpreter_language: LanguageCode | None = Field(None, title="Interpreter's language")
    decided_on: date | None = Field(None, title="Date of the consent decision")
    withdrawn_on: date | None = Field(None, title="Date consent was withdrawn")
    withdrawal_how: WithdrawalMethod | None = Field(
        None, title="How the withdrawal of consent was made"
    )
    withdrawal_notes: str = Field("", title="Notes on the withdrawal of consent")

    @model_validator(mode="after")
    def _withdrawal_is_recorded(self) -> Consent:
        """A withdrawal of consent is recorded with when and how, the moment it is recorded
        (it withdraws the NRM referral from sending); nothing else carries those details."""
        if self.decision is ConsentDecision.WITHDRAWN:
            missing = [text for value, text in (
                (self.withdrawn_on, "when it was withdrawn"),
                (self.withdrawal_how, "how the withdrawal was made"),
            ) if value is None]
            if missing:
                raise ValueError(f"Consent withdrawn: say {' and '.join(missing)}")
        elif self.withdrawn_on is not None or self.withdrawal_how is not None:
            raise ValueError(
                "Consent: a date or way of withdrawal is recorded only when consent is withdrawn"
            )
        return self

    @model_validator(mode="after")
    def _withdrawn_after_given(self, info: ValidationInfo) -> Consent:
        """Consent is withdrawn on or after the day it was given (01/12 for a decision of 04/12
        was saved, and withdrew the referral). Checked as it is typed (a form saved before the
        check is read as it was: :data:`forms.form.TYPED`)."""
        if typed_now(info.context) and self.withdrawn_on is not None \
                and self.decided_on is not None and self.withdrawn_on < self.decided_on:
            raise ValueError("Consent withdrawn: the date it was withdrawn cannot be before the "
                             "date of the consent decision; check both dates")
        return self


class SafeContact(FormSection):
    """How to reach the person safely."""

    phone: PhoneText = Field("", title="Safe phone number")
    email: EmailText = Field("", title="Safe email address")
    address: str = Field("", title="Safe postal address")
    postcode: PostcodeText = Field("", title="Postcode")
    safe_to_leave_messages: bool | None = Field(None, title="Safe to leave messages")
    notes: str = Field("", title="Contact notes")


class PotentialVictim(FormSection):
    """Section 4: the potential victim."""

    given_names: str = Field("", title="Given names")
    family_name: str = Field("", title="Family name")
    aliases: list[str] = Field(default_factory=list, title="Other names or aliases")
    name_not_given: bool = Field(False, title="Name not given (the person has not said it)")
    """A child or an adult who says nothing: no placeholder typed as a name (it would be
    matched as one when the Lead looks for the same person referred twice)."""
    date_of_birth: date | None = Field(None, title="Date of birth")
    estimated_age: int | None = Field(None, ge=0, le=120, title="Estimated age")
    gender: Gender | None = Field(None, title="Gender")
    nationalities: list[CountryCode] = Field(default_factory=list, title="Nationality")
    nationality_unknown: bool = Field(False, title="Nationality not known or stateless")
    languages: list[LanguageCode] = Field(default_factory=list, title="Languages spoken")
    languages_not_known: bool = Field(False, title="Languages not yet known")
    interpreter_needed: bool | None = Field(None, title="Interpreter needed")
    safe_contact: SafeContact = Field(default_factory=SafeContact, title="Safe contact details")
    current_location: str = Field("", title="Where the person is now")

    def names(self) -> list[str]:
        """Every name recorded for the person (given, family, full and aliases)."""
        full = " ".join(part for part in (self.given_names, self.family_name) if part)
        found = [self.given_names, self.family_name, full, *self.aliases]
        return [name for name in found if name.strip()]

    def ready_problems(self, as_of: date | None) -> list[FieldProblem]:
        """The details of the person the referral needs."""
        problems = Problems()
        if not (self.given_names or self.family_name or self.aliases or self.name_not_given):
            problems.add("given_names", "The person's name (or the name they gave) is needed, "
                                        "or mark it as not given")
        if self.date_of_birth is None and self.estimated_age is None:
            problems.add("date_of_birth", "Date of birth or estimated age is needed")
        if self.date_of_birth is not None and as_of is not None and self.date_of_birth > as_of:
            problems.add("date_of_birth", "Date of birth cannot be in the future")
        problems.need("gender", self.gender, "Gender is needed")
        if not self.nationalities and not self.nationality_unknown:
            problems.add("nationalities", "Nationality is needed (or mark it as not known)")
        if not self.languages and not self.languages_not_known:
            problems.add("languages", "Languages spoken are needed (or mark them as not yet "
                                      "known)")
        problems.need(
            "interpreter_needed", self.interpreter_needed, "Say whether an interpreter is needed"
        )
        problems.need(
            "current_location", self.current_location, "Where the person is now is needed"
        )
        return problems


class Dependant(FormSection):
    """A dependant of the potential victim (a child or other dependant)."""

    model_config = ConfigDict(title="Dependant")  # one entry of "Dependants"

    name: str = Field("", title="Dependant's name")
    relationship: str = Field("", title="Relationship to the person")
    date_of_birth: date | None = Field(None, title="Dependant's date of birth")
    estimated_age: int | None = Field(None, ge=0, le=120, title="Dependant's estimated age")
    with_the_person: bool | None = Field(None, title="Dependant is with the person")
    location: str = Field("", title="Where the dependant is")


class Place(FormSection):
    """A place where the exploitation happened."""

    model_config = ConfigDict(title="Place of exploitation")

    country: CountryCode | None = Field(None, title="Country")
    town_or_area: str = Field("", title="Town or area")
    address: str = Field("", title="Address")
    postcode: PostcodeText = Field("", title="Postcode")


class Exploitation(FormSection):
    """Section 6 and 7: the types of exploitation, where and when."""

    types: list[ExploitationType] = Field(default_factory=list, title="Types of exploitation")
    in_uk: bool = Field(False, title="Exploited in the UK")
    abroad: bool = Field(False, title="Exploited abroad")
    places: list[Place] = Field(default_factory=list, title="Places of exploitation")
    began: str = Field("", title="When the exploitation began")
    ended: str = Field("", title="When the exploitation ended")
    ongoing: bool | None = Field(None, title="Exploitation is ongoing")

    def ready_problems(self) -> list[FieldProblem]:
        """What the referral needs about the exploitation."""
        problems = Problems()
        problems.need("types", self.types, "At least one type of exploitation is needed")
        if not (self.in_uk or self.abroad):
            problems.add("in_uk", "Say whether the exploitation was in the UK, abroad or both")
        problems.need("places", self.places, "At least one place of exploitation is needed")
        problems.need("began", self.began, "When the exploitation began is needed")
        problems.need("ongoing", self.ongoing, "Say whether the exploitation is ongoing")
        return problems


class CameToNotice(FormSection):
    """Section 8: how the person came to notice and the indicators observed."""

    how: str = Field("", title="How the person came to notice")
    indicator_ids: list[str] = Field(default_factory=list, title="Indicators observed")
    other_indicators: str = Field("", title="Other indicators observed")


class Exploiter(FormSection):
    """Section 10: a suspected exploiter."""

    model_config = ConfigDict(title="Exploiter")

    name: str = Field("", title="Exploiter's name")
    gender: Gender | None = Field(None, title="Exploiter's gender")
    nationality: CountryCode | None = Field(None, title="Exploiter's nationality")
    relationship: str = Field("", title="Relationship to the person")
    description: str = Field("", title="Description of the exploiter")
    contact_details: str = Field("", title="Exploiter's phone or other contact details")
    address: str = Field("", title="Exploiter's address")


class PoliceInvolvement(FormSection):
    """Section 11: whether the police are involved."""

    involved: bool | None = Field(None, title="Police involved")
    force: str = Field("", title="Police force")
    crime_reference: str = Field("", title="Crime reference number")
    officer: str = Field("", title="Police officer")


class SupportWanted(FormSection):
    """Section 12: support through the Modern Slavery Victim Care Contract (Salvation Army)."""

    victim_care_contract: bool | None = Field(
        None, title="Wants support from the victim care contract (Salvation Army)"
    )
    accommodation_needed: bool | None = Field(
        None, title="Needs emergency or safe accommodation now"
    )
    council_housing_referral: bool | None = Field(
        None, title="Meets the criteria for council housing (refer for a housing assessment)"
    )
    destitute: bool | None = Field(None, title="Destitute (needs emergency support)")
    immediate_needs: str = Field("", title="Immediate needs")


class NrmReferral(Form):
    """The offline NRM referral for one potential victim."""

    KIND: ClassVar[str] = "nrm"

    immediate_risk: bool = Field(False, title="Immediate risk of serious harm")
    immediate_risk_details: str = Field("", title="Immediate risk details")
    where_found: WhereFound = Field(default_factory=WhereFound, title="Where found")
    first_responder: FirstResponder = Field(
        default_factory=FirstResponder, title="First responder"
    )
    consent: Consent = Field(default_factory=Consent, title="Consent")
    potential_victim: PotentialVictim = Field(
        default_factory=PotentialVictim, title="Potential victim"
    )
    dependants: list[Dependant] = Field(default_factory=list, title="Dependants")
    exploitation: Exploitation = Field(default_factory=Exploitation, title="Exploitation")
    came_to_notice: CameToNotice = Field(default_factory=CameToNotice, title="Came to notice")
    account: str = Field("", title="The account in the person's words")
    account_read_back: bool | None = Field(
        None, title="Account read back to the person in a language they understand"
    )
    exploiters: list[Exploiter] = Field(default_factory=list, title="Exploiters")
    police: PoliceInvolvement = Field(default_factory=PoliceInvolvement, title="Police")
    support: SupportWanted = Field(default_factory=SupportWanted, title="Support wanted")
    needs: PersonNeeds = Field(default_factory=PersonNeeds, title="Needs and safeguarding")

    def age_status(self, as_of: date) -> AgeStatus:
        """Whether the rules treat the person as a child on ``as_of``."""
        victim = self.potential_victim
        return age_status(
            as_of=as_of,
            age_group=self.where_found.age_group,
            date_of_birth=victim.date_of_birth,
            estimated_age=victim.estimated_age,
            age_disputed=self.where_found.age_disputed,
        )

    def obligations(self, as_of: date) -> Obligations:
        """What the rules require for this person on ``as_of`` (NRM or DtN, MASH, transition)."""
        status = self.age_status(as_of)
        victim = self.potential_victim
        near_18 = transition_due(
            as_of=as_of, date_of_birth=victim.date_of_birth, estimated_age=victim.estimated_age
        )
        return obligations(status, self.counted_decision(), transition=near_18)

    def consent_not_informed(self) -> bool:
        """Consent recorded as given, but not in a language the person understands (no
        interpreter where one was needed, or one of another language; a booklet they cannot
        read with no interpreter): it does not count until asked again
        (:meth:`_consent_language_problems` says what is wrong)."""
        if self.consent.decision is not ConsentDecision.GIVEN:
            return False
        problems = Problems()
        self._consent_language_problems(problems)
        return bool(problems)

    def counted_decision(self) -> ConsentDecision:
        """The consent decision the rules act on: as recorded, except that consent not given
        in a language the person understands counts as not yet asked (as on the reception
        board: "Ask again")."""
        if self.consent_not_informed():
            return ConsentDecision.NOT_ASKED
        return self.consent.decision

    def recorded_names(self) -> list[str]:
        """Every name recorded on the form: the person's, dependants' and exploiters'."""
        names = self.potential_victim.names()
        names += [d.name for d in self.dependants if d.name.strip()]
        names += [e.name for e in self.exploiters if e.name.strip()]
        return names

    def recorded_addresses(self) -> list[str]:
        """Every address, postcode or location recorded on the form, of anyone, and the place
        where the person was found."""
        victim = self.potential_victim
        found = [self.where_found.place, victim.safe_contact.address, victim.safe_contact.postcode,
                 victim.safe_contact.phone, victim.safe_contact.email, victim.current_location]
        found += [d.location for d in self.dependants]
        found += [detail for p in self.exploitation.places for detail in (p.address, p.postcode)]
        found += [detail for e in self.exploiters for detail in (e.address, e.contact_details)]
        return [detail for detail in found if detail.strip()]

    def whereabouts(self) -> list[str]:
        """Where the person and their dependants stay and how to reach them (safe contact,
        current location, dependants' locations): sensitive addresses, which a sanitised
        intelligence report never holds, not even in its subject."""
        victim = self.potential_victim
        found = [victim.safe_contact.address, victim.safe_contact.postcode,
                 victim.safe_contact.phone, victim.safe_contact.email, victim.current_location]
        found += [d.location for d in self.dependants]
        return [detail for detail in found if detail.strip()]

    def ready_problems(
        self, as_of: date | None = None, *, today: date | None = None
    ) -> list[FieldProblem]:
        """Everything missing before the referral can be marked ready. ``as_of`` is the date
        the age rules are applied on (default: the date the person was found); ``today`` is
        the date today, after which nothing that has already happened can be dated (the date
        found, the consent decision, its withdrawal, a dependant's date of birth). Without a
        ``today`` those are not checked: the forms never read the clock."""
        as_of = as_of or self.where_found.encountered_on
        problems = Problems()
        if self.immediate_risk:
            problems.need(
                "immediate_risk_details", self.immediate_risk_details,
                "Immediate risk details are needed (and call 999 first)",
            )
        problems.need(
            "where_found.encountered_on", self.where_found.encountered_on,
            "Date the person was found is needed",
        )
        problems.not_future("where_found.encountered_on", self.where_found.encountered_on,
                            today, "Date the person was found")
        problems.need(
            "where_found.place", self.where_found.place, "Where the person was found is needed"
        )
        problems.nested("first_responder", self.first_responder.ready_problems())
        found_on, decided_on = self.where_found.encountered_on, self.consent.decided_on
        if found_on is not None and decided_on is not None and decided_on < found_on:
            problems.add("consent.decided_on", (
                "Date of the consent decision cannot be before the date the person was found: "
                "check both dates"))
        problems.not_future("consent.decided_on", decided_on, today,
                            "Date of the consent decision")
        problems.not_future("consent.withdrawn_on", self.consent.withdrawn_on, today,
                            "Date consent was withdrawn")
        if as_of is not None:
            self._consent_problems(problems, as_of)
        problems.nested("potential_victim", self.potential_victim.ready_problems(as_of or today))
        for index, dependant in enumerate(self.dependants):
            problems.not_future(f"dependants.{index}.date_of_birth", dependant.date_of_birth,
                                today, f"Date of birth of dependant {index + 1}")
        problems.nested("exploitation", self.exploitation.ready_problems())
        problems.need("came_to_notice.how", self.came_to_notice.how,
                      "How the person came to notice is needed")
        problems.need("account", self.account, "The account in the person's words is needed")
        problems.need("police.involved", self.police.involved,
                      "Say whether the police are involved")
        if self.police.involved:
            problems.need("police.force", self.police.force, "Police force is needed")
        return problems

    def _consent_problems(self, problems: Problems, as_of: date) -> None:
        found = self.obligations(as_of)
        if not found.ask_consent:
            return  # a child: consent is not needed
        if found.route is Route.DUTY_TO_NOTIFY:
            withdrawn = self.consent.decision is ConsentDecision.WITHDRAWN
            problems.add(
                "consent.decision",
                ("The person withdrew their consent, so this NRM referral must not be "
                 "submitted: make a Duty to Notify instead") if withdrawn else
                ("The person has not consented, so this cannot be an NRM referral: "
                 "make a Duty to Notify instead"),
            )
            return
        if found.route is Route.UNDECIDED and self.consent_not_informed():
            # Given, but not in a language the person understands: each reason named (the
            # consent does not count until asked again, so the route waits).
            self._consent_language_problems(problems)
            return
        if found.route is Route.UNDECIDED:
            problems.add("consent.decision", "Consent to the NRM is needed from an adult")
            return
        consent = self.consent
        problems.need("consent.how_explained", consent.how_explained,
                      "How the NRM was explained is needed")
        problems.need("consent.interpreter_used", consent.interpreter_used,
                      "Say whether an interpreter was used")
        if consent.interpreter_used:
            problems.need("consent.interpreter_language", consent.interpreter_language,
                          "Interpreter's language is needed")
        self._consent_language_problems(problems)
        problems.need("support.victim_care_contract", self.support.victim_care_contract,
                      "Say whether the person wants Salvation Army (victim care contract) support")

    def _consent_language_problems(self, problems: Problems) -> None:
        """Consent counts as informed only when given in a language the person understands:
        through an interpreter when one is needed, an interpreter in one of the person's
        languages, a booklet in one of them unless an interpreter was used. Lenient where
        nothing is recorded (no languages, no interpreter language, no booklet language)."""
        consent, victim = self.consent, self.potential_victim
        theirs = {language.casefold() for language in victim.languages}
        if victim.interpreter_needed and consent.interpreter_used is False:
            problems.add("consent.interpreter_used", (
                "Consent: an interpreter was needed but none is recorded for the consent "
                "conversation: consent must be informed, in a language the person understands"))
        if consent.interpreter_used and consent.interpreter_language and theirs \
                and consent.interpreter_language.casefold() not in theirs:
            problems.add("consent.interpreter_language", (
                "Consent: the interpreter's language is not one of the languages the person "
                "speaks: consent must be informed, in a language the person understands"))
        if consent.interpreter_used is False and consent.booklet_language and theirs \
                and consent.booklet_language.casefold() not in theirs:
            problems.add("consent.booklet_language", (
                "Consent: the NRM booklet was in a language the person does not speak and no "
                "interpreter was used: consent must be informed, in a language the person "
                "understands"))
