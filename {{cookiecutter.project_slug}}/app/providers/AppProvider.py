from masonite.providers import Provider


class AppProvider(Provider):
    def __init__(self, application):
        self.application = application

    def register(self):
        # Runs once per process. App-wide template data goes here, for example
        # self.application.make("view").share({"support_email": "help@example.com"}):
        # what a request shares lasts for that request only.
        pass

    def boot(self):
        # Runs for every request, after the page has been rendered.
        pass
