"""Small valid playbooks as data, for tests that vary one rule at a time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from gtmgen.model import Playbook
from gtmgen.plan import Plan, build_plan
from gtmgen.validate import Validation, validate_bytes, validate_path

MINIMAL: dict[str, Any] = {
    "gtmgen": 1,
    "client": {"name": "Acme", "product": "Widgets"},
    "launch": {"date": "2027-03-01"},
    "segments": [{"id": "small", "name": "Small firms"}],
    "icps": [{"id": "smb", "name": "Small businesses", "segment": "small"}],
    "personas": [{"id": "buyer", "name": "Bea", "title": "Buyer", "icps": ["smb"]}],
    "channels": [{"id": "email", "name": "Email", "owner": "cmo"}],
    "messages": {"phases": [{"id": "one", "value_proposition": "Faster answers.",
                             "personas": ["buyer"], "channels": ["email"]}]},
    "roles": [{"id": "cmo", "title": "CMO"}],
}


def playbook(**sections: Any) -> dict[str, Any]:
    """MINIMAL with whole top-level sections replaced."""
    data = copy.deepcopy(MINIMAL)
    data.update(sections)
    return data


def phase(pid: str, vp: str, **keys: Any) -> dict[str, Any]:
    """A phase speaking to 'buyer' on 'email' unless told otherwise."""
    return {"id": pid, "value_proposition": vp, "personas": ["buyer"], "channels": ["email"],
            **keys}


def validated(data: dict[str, Any]) -> Validation:
    """Validate a playbook given as data, through the same YAML path as a file."""
    return validate_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "test.yaml")


def planned(path: Path) -> tuple[Playbook, Plan]:
    """The model and plan of a playbook file that must be valid."""
    result = validate_path(path)
    assert result.ok and result.playbook is not None, result.diagnostics
    return result.playbook, build_plan(result.playbook)


def documents(data: dict[str, Any]) -> dict[str, str]:
    """The Markdown of every document of a playbook given as data, which must be valid."""
    from gtmgen.render import RenderContext, build_stamp

    result = validated(data)
    assert result.ok and result.playbook is not None, result.diagnostics
    book = result.playbook
    return RenderContext(book, build_plan(book), build_stamp(book, None)).markdown()
