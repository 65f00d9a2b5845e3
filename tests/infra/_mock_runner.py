"""Child process of `program_harness.run_program`: run one Pulumi program under mocks.

Reads a JSON spec on stdin (infra_dir, project, stack, config, secret_keys,
heroku_apps, result_path), runs `<infra_dir>/__main__.py` the way the Pulumi language host
does (program directory first on sys.path, as `__main__`), and writes what was
registered to `result_path` as JSON. Kept apart from the test process because
Pulumi's mock runtime and the program's modules are process-global.
"""

from __future__ import annotations

import json
import logging
import os
import random
import runpy
import sys
import traceback
from pathlib import Path
from typing import Any

RUNNER_DIR = Path(__file__).resolve().parent
# Appended, not prepended: the program's own modules must win over these.
sys.path.append(str(RUNNER_DIR))

from program_harness import (  # noqa: E402 (after the sys.path change above)
    MOCK_ACCESS_KEY_ID,
    MOCK_ACCOUNT_ID,
    MOCK_CONFIGURED_VPC_CIDR,
    MOCK_DEFAULT_SUBNET_IDS,
    MOCK_DEFAULT_VPC_CIDR,
    MOCK_DEFAULT_VPC_ID,
    MOCK_HEROKU_APP_UUID,
    MOCK_KMS_KEY_UUID,
    MOCK_SECRET_ACCESS_KEY,
    MOCK_SECURITY_GROUP_ID,
    MOCK_SPACE_CIDR,
    MOCK_SPACE_REGION,
    MOCK_SPACE_TEAM,
    mock_heroku_web_url,
)
from pulumi_random_like import password_like  # noqa: E402


def main() -> None:
    spec = json.load(sys.stdin)
    infra_dir = spec["infra_dir"]
    os.environ["PULUMI_CONFIG"] = json.dumps(spec["config"])
    os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(spec["secret_keys"])
    # Like the language host: the program's directory first, so that its
    # sibling modules (config, storage, ...) are what `import` finds.
    sys.path[0] = infra_dir
    os.chdir(infra_dir)

    result = run(spec)
    Path(spec["result_path"]).write_text(json.dumps(result, default=repr))


def run(spec: dict[str, Any]) -> dict[str, Any]:
    import pulumi
    from pulumi.runtime.settings import get_root_resource
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    logs: list[dict[str, str]] = []
    monitor = _recording_monitor(spec["config"], spec.get("heroku_apps"))
    pulumi.runtime.set_mocks(
        monitor.mocks,
        project=spec["project"],
        stack=spec["stack"],
        preview=False,
        logger=_capturing_logger(logs),
        monitor=monitor,
    )

    outputs: dict[str, Any] = {}

    async def program() -> None:
        runpy.run_path(os.path.join(spec["infra_dir"], "__main__.py"), run_name="__main__")
        for name, value in get_root_resource().outputs.items():
            output = pulumi.Output.from_input(value)
            outputs[name] = {"value": await output.future(), "secret": await output.is_secret()}

    error = error_type = None
    try:
        _sync_await(run_pulumi_func(program))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent process
        error_type = type(exc).__name__
        error = str(exc) or "".join(traceback.format_exception(exc))
    return {
        "resources": monitor.records,
        "outputs": outputs,
        "invokes": monitor.invokes,
        "logs": logs,
        "error": error,
        "error_type": error_type,
    }


def _capturing_logger(logs: list[dict[str, str]]) -> logging.Logger:
    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logs.append({"severity": record.levelname.lower(), "message": record.getMessage()})

    logger = logging.getLogger("pulumi-mock-engine")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(Capture())
    return logger


def _recording_monitor(config: dict[str, str], heroku_apps: dict[str, dict] | None):
    from pulumi.runtime import rpc
    from pulumi.runtime.mocks import MockMonitor

    class RecordingMonitor(MockMonitor):
        """The SDK's mock monitor, also keeping the registration options the Mocks API does not see."""

        def __init__(self) -> None:
            super().__init__(ProgramMocks(config, heroku_apps))
            self.records: list[dict[str, Any]] = []
            self.invokes: list[dict[str, Any]] = []

        def RegisterResource(self, request):
            response = super().RegisterResource(request)
            if request.type != "pulumi:pulumi:Stack":
                inputs = rpc.deserialize_properties(request.object)
                self.records.append(
                    {
                        "type": request.type,
                        "name": request.name,
                        "urn": response.urn,
                        "parent": request.parent,
                        "custom": request.custom,
                        "inputs": _plain(inputs),
                        "secret_inputs": sorted(key for key, value in inputs.items() if _contains_secret(value)),
                        "state": _plain(self.resources[response.urn].state),
                        "protect": bool(request.protect),
                        "retain_on_delete": bool(request.retainOnDelete),
                        "delete_before_replace": bool(request.deleteBeforeReplace),
                        "ignore_changes": list(request.ignoreChanges),
                        "replace_on_changes": list(request.replaceOnChanges),
                        "depends_on": list(request.dependencies),
                        "property_dependencies": {
                            key: list(value.urns) for key, value in request.propertyDependencies.items()
                        },
                    }
                )
            return response

        def Invoke(self, request):
            self.invokes.append({"token": request.tok, "args": _plain(rpc.deserialize_properties(request.args))})
            return super().Invoke(request)

    return RecordingMonitor()


class ProgramMocks:
    """Provider answers: inputs echoed back plus the computed properties the program reads.

    `heroku_apps` is what Heroku holds: None means every app asked for exists on the
    Common Runtime with a build; otherwise app name -> {"region", "space", "has_build"},
    and any other name is not found.
    """

    def __init__(self, config: dict[str, str], heroku_apps: dict[str, dict] | None) -> None:
        self.config = config
        self.heroku_apps = heroku_apps

    def call(self, args) -> tuple[dict, list]:
        token, inputs = args.token, _plain(args.args)
        region = self.config.get("aws:region") or "us-east-1"
        if token == "aws:index/getRegion:getRegion":
            return {
                "id": region,
                "name": region,
                "region": region,
                "endpoint": f"ec2.{region}.amazonaws.com",
                "description": region,
            }, []
        if token == "aws:ec2/getVpc:getVpc":
            if inputs.get("default"):
                vpc_id, cidr = MOCK_DEFAULT_VPC_ID, MOCK_DEFAULT_VPC_CIDR
            else:
                vpc_id, cidr = inputs["id"], MOCK_CONFIGURED_VPC_CIDR
            return {
                "id": vpc_id,
                "arn": f"arn:aws:ec2:{region}:{MOCK_ACCOUNT_ID}:vpc/{vpc_id}",
                "cidrBlock": cidr,
                "default": bool(inputs.get("default")),
                "state": "available",
                "region": region,
                "tags": {},
            }, []
        if token == "aws:ec2/getSubnets:getSubnets":
            return {
                "id": region,
                "ids": list(MOCK_DEFAULT_SUBNET_IDS),
                "filters": inputs.get("filters"),
                "region": region,
            }, []
        if token == "heroku:app/getApp:getApp":
            name = inputs["name"]
            if self.heroku_apps is None:
                return {**_heroku_app_state(name), "lastSlugId": "mock-slug-0001"}, []
            if name not in self.heroku_apps:
                return {}, [("name", "Couldn't find that app.")]
            known = self.heroku_apps[name]
            return {
                **_heroku_app_state(name),
                "region": known.get("region", "us"),
                "space": known.get("space", ""),
                "lastSlugId": "mock-slug-0001" if known.get("has_build", True) else "",
            }, []
        if token == "heroku:space/getSpace:getSpace":
            return {
                "id": f"{inputs['name']}-id",
                "uuid": f"{inputs['name']}-uuid",
                "name": inputs["name"],
                "region": MOCK_SPACE_REGION,
                "organization": MOCK_SPACE_TEAM,
                "cidr": MOCK_SPACE_CIDR,
                "dataCidr": "172.23.0.0/20",
                "outboundIps": [],
                "shield": False,
                "state": "allocated",
            }, []
        if token == "aws:kms/getKey:getKey":
            key_id = inputs["keyId"]
            arn = key_id if ":key/" in key_id else f"arn:aws:kms:{region}:{MOCK_ACCOUNT_ID}:key/{MOCK_KMS_KEY_UUID}"
            return {
                "id": arn.rsplit("/", 1)[1],
                "arn": arn,
                "keyId": key_id,
                "keyManager": "CUSTOMER",
                "keyState": "Enabled",
                "keyUsage": "ENCRYPT_DECRYPT",
                "enabled": True,
                "region": region,
            }, []
        raise NotImplementedError(f"the mocks do not answer the invoke {token}")

    def new_resource(self, args) -> tuple[str, dict]:
        inputs = _plain(args.inputs)
        state = dict(args.inputs)
        rng = random.Random(f"{args.typ}/{args.name}")
        typ = args.typ
        if typ == "aws:s3/bucket:Bucket":
            name = inputs.get("bucket") or f"{args.name}-mock"
            state.update(bucket=name, arn=f"arn:aws:s3:::{name}", bucketDomainName=f"{name}.s3.amazonaws.com")
            return name, state
        if typ == "aws:iam/user:User":
            name = inputs.get("name") or args.name
            state.update(name=name, arn=f"arn:aws:iam::{MOCK_ACCOUNT_ID}:user/{name}", uniqueId="AIDAMOCK0001")
            return name, state
        if typ == "aws:iam/accessKey:AccessKey":
            state.update(secret=MOCK_SECRET_ACCESS_KEY, status="Active")
            return MOCK_ACCESS_KEY_ID, state
        if typ in ("random:index/randomPassword:RandomPassword", "random:index/randomString:RandomString"):
            state.update(result=password_like(inputs, rng))
            return "none", state
        if typ == "random:index/randomId:RandomId":
            data = rng.randbytes(int(inputs["byteLength"]))
            state.update(hex=data.hex(), dec=str(int.from_bytes(data, "big")))
            return data.hex(), state
        if typ == "aws:elasticache/replicationGroup:ReplicationGroup":
            group_id = inputs.get("replicationGroupId") or f"{args.name}-mock"
            state.update(
                replicationGroupId=group_id,
                arn=f"arn:aws:elasticache:us-east-1:{MOCK_ACCOUNT_ID}:replicationgroup:{group_id}",
                primaryEndpointAddress=f"master.{group_id}.abcdef.use1.cache.amazonaws.com",
                port=inputs.get("port") or 6379,
            )
            return group_id, state
        if typ == "aws:elasticache/subnetGroup:SubnetGroup":
            name = inputs.get("name") or f"{args.name}-mock"
            state.update(name=name)
            return name, state
        if typ == "aws:ec2/securityGroup:SecurityGroup":
            return MOCK_SECURITY_GROUP_ID, state
        if typ == "heroku:app/app:App":
            state.update(_heroku_app_state(inputs["name"]), region=inputs["region"], space=inputs.get("space") or "")
            return MOCK_HEROKU_APP_UUID, state
        if typ == "heroku:addon/addon:Addon":
            plan = inputs.get("plan", "")
            var = "DATABASE_URL" if plan.startswith("heroku-postgresql") else "REDIS_URL"
            state.update(name=f"{plan.split(':')[0]}-mock-12345", configVars=[var])
            return f"addon-{args.name}", state
        return f"{args.name}-id", state


def _heroku_app_state(name: str) -> dict[str, Any]:
    return {
        "id": MOCK_HEROKU_APP_UUID,
        "uuid": MOCK_HEROKU_APP_UUID,
        "name": name,
        "gitUrl": f"https://git.heroku.com/{name}.git",
        "webUrl": mock_heroku_web_url(name),
        "herokuHostname": mock_heroku_web_url(name).split("/")[2],
        "region": "us",
        "stack": "heroku-24",
        "acm": False,
        "buildpacks": [],
        "configVars": {},
        "internalRouting": False,
        "lastReleaseId": "",
        "lastSlugId": "",
        "organizations": [],
        "space": "",
    }


def _contains_secret(value: Any) -> bool:
    from pulumi.runtime.rpc import is_rpc_secret

    if is_rpc_secret(value):
        return True
    if isinstance(value, dict):
        return any(_contains_secret(item) for item in value.values())
    if isinstance(value, list):
        return any(_contains_secret(item) for item in value)
    return False


def _plain(value: Any) -> Any:
    """JSON-friendly copy with secret wrappers removed (secretness is recorded separately)."""
    from pulumi.runtime.rpc import is_rpc_secret, unwrap_rpc_secret

    if is_rpc_secret(value):
        return _plain(unwrap_rpc_secret(value))
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


if __name__ == "__main__":
    main()
