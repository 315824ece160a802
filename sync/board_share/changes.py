"""One change to a shared reception board: one field of one person received, with who made it,
on which device and when, signed with that device's enrolled key so any device can check it
whoever passed it on."""

from __future__ import annotations

import json
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from forms.reception import PersonReceived
from sync.board_share.hlc import Hlc
from sync.canonical import b64decode, b64encode, canonical_json
from sync.enrolment import is_canonical_uuid

SHARED_FIELDS: frozenset[str] = frozenset(PersonReceived.model_fields) - {"reference"}
"""The fields of a person received that devices change one at a time."""

REGISTRATION = "registration"
"""Not a field of the form: a device's first change to a reference it has never held comes
with a registration (a random id, nothing personal), so two devices giving the same new
reference to two people while apart show as a conflict on this field, not one merged person."""

CHANGE_FIELDS: frozenset[str] = SHARED_FIELDS | {REGISTRATION}
"""Every field a change may carry: the person's fields and their registration."""

LIST_FIELDS: frozenset[str] = frozenset({"screenings", "property_items"})
"""The fields holding lists of items, merged item by item (``lists.py``)."""

TIME_OF: dict[str, str] = {"consent_recorded_at": "consent"}
"""A time recorded with a decision (the time field: its decision's field): while the decision is
in conflict the time shown is the one recorded with the decision shown, not a conflict of its
own, and a resolution of the decision settles its time too (``journal.resolve``)."""

AGE_FIELDS: frozenset[str] = frozenset({"age_group", "estimated_age", "date_of_birth"})
"""The fields that decide whether a person is (or may be) a child."""

MAX_REFERENCE = 40
MAX_VALUE_CHARS = 20_000


class ChangeRefused(ValueError):
    """A change received from a peer that is malformed, or not signed by its device."""


class BoardChange(BaseModel):
    """One field of one person set to a value (JSON text) on one device."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    board_id: str
    person: str = Field(min_length=1, max_length=MAX_REFERENCE)
    field: str
    value: str = Field(max_length=MAX_VALUE_CHARS)
    hlc: str
    device_id: str
    officer: str = Field(min_length=1, max_length=200)
    supersedes: tuple[str, ...] = ()
    kind: Literal["edit", "resolution"] = "edit"
    signature: str = ""

    @field_validator("board_id", "device_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        if not is_canonical_uuid(value):
            raise ValueError("not a canonical UUID")
        return value

    @field_validator("field")
    @classmethod
    def _shared(cls, value: str) -> str:
        if value not in CHANGE_FIELDS:
            raise ValueError("not a field of a person received")
        return value

    @field_validator("hlc")
    @classmethod
    def _clock(cls, value: str) -> str:
        Hlc.parse(value)
        return value

    @field_validator("supersedes")
    @classmethod
    def _clocks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for clock in value:
            Hlc.parse(clock)
        return tuple(sorted(set(value)))

    @property
    def clock(self) -> Hlc:
        """The change's clock reading (also its identity: unique per device and change)."""
        return Hlc.parse(self.hlc)

    def decoded(self) -> Any:
        """The value as JSON data."""
        return json.loads(self.value)

    def signed_bytes(self) -> bytes:
        """What the device signs: everything but the signature."""
        return canonical_json(self.model_dump(mode="json", exclude={"signature"}))

    def signed_by(self, key: Ed25519PrivateKey) -> BoardChange:
        """This change with the device's signature."""
        return self.model_copy(update={"signature": b64encode(key.sign(self.signed_bytes()))})

    def signature_ok(self, key: Ed25519PublicKey) -> bool:
        """True if ``key`` (the device's enrolled key) signed exactly this change."""
        try:
            key.verify(b64decode(self.signature), self.signed_bytes())
        except (InvalidSignature, ValueError):
            return False
        return True


def field_value(field: str, value: object) -> str:
    """``value`` for ``field`` as the JSON text a change carries, checked against the form."""
    if field == REGISTRATION:
        return json.dumps(_registration(value))
    person = _checked(field, value)
    return json.dumps(person.model_dump(mode="json")[field], sort_keys=True)


def check_change(data: object) -> BoardChange:
    """A change as a bundle carries it: well formed and its value valid for its field (the
    bundle's own signature vouches for the device that sent it)."""
    try:
        change = BoardChange.model_validate(data)
    except ValidationError:
        raise ChangeRefused("a board change is not well formed") from None
    if change.clock.device_id != change.device_id:
        raise ChangeRefused("a board change's clock names another device")
    try:
        if change.field == REGISTRATION:
            _registration(change.decoded())
        else:
            _checked(change.field, change.decoded())
    except ValueError:
        raise ChangeRefused(f"a board change has a value not valid for {change.field}") from None
    return change


def _registration(value: object) -> str:
    if not isinstance(value, str) or not is_canonical_uuid(value):
        raise ChangeRefused("a registration is not a random id")
    return value


def _checked(field: str, value: object) -> PersonReceived:
    if field not in SHARED_FIELDS:
        raise ChangeRefused(f"{field} is not a field of a person received")
    try:
        return PersonReceived.model_validate({"reference": "R", field: value})
    except ValidationError:
        raise ChangeRefused(f"the value given for {field} is not valid") from None


def change_from_peer(data: object, keys: dict[str, Ed25519PublicKey]) -> BoardChange:
    """A change as received: well formed, its value valid for its field, signed by its device
    (one of ``keys``, the Lead's enrolled devices). :class:`ChangeRefused` otherwise, naming
    no value (it may be personal data)."""
    change = check_change(data)
    key = keys.get(change.device_id)
    if key is None or not change.signature_ok(key):
        raise ChangeRefused("a change received is not signed by an enrolled device")
    return change


def new_changes_from_peer(items: list[object], keys: dict[str, Ed25519PublicKey],
                          held: set[str]) -> list[BoardChange]:
    """The changes received that are not already held (by clock), each checked as
    :func:`change_from_peer` does; one already held is left out unchecked, as it would not be
    kept again (the copy held was checked when it arrived)."""
    return [change_from_peer(item, keys) for item in items
            if not (isinstance(item, dict) and item.get("hlc") in held)]
