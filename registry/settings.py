"""Typed settings read from ``REGISTRY_*`` environment variables and validated at start."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from registry.schemas import in_words, named_pattern

PREFIX = "REGISTRY_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_TOKEN_DAYS_LIMIT = 36_500
"""No token lifetime, configured or requested, goes beyond a hundred years."""
OCID_PREFIX_PATTERN = named_pattern(r"^ocds-[a-z0-9]{6}$", "ocds- and six lower-case letters or digits, such as ocds-a1b2c3")


class SettingsError(Exception):
    """A setting has a bad value; the message names the environment variable."""


class Settings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    data_dir: Path = Path("data")
    """Where the SQLite database and uploaded files live by default."""
    database_url: str | None = None
    """SQLAlchemy URL; ``sqlite+aiosqlite:///...`` (default, under ``data_dir``) or ``postgresql+asyncpg://...``."""
    bootstrap_admin_token: Annotated[str, msgspec.Meta(min_length=32, max_length=200)] | None = None
    """Creates the first admin holding this token at start when no admin exists yet."""
    library_dir: Path = PROJECT_ROOT / "requirement_templates"
    seed_library: bool = True
    """Import the starter library at start (idempotent)."""
    max_request_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1_048_576
    max_upload_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 25 * 1024 * 1024
    min_submission_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 30
    """Days the submission deadline must lie after publication."""
    max_token_days: Annotated[int, msgspec.Meta(ge=1, le=MAX_TOKEN_DAYS_LIMIT)] = 365
    """The longest lifetime of a token issued through the API, and the lifetime of one issued without ``expires_in_days``.
    Only registry admins issue longer-lived tokens or tokens that never expire."""
    public_url: str = "http://127.0.0.1:8000"
    """Where clients reach this registry; links in exported documents point here."""
    ocid_prefix: Annotated[str, msgspec.Meta(pattern=OCID_PREFIX_PATTERN)] | None = None
    """The OCDS id prefix registered for this registry; without one, OCDS exports say theirs is a local placeholder."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    auth_failure_limit: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 20
    """Failed authentications a client address may make within the window before it must wait (per worker process)."""
    auth_failure_window_seconds: Annotated[int, msgspec.Meta(ge=1, le=86_400)] = 60

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'registry.db'}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``REGISTRY_*`` variables (unknown ones are refused), then ``overrides``."""
        environ = os.environ if environ is None else environ
        fields = set(cls.__struct_fields__)
        raw: dict[str, object] = {}
        for name, value in environ.items():
            if not name.startswith(PREFIX):
                continue
            field = name.removeprefix(PREFIX).lower()
            if field in fields and value != "":
                raw[field] = value
        raw.update(overrides)
        try:
            return msgspec.convert(raw, cls, strict=False, dec_hook=_path)
        except msgspec.ValidationError as exc:
            raise SettingsError(_name_variable(str(exc))) from None


def _path(type_: type, value: object) -> object:
    if type_ is Path and isinstance(value, (str, Path)):
        return Path(value)
    raise NotImplementedError


def _name_variable(message: str) -> str:
    match = re.search(r"at `\$\.(\w+)`", message)
    if not match:
        return f"invalid settings: {message}"
    variable = PREFIX + match.group(1).upper()
    return f"{variable}: {in_words(message[: match.start()].rstrip(' -'))}"
