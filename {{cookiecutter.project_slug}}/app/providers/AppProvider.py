from masonite.providers import Provider

from app.formatting import FILTERS


class AppProvider(Provider):
    def __init__(self, application):
        self.application = application

    def register(self):
        view = self.application.make("view")
        for name, function in FILTERS.items():
            view.filter(name, function)

    def boot(self):
        pass
