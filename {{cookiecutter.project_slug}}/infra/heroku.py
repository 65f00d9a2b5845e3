"""The Heroku side: the app (looked up, or managed here), its database add-on and its config vars."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pulumi
import pulumiverse_heroku as heroku
from config import HerokuSettings

# Heroku cannot move an app to another region, space or team here: the app would be replaced, and a
# replacement cannot take the name of the app it replaces (nor its database).
PLACEMENT_FIXED_AT_CREATION = ["region", "space", "organization"]
HEROKU_APP_NOT_FOUND = "couldn't find that app"


@dataclass(frozen=True)
class ExistingApp:
    """What Heroku says about an app that already exists."""

    uuid: str
    name: str
    web_url: str
    git_url: str
    region: str
    space: str | None
    has_build: bool
    """Whether a build has been released: a formation can only be set for a process type that exists."""


@dataclass(frozen=True)
class PrivateSpace:
    """What an app created in a Private Space needs: the space's region and the team that owns it."""

    name: str
    region: str
    team: str


def look_up_space(name: str) -> PrivateSpace:
    found = heroku.space.get_space(name=name)
    return PrivateSpace(name=found.name, region=found.region, team=found.organization)


def look_up_app(name: str) -> ExistingApp | None:
    """The app named `name`, or None when Heroku has no such app (yet).

    A plain (blocking) invoke, so that its answer can decide which resources the
    program registers, and refuse a configuration before registering any.
    """
    try:
        found = heroku.app.get_app(name=name)
    except Exception as error:
        # The provider passes on the Heroku API's 404 message in a generic invoke error.
        if HEROKU_APP_NOT_FOUND in str(error).lower():
            return None
        raise
    return ExistingApp(
        uuid=found.uuid,
        name=found.name,
        web_url=found.web_url,
        git_url=found.git_url,
        region=found.region,
        space=found.space or None,
        has_build=bool(found.last_slug_id),
    )


class HerokuApp(pulumi.ComponentResource):
    """The Heroku app named by `herokuApp`, plus the Heroku Postgres add-on when the stack manages add-ons.

    By default the app already exists (`heroku create`) and is only looked up.
    With `manageHerokuApp` this stack creates it. Heroku's API wants the app's
    UUID, not its name, wherever an app is referenced, hence `app_id`.
    """

    app_id: pulumi.Output[str]
    name: pulumi.Output[str]
    web_url: pulumi.Output[str]
    git_url: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        settings: HerokuSettings,
        existing: ExistingApp | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:heroku:HerokuApp", name, None, opts)
        # Deleting the app would delete its Postgres database with it.
        keep = pulumi.ResourceOptions(parent=self, retain_on_delete=settings.retain_database_on_delete)

        if settings.manage_app:
            # An app in a Private Space runs in the space's region and belongs to the space's team.
            space = look_up_space(settings.space) if settings.space else None
            app = heroku.app.App(
                f"{name}-app",
                name=settings.app_name,
                region=space.region if space else settings.region,
                space=space.name if space else None,
                organization={"name": space.team} if space else None,
                opts=pulumi.ResourceOptions.merge(
                    keep, pulumi.ResourceOptions(ignore_changes=PLACEMENT_FIXED_AT_CREATION)
                ),
            )
            self.app_id, self.name, self.web_url, self.git_url = app.uuid, app.name, app.web_url, app.git_url
            if existing is not None:
                _warn_about_placement(settings, existing, space.region if space else settings.region)
        else:
            assert existing is not None, "config.check_existing_app refuses a missing app"
            self.app_id = pulumi.Output.from_input(existing.uuid)
            self.name = pulumi.Output.from_input(existing.name)
            self.web_url = pulumi.Output.from_input(existing.web_url)
            self.git_url = pulumi.Output.from_input(existing.git_url)

        if settings.manage_addons and settings.postgres_plan:
            heroku.addon.Addon(f"{name}-postgres", app_id=self.app_id, plan=settings.postgres_plan, opts=keep)

        self.register_outputs(
            {"app_id": self.app_id, "name": self.name, "web_url": self.web_url, "git_url": self.git_url}
        )

    @property
    def origin(self) -> pulumi.Output[str]:
        """The browser origin of the app's web URL, e.g. https://myapp-0123456789ab.herokuapp.com."""
        return self.web_url.apply(origin_of)


class HerokuConfigVars(pulumi.ComponentResource):
    """The config vars the app reads; secrets go in `sensitive_vars` so they are masked.

    `association` is exposed so that an add-on can be ordered after it: an add-on
    cannot take a config var (REDIS_URL) that the association still sets.
    """

    association: heroku.app.ConfigAssociation

    def __init__(
        self,
        name: str,
        app_id: pulumi.Input[str],
        plain: dict[str, pulumi.Input[str]],
        sensitive: dict[str, pulumi.Input[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:heroku:HerokuConfigVars", name, None, opts)
        self.association = heroku.app.ConfigAssociation(
            f"{name}-vars",
            app_id=app_id,
            vars=plain,
            sensitive_vars={key: pulumi.Output.secret(value) for key, value in sensitive.items()},
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _warn_about_placement(settings: HerokuSettings, existing: ExistingApp, region: str) -> None:
    if existing.region != region:
        pulumi.log.warn(
            f"herokuRegion is '{region}' but the app {existing.name} runs in '{existing.region}': Heroku "
            "cannot move an app, so the setting only applies when the app is created. To move, create a new app "
            "under a new herokuApp name and migrate the database (infra/README.md, 'Replacements and names')."
        )
    if (existing.space or None) != settings.space:
        pulumi.log.warn(
            f"herokuSpace is '{settings.space or ''}' but the app {existing.name} is in "
            f"'{existing.space or 'the Common Runtime'}': the setting only applies when the app is created."
        )
