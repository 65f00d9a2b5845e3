from masonite.providers import Provider

from app.formatting import FILTERS


class AppProvider(Provider):
    def __init__(self, application):
        self.application = application

    def register(self):
        # Runs once per process. App-wide template data goes here, for example
        # self.application.make("view").share({"support_email": "help@example.com"}):
        # what a request shares lasts for that request only.
        view = self.application.make("view")
        # Template filters for sizes and times (app/formatting.py), such as upload.size|filesize.
        for name, function in FILTERS.items():
            view.filter(name, function)

    def boot(self):
        # Runs for every request, after the page has been rendered.
        pass
