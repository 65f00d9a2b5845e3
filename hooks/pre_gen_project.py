"""Validate the template answers before cookiecutter writes anything.

Each validator returns an error message (naming the answer, the value and the
rule) or None. ``main()`` prints every error and exits 1, so a bad answer stops
generation before the project directory exists.
"""

import ipaddress
import json
import re
import sys

SLUG_MAX_LENGTH = 30
HEROKU_APP_NAME = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
AWS_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")
S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
S3_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3")
CHOICES = {
    "python_version": ("3.13", "3.12", "3.11"),
    "redis_provider": ("heroku-key-value-store", "aws-elasticache"),
    "include_example_uploads": ("y", "n"),
}


def _error(key, value, rule):
    return f"{key}={value!r} is invalid: {rule}"


def validate_text(key, value):
    """Free text that ends up inside Python, JSON and .env strings."""
    if key == "project_name" and not value.strip():
        return _error(key, value, "it must not be empty")
    if any(char in value for char in '"\\') or any(ord(char) < 32 for char in value):
        return _error(key, value, "it must not contain double quotes, backslashes or control characters")
    return None


def validate_project_slug(value):
    rule = (
        f"use 3 to {SLUG_MAX_LENGTH} lowercase letters, digits and hyphens, "
        "starting with a letter and not ending with a hyphen "
        "(it is also a Python-safe folder name and a valid Heroku app name)"
    )
    if len(value) > SLUG_MAX_LENGTH or not HEROKU_APP_NAME.match(value):
        return _error("project_slug", value, rule)
    return None


def validate_heroku_app_name(value):
    if len(value) > SLUG_MAX_LENGTH or not HEROKU_APP_NAME.match(value):
        return _error(
            "heroku_app_name",
            value,
            "Heroku app names are 3 to 30 lowercase letters, digits and hyphens, "
            "starting with a letter and not ending with a hyphen",
        )
    return None


def validate_aws_region(value):
    if not AWS_REGION.match(value):
        return _error(
            "aws_region",
            value,
            "an AWS region code is lowercase, like us-east-1, eu-west-2 or ap-southeast-1",
        )
    return None


def validate_s3_bucket_name(value):
    """An empty name lets Pulumi name the bucket; anything else must follow S3's rules."""
    if value == "":
        return None
    if not S3_BUCKET.match(value):
        return _error(
            "s3_bucket_name",
            value,
            "S3 bucket names are 3 to 63 lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit (dots are refused: they break "
            "TLS for virtual-hosted requests)",
        )
    if "--" in value[:4] or value.startswith(S3_RESERVED_PREFIXES):
        return _error("s3_bucket_name", value, f"S3 reserves the prefixes {', '.join(S3_RESERVED_PREFIXES)}")
    if value.endswith(S3_RESERVED_SUFFIXES):
        return _error("s3_bucket_name", value, f"S3 reserves the suffixes {', '.join(S3_RESERVED_SUFFIXES)}")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return None
    return _error("s3_bucket_name", value, "S3 bucket names must not look like an IP address")


def validate_choice(key, value):
    allowed = CHOICES[key]
    if value not in allowed:
        return _error(key, value, f"choose one of {', '.join(allowed)}")
    return None


def validate_combinations(answers):
    """Rules that involve more than one answer."""
    errors = []
    if answers.get("redis_provider") == "heroku-key-value-store" and not answers.get("heroku_app_name"):
        errors.append(
            _error("heroku_app_name", "", "the heroku-key-value-store Redis provider attaches to a Heroku app")
        )
    return errors


def validate_answers(answers):
    """Return every error message for ``answers`` (a dict of cookiecutter answers)."""
    errors = [
        validate_text("project_name", answers["project_name"]),
        validate_text("description", answers["description"]),
        validate_project_slug(answers["project_slug"]),
        validate_heroku_app_name(answers["heroku_app_name"]),
        validate_aws_region(answers["aws_region"]),
        validate_s3_bucket_name(answers["s3_bucket_name"]),
        *(validate_choice(key, answers[key]) for key in CHOICES),
    ]
    return [error for error in errors if error] + validate_combinations(answers)


def main():
    answers = json.loads(r"""{{ cookiecutter | jsonify }}""")
    errors = validate_answers(answers)
    if errors:
        print("ERROR: the template answers are not valid:", file=sys.stderr)
        for error in errors:
            print(f"  - {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
