"""Zero-downtime deploys and the web dyno formation of a managed Heroku app."""

from __future__ import annotations

import pulumi
import pulumiverse_heroku as heroku
from config import HerokuSettings

PREBOOT = "preboot"
WEB = "web"


class WebProcess(pulumi.ComponentResource):
    """Preboot on, and `webDynoQuantity` web dynos of `webDynoSize`.

    With preboot, a release starts new web dynos and routes to them before the
    old ones stop: for a few minutes two releases serve side by side (the release
    phase has already migrated the database by then). Heroku sets a formation
    only for a process type that exists, i.e. once a build with the Procfile's
    `web` has been released, so the formation waits for the first `git push`.
    WEB_CONCURRENCY (gunicorn workers per dyno) is a config var, see `__main__`.
    """

    def __init__(
        self,
        name: str,
        app_id: pulumi.Input[str],
        settings: HerokuSettings,
        has_build: bool,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:heroku:WebProcess", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if settings.preboot:
            heroku.app.Feature(f"{name}-preboot", app_id=app_id, name=PREBOOT, enabled=True, opts=child)
        if has_build:
            heroku.formation.Formation(
                f"{name}-formation",
                app_id=app_id,
                type=WEB,
                quantity=settings.web.quantity,
                size=settings.web.size,
                opts=child,
            )
        else:
            pulumi.log.info(
                f"The web formation ({settings.web.quantity} x {settings.web.size}) is set once the app has a "
                "build: git push heroku main, then pulumi up again."
            )
        self.register_outputs({})
