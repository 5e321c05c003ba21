"""A new module body and library folders for the library tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from registry.settings import PROJECT_ROOT

STARTER = PROJECT_ROOT / "requirement_templates"
"""The starter library in this repository."""

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


def library_of(tmp_path: Path, module: str) -> Path:
    """A library folder holding the starter catalogue and one starter module file (``<category>/<KEY>.toml``)."""
    target = tmp_path / "library"
    (target / module).parent.mkdir(parents=True)
    shutil.copy(STARTER / "catalogue.toml", target)
    shutil.copy(STARTER / module, target / module)
    return target
