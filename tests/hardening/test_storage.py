"""Defect 7: the S3 and local disks."""

import os
import uuid

import requests

from tests.support.memory import gunicorn_worker, peak_rss_growth_during
from tests.support.processes import endpoint_url

S3 = "disk = application.make('storage').disk('s3')\n"
RECORD_OPERATIONS = """
import botocore.client
operations = []
if not hasattr(botocore.client.BaseClient, '_original_call'):
    botocore.client.BaseClient._original_call = botocore.client.BaseClient._make_api_call
def _recording_call(self, name, params):
    operations.append(name)
    return botocore.client.BaseClient._original_call(self, name, params)
botocore.client.BaseClient._make_api_call = _recording_call
"""
RECORD_SIGNERS = """
import botocore.auth
signers = []
if not hasattr(botocore.auth.SigV4Auth, '_original_add_auth'):
    botocore.auth.SigV4Auth._original_add_auth = botocore.auth.SigV4Auth.add_auth
def _recording_add_auth(self, request):
    signers.append(self.credentials.access_key)
    return botocore.auth.SigV4Auth._original_add_auth(self, request)
botocore.auth.SigV4Auth.add_auth = _recording_add_auth
"""
UPLOAD = """
from masonite.filesystem import UploadedFile
upload = UploadedFile({name!r}, {content!r})
upload.content_type = 'image/png'
"""


def binary_problems(target) -> list[str]:
    key = f"probe/{uuid.uuid4().hex}.bin"
    data = bytes(range(256)) + b"\xff\xfe"
    try:
        back = target.run(S3 + f"disk.put({key!r}, {data!r})\nresult = list(disk.get({key!r}))")
    except Exception as error:  # the stock driver raises UnicodeDecodeError
        return [f"reading binary data failed: {str(error).splitlines()[0]}"]
    return [] if bytes(back) == data else ["binary data changed on the way back"]


def test_reads_are_binary_safe(app, stock):
    assert binary_problems(stock), "stock decodes every object as UTF-8"
    assert binary_problems(app) == []


def content_type_and_key_problems(target, s3_client, bucket) -> list[str]:
    problems = []
    code = (
        S3
        + UPLOAD.format(name="photo.png", content=b"\x89PNG data")
        + (
            "result = [disk.put_file('../../escape', upload, name='../../../etc/x'),"
            " disk.put_file('/absolute/dir', upload), disk.put_file('..\\\\windows', upload)]"
        )
    )
    keys = target.run(code)
    for key in keys:
        if ".." in key.split("/") or key.startswith("/") or "\\\\" in key or "\\\\" in key.replace("/", ""):
            problems.append(f"user-supplied path survived in key {key!r}")
        elif ".." in key or "\\" in key:
            problems.append(f"user-supplied path survived in key {key!r}")
        else:
            head = s3_client.head_object(Bucket=bucket, Key=key)
            if head["ContentType"] != "image/png":
                problems.append(f"stored as {head['ContentType']}")
    return problems


def test_keys_are_cleaned_and_content_type_is_stored(app, stock, stack):
    bucket = stack.settings["S3_BUCKET"]
    assert content_type_and_key_problems(stock, stack.s3_client(), bucket), "stock keeps ../ and drops the type"
    assert content_type_and_key_problems(app, stack.s3_client(), bucket) == []


def local_disk_problems(target) -> list[str]:
    name = f"escape-{uuid.uuid4().hex}.txt"
    root = target.run("result = application.make('storage').disk('local').options['path']")
    outside = os.path.normpath(os.path.join(root, "..", "..", name))
    try:
        target.run(
            f"import os; os.makedirs({root!r}, exist_ok=True)\n"
            f"application.make('storage').disk('local').put('../../{name}', 'x')"
        )
    except Exception:
        pass
    if os.path.exists(outside):
        os.remove(outside)
        return ["the local disk wrote outside its root"]
    return []


def test_the_local_disk_cannot_be_escaped(app, stock):
    assert local_disk_problems(stock), "stock joins ../ onto the disk root"
    assert local_disk_problems(app) == []


def exists_problems(target) -> list[str]:
    key = f"probe/{uuid.uuid4().hex}.txt"
    code = (
        S3
        + f"disk.put({key!r}, 'x' * 1000)\n"
        + RECORD_OPERATIONS
        + (
            f"found = disk.exists({key!r})\nmissing = disk.exists('probe/not-there')\nresult = [found, missing, operations]"
        )
    )
    found, missing, operations = target.run(code)
    problems = [] if (found, missing) == (True, False) else [f"exists() answered {found}, {missing}"]
    if set(operations) != {"HeadObject"}:
        problems.append(f"exists() called {operations}")
    return problems


def test_exists_uses_head(app, stock):
    assert exists_problems(stock), "stock downloads the object"
    assert exists_problems(app) == []


def credential_problems(target, s3) -> list[str]:
    second_disk = {
        "driver": "s3",
        "client": "second-key",
        "secret": "second-secret",
        "bucket": "app-uploads-test",
        "region": "us-east-1",
        "endpoint_url": endpoint_url(s3),
    }
    code = RECORD_SIGNERS + (
        "storage = application.make('storage')\n"
        "disks = dict(application.make('config').get('filesystem.disks'))\n"
        f"disks['second'] = {second_disk!r}\n"
        "storage.set_configuration(disks)\n"
        "for name in ('s3', 'second', 's3'):\n"
        "    storage.disk(name).exists('probe/anything')\n"
        "result = signers\n"
    )
    signers = target.run(code)
    return (
        []
        if signers[1] == "second-key" and signers[0] == signers[2] != "second-key"
        else [f"the disks signed with {signers}"]
    )


def test_each_disk_uses_its_own_credentials(app, stock, s3):
    assert credential_problems(stock, s3), "stock reuses the first disk's session"
    assert credential_problems(app, s3) == []


def streaming_download_problems(target) -> list[str]:
    key = f"probe/{uuid.uuid4().hex}.bin"
    size = 16 * 1024 * 1024
    code = S3 + (
        f"disk.put({key!r}, b'\\0' * {size})\n"
        "import tracemalloc\n"
        "tracemalloc.start()\n"
        f"body = disk.stream({key!r})\n"
        "total = 0\n"
        "if hasattr(body, 'read'):\n"
        "    while chunk := body.read(65536):\n"
        "        total += len(chunk)\n"
        "else:\n"
        "    total = len(body.stream)\n"
        "result = [total, tracemalloc.get_traced_memory()[1]]\n"
    )
    total, peak = target.run(code)
    problems = [] if total == size else [f"read {total} of {size} bytes"]
    if peak > size // 4:
        problems.append(f"streaming a {size >> 20} MB object peaked at {peak >> 20} MB of Python memory")
    return problems


def test_downloads_stream_without_holding_the_file(app, stock):
    assert streaming_download_problems(stock), "stock reads the whole object"
    assert streaming_download_problems(app) == []


def streaming_upload_problems(target, path) -> list[str]:
    size = os.path.getsize(path)
    # Warm the worker up first: its first S3 call loads botocore's models (a one-off cost).
    warm = requests.post(target.url + "/_probe/store", files={"file": ("small.bin", b"x" * 1024)}, timeout=60)
    assert warm.status_code == 200, warm.text[:300]

    def upload():
        with open(path, "rb") as file:
            response = requests.post(target.url + "/_probe/store", files={"file": ("big.bin", file)}, timeout=120)
        assert response.status_code == 200, response.text[:300]

    growth = peak_rss_growth_during(gunicorn_worker(target.dyno.process.pid), upload)
    return [] if growth < size // 2 else [f"a {size >> 20} MB upload grew the worker by {growth >> 20} MB"]


def test_uploads_stream_through_the_worker(app, stock, tmp_path):
    path = tmp_path / "upload.bin"
    with open(path, "wb") as file:
        for _ in range(40):
            file.write(os.urandom(1024 * 1024))
    assert streaming_upload_problems(stock, path), "stock holds whole uploads in memory"
    assert streaming_upload_problems(app, path) == []
