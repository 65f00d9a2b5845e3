"""Serve the public asset folders, and nothing else, with WhiteNoise.

Replaces stock `WhitenoiseProvider`, which rooted WhiteNoise at `storage/` and so
served the file cache and the local disk under `/framework/...`.
"""

from masonite.providers import Provider
from masonite.utils.location import base_path
from whitenoise import WhiteNoise

PUBLIC_FOLDERS = {
    "storage/public": "/",
    "storage/compiled": "/static/",
}


class StaticFilesProvider(Provider):
    def __init__(self, application):
        self.application = application

    def register(self):
        static = WhiteNoise(
            self.application.get_response_handler(),
            autorefresh=self.application.is_debug(),
            max_age=3600,
            # WhiteNoise sends Access-Control-Allow-Origin: * by default.
            allow_all_origins=self.application.make("config").get("security.static_files_allow_all_origins"),
        )
        for folder, prefix in PUBLIC_FOLDERS.items():
            static.add_files(base_path(folder), prefix=prefix)
        self.application.set_response_handler(static)

    def boot(self):
        pass
