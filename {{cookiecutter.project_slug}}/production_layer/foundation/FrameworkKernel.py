"""Masonite's framework kernel, with the environment loaded the Heroku way.

Stock Masonite loads `.env` over the real environment (so a stray `.env` in the
slug would beat Heroku's config vars) and `.env.testing` under pytest. Here
`.env` only fills in what the environment does not set, and a process that
lacks a required setting stops at boot with one message naming them all.
"""

import os

from masonite.foundation import Kernel

from production_layer.app_key import InvalidAppKey, fernet_key_from_app_key
from production_layer.environment import load_local_env, require_settings


class FrameworkKernel(Kernel):
    # Masonite internal, pinned by test_kernel_register_loads_the_environment_first.
    def load_environment(self) -> None:
        load_local_env()
        require_settings()
        try:
            fernet_key_from_app_key(os.environ["APP_KEY"])
        except InvalidAppKey as error:
            raise SystemExit(str(error)) from None
