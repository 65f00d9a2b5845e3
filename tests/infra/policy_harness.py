"""Call the policy pack's policies directly, on hand-made props or on what a mock run registered.

The pack's `__main__.py` starts an analyzer server and blocks, so only its
`policies.py` is loaded here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from tests.infra.program_harness import ProgramRun


def load_pack(infra_dir: Path):
    path = infra_dir / "policy" / "policies.py"
    spec = importlib.util.spec_from_file_location(f"infra_policy_pack_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def options() -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )


def violations_of(policy: ResourceValidationPolicy, resource_type: str, props: dict) -> list[str]:
    found: list[str] = []
    args = ResourceValidationArgs(resource_type, props, f"urn:pulumi:test::p::{resource_type}::r", "r", options(), None)
    policy.validate(args, lambda message, urn=None: found.append(message))
    return found


def stack_violations_of(policy: StackValidationPolicy, resources: list[PolicyResource]) -> list[str]:
    found: list[str] = []
    policy.validate(StackValidationArgs(resources), lambda message, urn=None: found.append(message))
    return found


def policy_resources(run: ProgramRun) -> list[PolicyResource]:
    """The registered custom resources as the analyzer would hand them to stack policies."""
    by_urn = {
        r.urn: PolicyResource(r.type, r.state, r.urn, r.name, options(), None, None, [], {})
        for r in run.custom_resources()
    }
    for r in run.custom_resources():
        by_urn[r.urn].property_dependencies = {
            key: [by_urn[urn] for urn in urns if urn in by_urn] for key, urns in r.property_dependencies.items()
        }
    return list(by_urn.values())


def resource(type_: str, name: str, props: dict, depends_on: dict | None = None) -> PolicyResource:
    return PolicyResource(
        type_, props, f"urn:pulumi:test::p::{type_}::{name}", name, options(), None, None, [], depends_on or {}
    )


def all_violations(pack, run: ProgramRun) -> dict[str, list[str]]:
    """policy name -> its messages, for every policy of the pack that objects to what `run` registered."""
    found: dict[str, list[str]] = {}
    for policy in pack.POLICIES:
        if isinstance(policy, ResourceValidationPolicy):
            messages = [
                message
                for registered in run.custom_resources()
                for message in violations_of(policy, registered.type, registered.inputs)
            ]
        else:
            messages = stack_violations_of(policy, policy_resources(run))
        if messages:
            found[policy.name] = messages
    return found
