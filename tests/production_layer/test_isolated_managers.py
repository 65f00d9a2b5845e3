"""Storage.disk(name) and Cache.store(name): one driver instance per name, each with its own options."""

from __future__ import annotations

import pytest
from production_layer.managers.InstancePerName import UnknownName
from production_layer.managers.IsolatedStorage import IsolatedStorage


class RecordingDriver:
    def __init__(self, application):
        self.application = application
        self.options = {}

    def set_options(self, options):
        self.options = options
        return self


DISKS = {
    "default": "uploads",
    "uploads": {"driver": "s3", "bucket": "uploads-bucket"},
    "archive": {"driver": "s3", "bucket": "archive-bucket"},
    "broken": {"driver": "ftp"},
}


@pytest.fixture
def storage():
    storage = IsolatedStorage("app").set_configuration(DISKS)
    storage.add_driver("s3", RecordingDriver("app"))
    return storage


def test_a_kept_disk_keeps_its_own_options_after_another_disk_is_asked_for(storage):
    uploads = storage.disk("uploads")
    archive = storage.disk("archive")
    assert uploads.options["bucket"] == "uploads-bucket" and archive.options["bucket"] == "archive-bucket"
    assert uploads is not archive and uploads.application == "app"


def test_each_name_is_one_instance_per_process_and_default_is_its_disk(storage):
    assert storage.disk() is storage.disk("default") is storage.disk("uploads")
    assert storage.disk("archive") is storage.disk("archive")


def test_new_configuration_or_drivers_give_new_instances(storage):
    first = storage.disk("uploads")
    storage.set_configuration({**DISKS, "uploads": {"driver": "s3", "bucket": "moved"}})
    assert storage.disk("uploads") is not first and storage.disk("uploads").options["bucket"] == "moved"


def test_an_unknown_disk_or_driver_is_named_in_the_error(storage):
    with pytest.raises(UnknownName, match=r"no disk named 'avatars' in config/filesystem.py DISKS \(defined: archive"):
        storage.disk("avatars")
    with pytest.raises(UnknownName, match="disk 'broken' uses driver 'ftp', which is not registered"):
        storage.disk("broken")
