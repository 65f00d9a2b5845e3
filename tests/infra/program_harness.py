"""Run a Pulumi program under mocks and report what it registered.

`run_program(infra_dir, config)` runs the program in `infra_dir` (the repo's
`infra/` or a generated project's copy) in a fresh Python process, because
`pulumi.runtime.set_mocks` and the program's imports are process-global. No
Pulumi CLI, provider plugin or network is needed.

The config is what the CLI would pass: the defaults declared in the program's
`Pulumi.yaml`, overlaid with the given values, handed over in `PULUMI_CONFIG`.
The child process (`_mock_runner.py`) records every resource registration
(type, name, inputs and which of them are secret, protect, retainOnDelete,
parent, dependencies), every invoke, the engine's log lines and the stack
outputs with their secretness, and writes them back as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INFRA_DIR = REPO_ROOT / "infra"
RUNNER = Path(__file__).with_name("_mock_runner.py")

# Resource type tokens the checks look for.
BUCKET = "aws:s3/bucket:Bucket"
OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
CORS = "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
IAM_USER = "aws:iam/user:User"
IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy"
IAM_ACCESS_KEY = "aws:iam/accessKey:AccessKey"
REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
CACHE_SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword"
RANDOM_ID = "random:index/randomId:RandomId"
HEROKU_APP = "heroku:app/app:App"
HEROKU_ADDON = "heroku:addon/addon:Addon"
HEROKU_CONFIG = "heroku:app/configAssociation:ConfigAssociation"
HEROKU_FEATURE = "heroku:app/feature:Feature"
HEROKU_FORMATION = "heroku:formation/formation:Formation"

# Values the mocks answer with, so that tests can recognise them.
MOCK_ACCOUNT_ID = "123456789012"
MOCK_HEROKU_APP_UUID = "6f1d5c0e-2b1a-4c8e-9d3f-0a1b2c3d4e5f"
MOCK_DEFAULT_VPC_ID = "vpc-0defa017000000000"
MOCK_DEFAULT_VPC_CIDR = "172.31.0.0/16"
MOCK_CONFIGURED_VPC_CIDR = "10.20.0.0/16"
MOCK_DEFAULT_SUBNET_IDS = ("subnet-0aaa0000000000001", "subnet-0bbb0000000000002")
MOCK_SECURITY_GROUP_ID = "sg-0mock000000000001"
MOCK_KMS_KEY_UUID = "1234abcd-12ab-34cd-56ef-1234567890ab"
MOCK_SPACE_REGION = "virginia"
MOCK_SPACE_TEAM = "acme-team"
MOCK_SPACE_CIDR = "10.0.0.0/16"
MOCK_ACCESS_KEY_ID = "AKIAMOCKMOCKMOCK0001"
MOCK_SECRET_ACCESS_KEY = "mOcK/SeCrEt+AcCeSs0KeY0123456789abcdefgh"


def mock_heroku_web_url(app_name: str) -> str:
    """The web URL the mocks give a Heroku app (new apps get a random suffix on herokuapp.com)."""
    return f"https://{app_name}-0123456789ab.herokuapp.com/"


@dataclass(frozen=True)
class RegisteredResource:
    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    secret_inputs: frozenset[str]
    """Top-level input names whose value is (or contains) a secret."""
    state: dict[str, Any]
    """What the mock provider answered (inputs plus computed properties)."""
    protect: bool
    retain_on_delete: bool
    delete_before_replace: bool
    ignore_changes: tuple[str, ...]
    replace_on_changes: tuple[str, ...]
    depends_on: tuple[str, ...]
    property_dependencies: dict[str, tuple[str, ...]]
    """URNs each input depends on, as the policy analyzer sees them."""


@dataclass(frozen=True)
class StackOutput:
    value: Any
    secret: bool


@dataclass(frozen=True)
class Invoke:
    token: str
    args: dict[str, Any]


@dataclass
class ProgramRun:
    project: str
    stack: str
    config: dict[str, str]
    heroku_apps: dict[str, dict] | None = None
    """What the mocked Heroku held (see `_mock_runner.ProgramMocks`)."""
    resources: list[RegisteredResource] = field(default_factory=list)
    outputs: dict[str, StackOutput] = field(default_factory=dict)
    invokes: list[Invoke] = field(default_factory=list)
    logs: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    error_type: str | None = None

    def of_type(self, type_: str) -> list[RegisteredResource]:
        return [resource for resource in self.resources if resource.type == type_]

    def one(self, type_: str) -> RegisteredResource:
        found = self.of_type(type_)
        assert len(found) == 1, f"expected exactly one {type_}, found {[r.name for r in found]}"
        return found[0]

    def by_urn(self, urn: str) -> RegisteredResource:
        (found,) = [resource for resource in self.resources if resource.urn == urn]
        return found

    def custom_resources(self) -> list[RegisteredResource]:
        return [resource for resource in self.resources if resource.custom]

    def warnings(self) -> list[str]:
        return [message for severity, message in self.logs if severity == "warning"]

    def raise_error(self) -> None:
        if self.error is not None:
            raise AssertionError(f"the program failed ({self.error_type}): {self.error}")


def project_name(infra_dir: Path | str) -> str:
    """The `name:` of the program's Pulumi.yaml (the project slug in a generated project)."""
    return _load_project(Path(infra_dir))["name"]


def project_config_schema(infra_dir: Path | str) -> dict[str, Any]:
    """The `config:` section of the program's Pulumi.yaml."""
    return _load_project(Path(infra_dir)).get("config") or {}


def stack_config(infra_dir: Path | str, config: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The config the CLI would hand the program: Pulumi.yaml defaults overlaid with `config`.

    Keys without a namespace belong to the project (`herokuApp` becomes
    `<project>:herokuApp`); `aws:region` and the like are passed as given.
    Values are strings, lists and dicts JSON-encoded, booleans `true`/`false`,
    exactly as Pulumi stores them.
    """
    infra_dir = Path(infra_dir)
    project = project_name(infra_dir)
    values: dict[str, str] = {}
    for key, declared in project_config_schema(infra_dir).items():
        full_key = key if ":" in key else f"{project}:{key}"
        if isinstance(declared, dict) and "value" in declared:
            values[full_key] = _encode(declared["value"])
        elif isinstance(declared, dict) and "default" in declared:
            values[full_key] = _encode(declared["default"])
        elif not isinstance(declared, dict):
            values[full_key] = _encode(declared)
    for key, value in (config or {}).items():
        full_key = key if ":" in key else f"{project}:{key}"
        values[full_key] = _encode(value)
    return values


def run_program(
    infra_dir: Path | str = DEFAULT_INFRA_DIR,
    config: Mapping[str, Any] | None = None,
    stack: str = "test",
    secret_keys: tuple[str, ...] = (),
    heroku_apps: Mapping[str, Mapping[str, Any]] | None = None,
    python: str | None = None,
    timeout: float = 120,
) -> ProgramRun:
    """Run the Pulumi program in `infra_dir` under mocks with `config` and return what it did.

    `config` uses un-namespaced keys for the project (`{"herokuApp": "demo"}`)
    and full keys for providers (`{"aws:region": "eu-west-1"}`). `secret_keys`
    names config keys to mark secret. `heroku_apps` is what the mocked Heroku holds
    (default: any app asked for, on the Common Runtime, with a build). `python` defaults to this interpreter,
    which must have the packages of `infra/requirements.txt`.
    """
    infra_dir = Path(infra_dir).resolve()
    project = project_name(infra_dir)
    values = stack_config(infra_dir, config)
    with tempfile.TemporaryDirectory(prefix="pulumi-mock-run-") as scratch:
        result_path = Path(scratch) / "result.json"
        spec = {
            "infra_dir": str(infra_dir),
            "project": project,
            "stack": stack,
            "config": values,
            "secret_keys": [key if ":" in key else f"{project}:{key}" for key in secret_keys],
            "heroku_apps": None if heroku_apps is None else {name: dict(app) for name, app in heroku_apps.items()},
            "result_path": str(result_path),
        }
        env = {key: value for key, value in os.environ.items() if not key.startswith("PULUMI_")}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        completed = subprocess.run(
            [python or sys.executable, str(RUNNER)],
            input=json.dumps(spec),
            check=False,
            capture_output=True,
            text=True,
            env=env,
            cwd=str(infra_dir),
            timeout=timeout,
        )
        if not result_path.exists():
            raise RuntimeError(
                f"the mock runner crashed (exit {completed.returncode}):\n"
                f"stdout:\n{completed.stdout[-4000:]}\nstderr:\n{completed.stderr[-4000:]}"
            )
        raw = json.loads(result_path.read_text())
    return ProgramRun(
        project=project,
        stack=stack,
        config=values,
        heroku_apps=None if heroku_apps is None else {name: dict(app) for name, app in heroku_apps.items()},
        resources=[
            RegisteredResource(
                type=item["type"],
                name=item["name"],
                urn=item["urn"],
                parent=item["parent"],
                custom=item["custom"],
                inputs=item["inputs"],
                secret_inputs=frozenset(item["secret_inputs"]),
                state=item["state"],
                protect=item["protect"],
                retain_on_delete=item["retain_on_delete"],
                delete_before_replace=item["delete_before_replace"],
                ignore_changes=tuple(item["ignore_changes"]),
                replace_on_changes=tuple(item["replace_on_changes"]),
                depends_on=tuple(item["depends_on"]),
                property_dependencies={key: tuple(urns) for key, urns in item["property_dependencies"].items()},
            )
            for item in raw["resources"]
        ],
        outputs={
            name: StackOutput(value=item["value"], secret=item["secret"]) for name, item in raw["outputs"].items()
        },
        invokes=[Invoke(token=item["token"], args=item["args"]) for item in raw["invokes"]],
        logs=[(item["severity"], item["message"]) for item in raw["logs"]],
        error=raw["error"],
        error_type=raw["error_type"],
    )


def run_programs(
    runs: Mapping[str, Mapping[str, Any]], infra_dir: Path | str = DEFAULT_INFRA_DIR
) -> dict[str, ProgramRun]:
    """Several `run_program(infra_dir, **kwargs)` at once, in parallel child processes: label -> run."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        futures = {label: pool.submit(run_program, infra_dir, **kwargs) for label, kwargs in runs.items()}
        return {label: future.result() for label, future in futures.items()}


def _encode(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def _load_project(infra_dir: Path) -> dict[str, Any]:
    import yaml  # PyYAML comes with the pulumi package.

    project_file = infra_dir / "Pulumi.yaml"
    if not project_file.exists():
        raise FileNotFoundError(f"no Pulumi.yaml in {infra_dir}")
    return yaml.safe_load(project_file.read_text())


def load_infra_module(infra_dir: Path | str, module: str):
    """Import one of the program's standalone modules (config, naming, access_policies) by path.

    The module gets a name unique to `infra_dir`, so that the repo's infra/ and
    a generated project's copy can be loaded side by side, and so that nothing
    shadows modules of the same name elsewhere (the app has a `config` package).
    """
    import hashlib
    import importlib.util

    path = Path(infra_dir).resolve() / f"{module}.py"
    unique = f"_infra_{hashlib.sha256(str(path.parent).encode()).hexdigest()[:10]}_{module}"
    if unique in sys.modules:
        return sys.modules[unique]
    spec = importlib.util.spec_from_file_location(unique, path)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[unique] = loaded
    # The module may import its siblings (app_rules) and, through them, the app's production
    # layer, as it does when Pulumi runs it from infra/. Both are imported for this load only.
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(loaded)
    finally:
        sys.path[:] = saved_path
        project_root = str(path.parent.parent)
        for name in set(sys.modules) - saved_modules - {unique}:
            if (getattr(sys.modules[name], "__file__", None) or "").startswith(project_root):
                del sys.modules[name]
    return loaded
