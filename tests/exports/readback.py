"""Reading exports back the way their users' tools do: python-docx, openpyxl, the OCDS schema."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from functools import cache
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

import docx
import jsonschema
import openpyxl
from docx.document import Document
from docx.table import Table
from openpyxl.workbook import Workbook
from referencing import Registry
from referencing.jsonschema import DRAFT4

from tests.outside import unavailable

OCDS = Path(os.environ.get("OCDS_SCHEMA_DIR") or Path(__file__).resolve().parents[3] / "shared" / "reference" / "ocds-1.1.5")
"""The OCDS 1.1.5 schema files, used in place from the reference folder beside the repository."""


def ocds_folder() -> Path:
    """``OCDS``; where it is missing the calling test is skipped, except under CI, where it fails."""
    if not OCDS.is_dir():
        unavailable(f"the OCDS 1.1.5 schema folder {OCDS} is missing; set OCDS_SCHEMA_DIR to where it is")
    return OCDS


def open_docx(data: bytes) -> Document:
    return docx.Document(BytesIO(data))


def open_xlsx(data: bytes) -> Workbook:
    return openpyxl.load_workbook(BytesIO(data))


def table_rows(document: Document) -> Iterator[list[str]]:
    """The cell texts of every row of every table (rows built in order, so this stays linear)."""
    for table in document.tables:
        yield from ([cell.text for cell in row.cells] for row in table.rows)


def header_tables(document: Document) -> list[Table]:
    """Tables whose first row repeats on every page."""
    return [table for table in document.tables if table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")]


def zip_stamps(data: bytes) -> set[tuple[int, ...]]:
    with ZipFile(BytesIO(data)) as package:
        return {info.date_time for info in package.infolist()}


@cache
def ocds_validator() -> jsonschema.Draft4Validator:
    """The release package schema, its `$ref` to the release schema resolved to the local copy."""
    schemas = [json.loads((ocds_folder() / name).read_text()) for name in ("release-package-schema.json", "release-schema.json")]
    registry = Registry().with_resources((schema["id"], DRAFT4.create_resource(schema)) for schema in schemas)
    return jsonschema.Draft4Validator(schemas[0], registry=registry)


def ocds_errors(data: bytes) -> list[str]:
    return [f"{list(error.absolute_path)}: {error.message}" for error in ocds_validator().iter_errors(json.loads(data))]


@cache
def codelist(name: str) -> frozenset[str]:
    with (ocds_folder() / "codelists" / f"{name}.csv").open(newline="") as file:
        return frozenset(row["Code"] for row in csv.DictReader(file))
