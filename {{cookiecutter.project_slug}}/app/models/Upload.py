"""Upload Model."""

from masoniteorm.models import Model


class Upload(Model):
    """A file in the uploads bucket. A row is written only once S3 holds the object
    (see app/uploads/UploadLibrary.py), so the list never shows a file that is not there."""

    __table__ = "uploads"
    __fillable__ = ["key", "original_name", "size", "content_type", "created_at"]
    __timestamps__ = False
    __dates__ = ["created_at"]
