"""Unit tests of the hooks' functions (the hooks are plain Python before rendering)."""

import importlib.util

import pytest

from tests.support.baking import TEMPLATE_DIR


def load_hook(name):
    spec = importlib.util.spec_from_file_location(name, TEMPLATE_DIR / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pre_gen = load_hook("pre_gen_project")
post_gen = load_hook("post_gen_project")

DEFAULTS = {
    "project_name": "My Masonite App",
    "project_slug": "my-masonite-app",
    "description": "An app.",
    "heroku_app_name": "my-masonite-app",
    "aws_region": "us-east-1",
    "s3_bucket_name": "",
    "python_version": "3.13",
    "redis_provider": "heroku-key-value-store",
    "include_example_uploads": "y",
}


@pytest.mark.parametrize("slug", ["abc", "my-app", "a1-b2", "x" * 30])
def test_valid_slugs_pass(slug):
    assert pre_gen.validate_project_slug(slug) is None


@pytest.mark.parametrize(
    "slug", ["", "ab", "My-App", "1app", "-app", "app-", "my_app", "my app", "x" * 31, "app.name", "ünï"]
)
def test_invalid_slugs_name_the_answer_and_value(slug):
    error = pre_gen.validate_project_slug(slug)
    assert error and "project_slug" in error and repr(slug) in error


@pytest.mark.parametrize("name", ["my-app-production", "abc"])
def test_valid_heroku_app_names_pass(name):
    assert pre_gen.validate_heroku_app_name(name) is None


@pytest.mark.parametrize("name", ["My-App", "app-", "a", "x" * 31, "app_name"])
def test_invalid_heroku_app_names_fail(name):
    assert "heroku_app_name" in pre_gen.validate_heroku_app_name(name)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-2", "ap-southeast-1", "us-gov-west-1", "il-central-1"])
def test_valid_regions_pass(region):
    assert pre_gen.validate_aws_region(region) is None


@pytest.mark.parametrize("region", ["US-EAST-1", "us-east", "useast1", "us-east-1a", "", "eu_west_1"])
def test_invalid_regions_fail(region):
    error = pre_gen.validate_aws_region(region)
    assert error and "aws_region" in error and repr(region) in error


@pytest.mark.parametrize("bucket", ["", "my-bucket", "abc", "a" * 63, "bucket-2024-uploads"])
def test_valid_bucket_names_pass(bucket):
    assert pre_gen.validate_s3_bucket_name(bucket) is None


@pytest.mark.parametrize(
    "bucket",
    [
        "ab",
        "a" * 64,
        "My-Bucket",
        "-bucket",
        "bucket-",
        "my.bucket",
        "192.168.5.4",
        "xn--bucket",
        "sthree-data",
        "data-s3alias",
        "data--ol-s3",
        "bucket_name",
    ],
)
def test_invalid_bucket_names_fail(bucket):
    error = pre_gen.validate_s3_bucket_name(bucket)
    assert error and "s3_bucket_name" in error


@pytest.mark.parametrize(
    "key,value", [("python_version", "3.10"), ("redis_provider", "memcached"), ("include_example_uploads", "yes")]
)
def test_choices_outside_the_list_fail(key, value):
    errors = pre_gen.validate_answers({**DEFAULTS, key: value})
    assert len(errors) == 1 and key in errors[0] and repr(value) in errors[0]


@pytest.mark.parametrize("name", ['Say "hi"', "back\\slash", "tab\there", ""])
def test_unsafe_project_names_fail(name):
    assert any("project_name" in error for error in pre_gen.validate_answers({**DEFAULTS, "project_name": name}))


def test_default_answers_are_valid():
    assert pre_gen.validate_answers(DEFAULTS) == []


def test_every_error_is_reported_at_once():
    answers = {**DEFAULTS, "project_slug": "Bad", "aws_region": "US-EAST-1", "s3_bucket_name": "B"}
    errors = pre_gen.validate_answers(answers)
    assert {error.split("=")[0] for error in errors} == {"project_slug", "aws_region", "s3_bucket_name"}


def test_generated_app_key_is_hex_and_long():
    key = post_gen.generate_app_key()
    assert len(key) == 64 and int(key, 16) >= 0
    assert post_gen.generate_app_key() != key


def test_remove_upload_example_deletes_listed_files(tmp_path, monkeypatch):
    monkeypatch.setattr(post_gen, "PROJECT", tmp_path)
    for relative in post_gen.UPLOAD_FILES:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    post_gen.remove_upload_example()
    assert not any((tmp_path / relative).exists() for relative in post_gen.UPLOAD_FILES)


def test_build_leftovers_of_a_template_checkout_are_removed(tmp_path, monkeypatch):
    (tmp_path / "infra" / "venv" / "bin").mkdir(parents=True)
    (tmp_path / "infra" / "__pycache__").mkdir()
    (tmp_path / "infra" / "__pycache__" / "config.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "infra" / "Pulumi.yaml").write_text("name: masonite-heroku\nruntime: python\n")
    (tmp_path / "infra" / "Pulumi.dev.yaml").write_text("secret: x\n")
    (tmp_path / "production_layer" / "__pycache__").mkdir(parents=True)
    monkeypatch.setattr(post_gen, "PROJECT", tmp_path)

    post_gen.remove_build_leftovers()
    post_gen.name_infra_project("shop-front")

    assert (tmp_path / "infra" / "Pulumi.yaml").read_text() == "name: shop-front\nruntime: python\n"
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["Pulumi.yaml", "infra", "production_layer"]
