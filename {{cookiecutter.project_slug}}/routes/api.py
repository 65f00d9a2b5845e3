"""API routes.

Routes defined here are registered under the "/api" prefix with the "api"
middleware group when the ApiProvider is enabled in config/providers.py.
"""

ROUTES = [
    # Route.get("/users", "UsersController@index"),
]
