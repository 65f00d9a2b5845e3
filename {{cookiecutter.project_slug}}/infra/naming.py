"""Physical names and tags derived from the Pulumi project and stack.

Nothing here hard-codes the project: the generated project's `Pulumi.yaml`
carries its slug, and `pulumi.get_project()` hands it to these helpers.
"""

from __future__ import annotations

import re

BUCKET_SUFFIX_BYTES = 4
"""The random bucket suffix is 4 bytes, i.e. 8 hex characters."""

_MAX_BUCKET_NAME = 63


def resource_prefix(project: str, stack: str, max_length: int = 40) -> str:
    """`<project>-<stack>` reduced to lowercase letters, digits and single hyphens.

    Such a prefix is valid in S3 bucket names, IAM user names and most other AWS
    names, whatever characters the project slug or stack name contain.
    """
    raw = f"{project}-{stack}".lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", raw).strip("-")
    cleaned = cleaned[:max_length].rstrip("-")
    return cleaned or "app"


def bucket_name(prefix: str, suffix: str) -> str:
    """`<prefix>-<suffix>`, with the prefix shortened so the whole name fits in 63 characters."""
    room = _MAX_BUCKET_NAME - len(suffix) - 1
    return f"{prefix[:room].rstrip('-')}-{suffix}"


def tags(project: str, stack: str) -> dict[str, str]:
    """Tags on every AWS resource, so a console user can tell what created it."""
    return {"pulumi:project": project, "pulumi:stack": stack, "managed-by": "pulumi"}
