"""Checklists from the council's resources: visit indicators and reception-centre set-up."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from fieldkit.resources import IndicatorList, load_resources
from forms.choices import BusinessType, ExploitationType
from ui.checklist import Groups


def _items(found: IndicatorList) -> list[tuple[str, str]]:
    return [(indicator.id, indicator.text) for indicator in found.indicators]


def indicator_groups(business_type: str | None) -> Groups:
    """General indicators, then the business type's own list and the exploitation lists it
    includes (labour for a car wash); every exploitation list while no type is chosen."""
    lists = load_resources().indicators
    groups: Groups = [(lists.general.title, _items(lists.general))]
    try:
        business = lists.business[BusinessType(business_type)] if business_type else None
    except ValueError:
        business = None
    included = business.includes if business is not None else list(ExploitationType)
    if business is not None and business.indicators:
        groups.append((business.title, _items(business)))
    for kind in included:
        section = lists.exploitation.get(kind)
        if section is not None and section.indicators:
            groups.append((section.title, _items(section)))
    return groups


def setup_groups() -> Groups:
    """The reception centre's set-up checklist."""
    items = [(item.id, item.text) for item in load_resources().reception_setup]
    return [(QCoreApplication.translate("Checklist", "Before people arrive"), items)]
