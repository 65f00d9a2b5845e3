"""The APP_KEY that the Masonite app encrypts its cookies with."""

from __future__ import annotations

import pulumi
import pulumi_random as random

APP_KEY_LENGTH = 64
"""64 letters and digits: about 380 bits, far above the app's 32-character minimum.

Without special characters the key is safe in env vars and shells, and the app
derives its Fernet key from it (see app/security/app_key.py in the project).
"""


class AppKey(pulumi.ComponentResource):
    """The configured `appKey`, or a random one that stays stable across updates."""

    value: pulumi.Output[str]

    def __init__(self, name: str, configured: str | None, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("masonite:app:AppKey", name, None, opts)
        if configured:
            self.value = pulumi.Output.secret(configured)
        else:
            password = random.RandomPassword(
                f"{name}-random",
                length=APP_KEY_LENGTH,
                special=False,
                upper=True,
                lower=True,
                numeric=True,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.value = pulumi.Output.secret(password.result)
        self.register_outputs({"value": self.value})
