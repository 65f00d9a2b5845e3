"""One upload to S3 that answers within a deadline, whatever S3 does, and leaves nothing behind.

A multipart upload makes several calls, each of which botocore may retry after a
timeout, and s3transfer then tries to abort it (more calls, more timeouts): against an S3
that hangs, that adds up to more than gunicorn's 15 s worker timeout, and the worker is
killed before it can answer. So the transfer runs in a thread of its own and the request
waits for it at most `seconds`:

* it succeeds in time: the key is returned;
* it fails in time: the failure is raised at once (the caller turns it into a 503);
* the deadline passes: TimeoutError is raised, and the thread carries on alone.

Whichever way it fails, the thread then deletes the key (best effort, as soon as the
transfer has stopped): a failed call may have been carried out by S3 even though its
answer was lost (a CompleteMultipartUpload whose response never arrived), and an upload
that finishes after the request gave up must not stay. The key is new for every upload,
so nothing else is ever deleted. If S3 is still unreachable the object, which has no
database record, is never listed; an incomplete multipart upload that S3 could not be
told to abort is removed by the bucket's lifecycle rule (infra/).
"""

import logging
import threading

logger = logging.getLogger("app.storage")


class TransferWithDeadline:
    def __init__(self, client, bucket: str, key: str, upload, seconds: float):
        """`upload` is a callable doing the whole transfer with `client`; it raises on failure."""
        self.client = client
        self.bucket = bucket
        self.key = key
        self.upload = upload
        self.seconds = seconds
        self.lock = threading.Lock()
        self.finished = threading.Event()
        self.error: BaseException | None = None
        self.abandoned = False

    def run(self) -> str:
        threading.Thread(target=self.transfer, name=f"s3-upload {self.key}", daemon=True).start()
        finished = self.finished.wait(self.seconds)
        with self.lock:
            if not finished and not self.finished.is_set():
                self.abandoned = True
                raise TimeoutError(f"the upload of {self.key} did not finish within {self.seconds:g} s")
            error = self.error
        if error is not None:
            raise error
        return self.key

    def transfer(self) -> None:
        try:
            self.upload()
        except BaseException as error:  # handed to the waiting request, whatever it is
            with self.lock:
                self.error = error
                self.finished.set()
            self.remove()
            return
        with self.lock:
            abandoned = self.abandoned
            self.finished.set()
        if abandoned:
            self.remove()

    def remove(self) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key)
        except Exception as error:  # best effort: without a record it is never listed
            logger.warning("could not delete %s after its upload failed: %s", self.key, type(error).__name__)
