"""Masonite's View, keeping compiled templates between requests.

Stock `View.load_template` builds a new Jinja Environment for every render, so
every template (and every template it extends) is parsed and compiled again on
every request: two thirds of the time of a simple page. Here each kind of
template location keeps its Environment, and with it Jinja's compiled-template
cache. With APP_DEBUG on, Jinja notices edited template files (auto_reload); in
production the slug's templates never change, so it does not look.
"""

from os.path import split

from masonite.utils.str import as_filepath
from masonite.views import View


# Masonite internal, pinned by test_view_state_is_instance_attributes_and_load_template_sets_env.
class CachedView(View):
    def __init__(self, application):
        super().__init__(application)
        self._environments = {}

    def load_template(self, template: str):
        key = self._environment_key(template)
        cached = self._environments.get(key)
        if cached is not None and not key[0]:
            # The view locations' Environment: what stock load_template sets, without building another.
            self.template = template
            self.filename = as_filepath(template).replace(self.extension, "") + self.extension
            self.env = cached
            cached.filters.update(self._filters)
            return
        super().load_template(template)
        if cached is None:
            self.env.auto_reload = self.application.is_debug()
            self._environments[key] = self.env
        else:
            self.env = cached

    def _environment_key(self, template: str) -> tuple:
        if ":" in template:
            location = template.split(":")[0]
        elif template.startswith("/"):
            location = split(template)[0]
        else:
            location = ""
        return (location, len(self.loaders), tuple(self._jinja_extensions), tuple(sorted(self._filters)))
