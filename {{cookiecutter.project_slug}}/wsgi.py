"""The WSGI entry point: `gunicorn wsgi:application` (see Procfile).

`application` is the Masonite Application (the service container); calling it
runs the WSGI handler chain built by the providers. Tools and tests can use
`from wsgi import application; application.make("cache")`.
"""

from masonite.foundation import Application
from masonite.utils.location import base_path

from app.FrameworkKernel import FrameworkKernel
from app.Kernel import Kernel as ApplicationKernel
from config.providers import PROVIDERS

application = Application(base_path())

application.register_providers(FrameworkKernel, ApplicationKernel)

application.add_providers(*PROVIDERS)
