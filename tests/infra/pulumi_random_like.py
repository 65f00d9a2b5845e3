"""Strings shaped like the ones pulumi_random would produce for given inputs.

The mocks use this to answer `RandomPassword`/`RandomString` registrations, and
the APP_KEY contract test uses it to draw many keys under the exact constraints
the program hands to pulumi_random. It follows the provider's documented
rules: the character classes `upper`, `lower`, `numeric` and `special` (all on
by default), `override_special` replacing the default special set, and the
`min_*` counts.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from typing import Any

DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"


def alphabet(inputs: Mapping[str, Any]) -> str:
    """Every character a pulumi_random password with these (camelCase) inputs may contain."""
    chars = ""
    if inputs.get("upper", True):
        chars += string.ascii_uppercase
    if inputs.get("lower", True):
        chars += string.ascii_lowercase
    if inputs.get("numeric", inputs.get("number", True)):
        chars += string.digits
    if inputs.get("special", True):
        chars += inputs.get("overrideSpecial") or DEFAULT_SPECIAL
    return chars


def password_like(inputs: Mapping[str, Any], rng: random.Random) -> str:
    """A random string honouring `length`, the character classes and the `min_*` counts."""
    length = int(inputs["length"])
    required: list[str] = []
    classes = (
        ("minUpper", "upper", string.ascii_uppercase),
        ("minLower", "lower", string.ascii_lowercase),
        ("minNumeric", "numeric", string.digits),
        ("minSpecial", "special", inputs.get("overrideSpecial") or DEFAULT_SPECIAL),
    )
    for minimum_key, enabled_key, chars in classes:
        if inputs.get(enabled_key, True):
            required += [rng.choice(chars) for _ in range(int(inputs.get(minimum_key) or 0))]
    pool = alphabet(inputs)
    if not pool:
        raise ValueError("pulumi_random needs at least one character class")
    rest = [rng.choice(pool) for _ in range(length - len(required))]
    result = required + rest
    rng.shuffle(result)
    return "".join(result)
