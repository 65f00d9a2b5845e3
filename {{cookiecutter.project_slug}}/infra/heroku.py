"""The Heroku side: the app (looked up, or managed here) and the config vars it runs with."""

from __future__ import annotations

from urllib.parse import urlsplit

import pulumi
import pulumiverse_heroku as heroku
from config import HerokuSettings


class HerokuApp(pulumi.ComponentResource):
    """The Heroku app named by `herokuApp`, plus an optional Heroku Postgres add-on.

    By default the app already exists (`heroku create`) and is only looked up.
    With `manageHerokuApp` this stack creates it. Heroku's API wants the app's
    UUID, not its name, wherever an app is referenced, hence `app_id`.
    """

    app_id: pulumi.Output[str]
    name: pulumi.Output[str]
    web_url: pulumi.Output[str]
    git_url: pulumi.Output[str]

    def __init__(self, name: str, settings: HerokuSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("masonite:heroku:HerokuApp", name, None, opts)
        # Deleting the app would delete its Postgres database with it.
        keep = pulumi.ResourceOptions(parent=self, retain_on_delete=settings.retain_database_on_delete)

        if settings.manage_app:
            app = heroku.app.App(f"{name}-app", name=settings.app_name, region=settings.region, opts=keep)
            self.app_id, self.name, self.web_url, self.git_url = app.uuid, app.name, app.web_url, app.git_url
        else:
            found = heroku.app.get_app_output(name=settings.app_name, opts=pulumi.InvokeOutputOptions(parent=self))
            self.app_id, self.name, self.web_url, self.git_url = found.uuid, found.name, found.web_url, found.git_url

        if settings.postgres_plan:
            heroku.addon.Addon(f"{name}-postgres", app_id=self.app_id, plan=settings.postgres_plan, opts=keep)

        self.register_outputs(
            {"app_id": self.app_id, "name": self.name, "web_url": self.web_url, "git_url": self.git_url}
        )

    @property
    def origin(self) -> pulumi.Output[str]:
        """The browser origin of the app's web URL, e.g. https://myapp-0123456789ab.herokuapp.com."""
        return self.web_url.apply(origin_of)


class HerokuConfigVars(pulumi.ComponentResource):
    """The config vars the app reads; secrets go in `sensitive_vars` so they are masked."""

    def __init__(
        self,
        name: str,
        app_id: pulumi.Input[str],
        plain: dict[str, pulumi.Input[str]],
        sensitive: dict[str, pulumi.Input[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:heroku:HerokuConfigVars", name, None, opts)
        heroku.app.ConfigAssociation(
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
