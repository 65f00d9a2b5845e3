from masonite.controllers import Controller
from masonite.request import Request
from masonite.response import Response
from masonite.views import View

from app.formatting import filesize
from app.models.Upload import Upload
from app.uploads.UploadLibrary import UploadLibrary
from production_layer.http_errors import BadRequest, HttpError


class UploadController(Controller):
    """The example uploads feature: a form, the list (from the database), presigned downloads and direct uploads."""

    def __init__(self, request: Request):
        app = request.app
        config = app.make("config")
        self.library = UploadLibrary(
            disk=app.make("storage").disk("s3"),
            cache=app.make("cache").store(),
            records=Upload,
            max_bytes=config.get("application.max_upload_bytes"),
            max_direct_bytes=config.get("application.max_direct_upload_bytes"),
        )
        self.refresh_seconds = config.get("application.uploads_refresh_seconds")

    def index(self, view: View, request: Request):
        return view.render("uploads", self.page_context(request))

    def recent(self, view: View, response: Response):
        """The list alone, for the page to refresh itself (storage/public/js/uploads.js)."""
        response.header("Cache-Control", "no-store")
        return view.render("uploads_list", {"uploads": self.library.recent()})

    def store(self, request: Request, response: Response, view: View):
        files = request.input("file", None)
        upload = files[0] if isinstance(files, list) and files else files
        try:
            entry = self.library.store(upload)
        except HttpError as error:
            return response.view(
                view.render("uploads", self.page_context(request, error=error.message)), error.get_status()
            )
        request.session.flash("success", self.uploaded_message(entry))
        return response.redirect("/uploads", status=303)

    def show(self, request: Request, response: Response):
        # Not response.redirect(): it rebuilds URLs without their port and re-encodes the signature.
        response.header("Location", self.library.download_url(request.param("token")))
        response.header("Cache-Control", "no-store")
        return response.view("", status=302)

    def presign(self, request: Request, response: Response):
        return response.json(self.library.presign(request.input_bag.all_as_values()))

    def confirm(self, request: Request, response: Response):
        key = request.input("key", None)
        if not isinstance(key, str):
            raise BadRequest("'key' must be the key returned by /uploads/presign.")
        entry = self.library.confirm(key)
        # The page shows this itself: no flash, which would show again on the next page.
        return response.json({"upload": entry, "message": self.uploaded_message(entry)})

    def page_context(self, request: Request, error: str | None = None) -> dict:
        return {
            "uploads": self.library.recent(),
            "success": request.session.get("success"),
            "error": error,
            "max_bytes": self.library.max_bytes,
            "max_direct_bytes": self.library.max_direct_bytes,
            "refresh_seconds": self.refresh_seconds,
        }

    @staticmethod
    def uploaded_message(entry: dict) -> str:
        return f"Uploaded {entry['name']} ({filesize(entry['size'])})."
