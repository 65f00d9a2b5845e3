"""A `pulumi up` from one run of the program to the next, played against Heroku's config-var rules.

The mocks show what each run registers; this module plays the update between two
runs the way Pulumi's engine schedules it, against a small model of one Heroku app:

* Engine: a resource the new run registers is created (or updated, if its inputs
  changed) as soon as everything it depends on is done, concurrently otherwise; a
  resource it no longer registers is deleted only after every create and update,
  dependents first. An error stops the update there: nothing is deleted.
* Heroku: an add-on owns the config var it sets (REDIS_URL for the Key-Value Store,
  DATABASE_URL for Postgres). Config vars cannot write a var an add-on owns; an add-on
  cannot take a var that config vars set; a second add-on of a service gets
  HEROKU_<SERVICE>_<COLOR>_URL instead. Deleting an add-on or config vars removes their vars.

`play(before, after)` tries every order the engine may pick for the Heroku steps
and returns each outcome, so a test can require that all of them succeed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from tests.infra.program_harness import HEROKU_ADDON, HEROKU_CONFIG, ProgramRun, RegisteredResource

ADDON_CONFIG_VARS = {"heroku-redis": "REDIS_URL", "heroku-postgresql": "DATABASE_URL"}
SECOND_ADDON_COLOR = "AMBER"


class HerokuRefused(Exception):
    """What the Heroku API answers when a step breaks its config-var rules."""


@dataclass(frozen=True)
class Step:
    action: str  # "create", "update" or "delete"
    resource: RegisteredResource

    def __str__(self) -> str:
        return f"{self.action} {self.resource.name}"


@dataclass
class FakeHerokuApp:
    """Config vars of one app: name -> (value, owner URN)."""

    vars: dict[str, tuple[str, str]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    """URN -> "addon" or "config", for every owner that exists."""

    def value(self, name: str) -> str | None:
        return self.vars[name][0] if name in self.vars else None

    def owner(self, name: str) -> str | None:
        return self.vars[name][1] if name in self.vars else None

    def apply(self, step: Step) -> None:
        resource = step.resource
        if resource.type == HEROKU_CONFIG:
            if step.action == "delete":
                self._drop(resource.urn)
            else:
                self._write_config(resource)
        elif resource.type == HEROKU_ADDON:
            if step.action == "create":
                self._attach(resource)
            elif step.action == "delete":
                self._drop(resource.urn)

    def _write_config(self, association: RegisteredResource) -> None:
        wanted = {**(association.inputs.get("vars") or {}), **(association.inputs.get("sensitiveVars") or {})}
        for name in wanted:
            owner = self.owner(name)
            if owner is not None and self.owners.get(owner) == "addon":
                raise HerokuRefused(f"Cannot overwrite attachment values {name}.")
        self._drop(association.urn)
        self.owners[association.urn] = "config"
        for name, value in wanted.items():
            self.vars[name] = (value, association.urn)

    def _attach(self, addon: RegisteredResource) -> None:
        service = addon.inputs["plan"].split(":", 1)[0]
        name = ADDON_CONFIG_VARS[service]
        owner = self.owner(name)
        if owner is not None and self.owners.get(owner) == "config":
            raise HerokuRefused(f"{name} is already set on the app; the add-on cannot take it.")
        if owner is not None:  # another add-on of the service: this one is billed under another name
            name = f"HEROKU_{service.upper().replace('-', '_')}_{SECOND_ADDON_COLOR}_URL"
        self.owners[addon.urn] = "addon"
        self.vars[name] = (f"{service}://{addon.name}", addon.urn)

    def _drop(self, urn: str) -> None:
        self.owners.pop(urn, None)
        self.vars = {name: held for name, held in self.vars.items() if held[1] != urn}


@dataclass(frozen=True)
class Outcome:
    order: tuple[str, ...]
    """The Heroku steps in the order they ran (up to the refused one)."""
    app: FakeHerokuApp
    refused: str | None = None
    """Heroku's error, if a step was refused."""
    refused_step: str | None = None


def heroku_state_after(run: ProgramRun) -> FakeHerokuApp:
    """The app as a successful `pulumi up` of `run` leaves it (from a fresh app)."""
    app = FakeHerokuApp()
    for resource in _heroku_resources(run):
        app.apply(Step("create", resource))
    return app


def play(before: ProgramRun, after: ProgramRun) -> list[Outcome]:
    """Every outcome of the update from `before` (deployed) to `after`, one per order the engine may take."""
    old = {resource.urn: resource for resource in _heroku_resources(before)}
    changes = [
        Step("update" if resource.urn in old else "create", resource)
        for resource in _heroku_resources(after)
        if resource.urn not in old or _differs(old[resource.urn], resource)
    ]
    registered = {resource.urn for resource in after.resources}
    deletes = [Step("delete", resource) for resource in reversed(list(old.values())) if resource.urn not in registered]
    outcomes = []
    for order in _engine_orders(changes, after):
        app = heroku_state_after(before)
        ran: list[str] = []
        refused = refused_step = None
        for step in [*order, *deletes]:
            try:
                app.apply(step)
            except HerokuRefused as error:
                refused, refused_step = str(error), str(step)
                break
            ran.append(str(step))
        outcomes.append(Outcome(tuple(ran), app, refused, refused_step))
    return outcomes


def _engine_orders(steps: list[Step], run: ProgramRun) -> Iterator[list[Step]]:
    """Every order of `steps` that respects the run's dependencies (direct or through other resources)."""
    urns = {step.resource.urn for step in steps}
    waits_for = {step.resource.urn: _transitive_dependencies(step.resource.urn, run) & urns for step in steps}
    for order in itertools.permutations(steps):
        done: set[str] = set()
        for step in order:
            if waits_for[step.resource.urn] - done:
                break
            done.add(step.resource.urn)
        else:
            yield list(order)


def _transitive_dependencies(urn: str, run: ProgramRun) -> set[str]:
    by_urn = {resource.urn: resource for resource in run.resources}
    found: set[str] = set()
    pending = [urn]
    while pending:
        resource = by_urn.get(pending.pop())
        if resource is None:
            continue
        direct = set(resource.depends_on) | {u for urns in resource.property_dependencies.values() for u in urns}
        for dependency in direct - found:
            found.add(dependency)
            pending.append(dependency)
    return found


def _heroku_resources(run: ProgramRun) -> list[RegisteredResource]:
    run.raise_error()
    return [resource for resource in run.resources if resource.type in (HEROKU_CONFIG, HEROKU_ADDON)]


def _differs(old: RegisteredResource, new: RegisteredResource) -> bool:
    return old.inputs != new.inputs
