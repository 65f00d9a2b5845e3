"""The APP_KEY that the Masonite app encrypts its cookies with."""

from __future__ import annotations

import pulumi
import pulumi_random as random
from app_rules import GENERATED_LENGTH

# Letters and digits only: safe in env vars and shells, about 380 bits for 64 characters.
# The app derives its Fernet key from it (production_layer/app_key.py).
APP_KEY_LENGTH = GENERATED_LENGTH


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
