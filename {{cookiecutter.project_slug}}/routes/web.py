from masonite.routes import Route

# Routes in the "web" middleware group: session cookie, CSRF protection.
ROUTES = [
    Route.get("/", "WelcomeController@show").name("welcome"),
{%- if cookiecutter.include_example_uploads == "y" %}
    Route.get("/uploads", "UploadController@index").name("uploads.index"),
    # Limits per client, across every dyno: config/rates.py (UPLOAD_RATE_LIMIT).
    Route.post("/uploads", "UploadController@store").name("uploads.store").middleware("throttle:uploads"),
    Route.get("/uploads/recent", "UploadController@recent").name("uploads.recent"),
    Route.post("/uploads/presign", "UploadController@presign").name("uploads.presign").middleware("throttle:uploads"),
    Route.post("/uploads/confirm", "UploadController@confirm")
    .name("uploads.confirm")
    .middleware("throttle:upload-confirmations"),
    Route.get("/uploads/@token", "UploadController@show").name("uploads.show"),
{%- endif %}
]
