"""A new module body and library folders for the library tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from registry.settings import PROJECT_ROOT

STARTER = PROJECT_ROOT / "requirement_templates"
"""The starter library in this repository."""
FROZEN = Path(__file__).parent / "library_files"
"""Copies of starter modules as they once were, for tests that depend on their exact text and versions
(the starter library's own move on with every review)."""

NEW_MODULE = {
    "key": "CONSENT-TEST-MODULE",
    "category": "consent",
    "product_categories": ["gps_alarm"],
    "tags": ["test"],
    "references": [{"kind": "law", "identifier": "GDPR Art. 25", "title": "Data protection by design and by default"}],
    "content": {
        "kind": "mandatory",
        "title": {"en": "Location off by default"},
        "rationale": {"en": "Least intrusive first."},
        "statement": {"en": "Location shall be off until a decision is recorded, for at most {days} days."},
        "parameters": [{"name": "days", "type": "integer", "label": {"en": "Days"}, "default": 30, "min": 1, "max": 365}],
    },
}


def buyer_values(parameters: list[dict]) -> dict[str, object]:
    """Values for the parameters a buyer must set (required, without a default): an enum's first choice, a number's minimum, some text."""
    values: dict[str, object] = {}
    for p in parameters:
        if p.get("default") is None and p.get("required", True):
            values[p["name"]] = p["choices"][0]["value"] if p["type"] == "enum" else p.get("min", 1) if p["type"] != "text" else "x"
    return values


def library_of(tmp_path: Path, module: str) -> Path:
    """A library folder holding the starter catalogue and one frozen module file (``<category>/<KEY>.toml``)."""
    target = tmp_path / "library"
    (target / module).parent.mkdir(parents=True)
    shutil.copy(STARTER / "catalogue.toml", target)
    shutil.copy(FROZEN / module, target / module)
    return target
