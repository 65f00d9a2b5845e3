from masonite.routes import Route

# Routes in the "web" middleware group: session cookie, CSRF protection.
ROUTES = [
    Route.get("/", "WelcomeController@show").name("welcome"),
{%- if cookiecutter.include_example_uploads == "y" %}
    Route.get("/uploads", "UploadController@index").name("uploads.index"),
    Route.post("/uploads", "UploadController@store").name("uploads.store"),
    Route.get("/uploads/recent", "UploadController@recent").name("uploads.recent"),
    Route.post("/uploads/presign", "UploadController@presign").name("uploads.presign"),
    Route.post("/uploads/confirm", "UploadController@confirm").name("uploads.confirm"),
    Route.get("/uploads/@token", "UploadController@show").name("uploads.show"),
{%- endif %}
]
