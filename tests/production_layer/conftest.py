"""Unit tests of the production layer, run once against the package in the template.

`production_layer/` is copied into every generated project without rendering, so a bake
adds nothing to these tests: they import the template's own copy. Behaviour that needs a
running app (routing, sessions, two dynos) is tested end to end on baked projects instead.
"""

from __future__ import annotations

import sys

import pytest

from tests.support.baking import PROJECT_TEMPLATE
from tests.support.bare_masonite import bare_application

# Last on the path, so the template's own `tests` package keeps its name.
if str(PROJECT_TEMPLATE) not in sys.path:
    sys.path.append(str(PROJECT_TEMPLATE))


@pytest.fixture
def application():
    """A bare Masonite application, for code that reaches Masonite's facades or `config()`."""
    with bare_application() as application:
        yield application
