"""Ids and JSON columns of the library."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any, Final


def new_id() -> str:
    # Random, so that a few leading characters tell images apart (as in git); the
    # order of things comes from their created_at. Libraries made before this hold
    # time-ordered ids (17 characters), which still work in full or by a long prefix.
    return secrets.token_hex(6)


#: The shortest id prefix a person may type.
MIN_PREFIX: Final = 4
HEX_ID: Final = re.compile(r"^[0-9a-f]+$")


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
