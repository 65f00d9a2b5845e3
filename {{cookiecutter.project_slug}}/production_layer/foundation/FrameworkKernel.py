"""Masonite's framework kernel, with the environment loaded the Heroku way.

Stock Masonite loads `.env` over the real environment (so a stray `.env` in the
slug would beat Heroku's config vars) and `.env.testing` under pytest. Here
`.env` only fills in what the environment does not set, and a process that
lacks a required setting, or whose APP_KEY or APP_KEY_FALLBACKS is unusable,
stops at boot with a message naming the variable (never a key). Requests are
handled by production_layer/foundation/ResponseHandler.py.
"""

import os

from masonite.foundation import Kernel

from production_layer.app_key import InvalidAppKey, require_app_keys
from production_layer.environment import load_local_env, require_settings
from production_layer.foundation.ResponseHandler import ResponseHandler


class FrameworkKernel(Kernel):
    # Masonite internal, pinned by test_kernel_register_loads_the_environment_first.
    def load_environment(self) -> None:
        load_local_env()
        require_settings()
        try:
            require_app_keys(os.environ["APP_KEY"], os.environ.get("APP_KEY_FALLBACKS"))
        except InvalidAppKey as error:
            raise SystemExit(str(error)) from None

    # Masonite internal, pinned by test_kernel_register_sets_the_response_handler_in_register_framework.
    def register_framework(self) -> None:
        super().register_framework()
        self.application.set_response_handler(ResponseHandler(self.application))
