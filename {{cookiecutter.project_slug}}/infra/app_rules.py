"""The app's own rules, imported from its production layer so that infra/ and the app cannot disagree.

infra/ sits beside the app's `production_layer/` package, in a generated project and in the
template alike, so their common parent goes on the import path. `production_layer.app_key` needs
nothing beyond the standard library, which is all this venv has of the app's dependencies.
"""

import sys
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(_PROJECT_ROOT) not in sys.path:
    sys.path.append(str(_PROJECT_ROOT))

from production_layer.app_key import GENERATED_LENGTH, app_key_problem  # noqa: E402

__all__ = ["GENERATED_LENGTH", "app_key_problem"]
