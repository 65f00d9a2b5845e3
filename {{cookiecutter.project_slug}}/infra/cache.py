"""Redis for the app's cache, sessions and queue: a Heroku add-on or AWS ElastiCache."""

from __future__ import annotations

from urllib.parse import quote

import pulumi
import pulumi_aws as aws
import pulumi_random as random
import pulumiverse_heroku as heroku
from config import ElastiCacheSettings

REDIS_PORT = 6379
AUTH_TOKEN_LENGTH = 64
"""ElastiCache accepts 16-128 printable characters except '@', '/', '"' and spaces:
letters and digits only (special=False) are always safe, in the token and in REDIS_URL."""


class KeyValueStore(pulumi.ComponentResource):
    """A Heroku Key-Value Store add-on; Heroku sets REDIS_URL on the app itself.

    With `manage_addon` false (an app this stack does not manage) the component
    stays empty: the app's own add-on provides REDIS_URL, and the component is where
    `pulumi import` adopts that add-on (README: "Adopting existing add-ons").
    Pass the config vars that used to carry an ElastiCache REDIS_URL as `after`:
    the add-on is then created only once that var is gone, since Heroku cannot
    give an add-on a config var that is already set.
    """

    addon_name: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        app_id: pulumi.Input[str],
        plan: str,
        manage_addon: bool,
        after: pulumi.Resource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:cache:KeyValueStore", name, None, opts)
        self.addon_name = None
        if manage_addon:
            addon = heroku.addon.Addon(
                f"{name}-addon", app_id=app_id, plan=plan, opts=pulumi.ResourceOptions(parent=self, depends_on=[after])
            )
            self.addon_name = addon.name
        self.register_outputs({"addon_name": self.addon_name})


class ElastiCacheRedis(pulumi.ComponentResource):
    """A Redis replication group, encrypted at rest and in transit, behind an auth token.

    It is reachable only from inside its VPC (for example from a Heroku Private
    Space peered with that VPC), never from the Heroku Common Runtime.
    Subnets and security groups come from config, or else from the account's
    default VPC.
    """

    redis_url: pulumi.Output[str]
    endpoint: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        settings: ElastiCacheSettings,
        description: str,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:cache:ElastiCacheRedis", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        vpc = self._vpc(settings)
        subnet_ids = (
            list(settings.subnet_ids)
            or aws.ec2.get_subnets_output(
                filters=[{"name": "vpc-id", "values": [vpc.id]}],
                opts=pulumi.InvokeOutputOptions(parent=self),
            ).ids
        )
        security_group_ids = list(settings.security_group_ids) or [
            self._security_group(name, settings, vpc, description, tags).id
        ]
        subnet_group = aws.elasticache.SubnetGroup(
            f"{name}-subnets",
            description=description,
            subnet_ids=subnet_ids,
            tags=tags,
            opts=child,
        )
        auth_token = random.RandomPassword(
            f"{name}-auth-token",
            length=AUTH_TOKEN_LENGTH,
            special=False,
            opts=child,
        )
        replicas = settings.num_cache_clusters > 1
        group = aws.elasticache.ReplicationGroup(
            f"{name}-redis",
            description=description,
            engine="redis",
            engine_version=settings.engine_version,
            node_type=settings.node_type,
            num_cache_clusters=settings.num_cache_clusters,
            automatic_failover_enabled=replicas,
            multi_az_enabled=replicas,
            port=REDIS_PORT,
            subnet_group_name=subnet_group.name,
            security_group_ids=security_group_ids,
            at_rest_encryption_enabled=True,
            transit_encryption_enabled=True,
            auth_token=auth_token.result,
            tags=tags,
            opts=child,
        )

        self.endpoint = group.primary_endpoint_address
        self.redis_url = pulumi.Output.secret(
            pulumi.Output.all(auth_token.result, group.primary_endpoint_address, group.port).apply(
                lambda parts: redis_url(parts[0], parts[1], parts[2] or REDIS_PORT)
            )
        )
        self.register_outputs({"endpoint": self.endpoint, "redis_url": self.redis_url})

    def _vpc(self, settings: ElastiCacheSettings) -> pulumi.Output | None:
        """The VPC to look up subnets and CIDRs in, unless config already gives both subnets and groups."""
        if settings.subnet_ids and settings.security_group_ids:
            return None
        invoke_opts = pulumi.InvokeOutputOptions(parent=self)
        if settings.vpc_id:
            return aws.ec2.get_vpc_output(id=settings.vpc_id, opts=invoke_opts)
        return aws.ec2.get_vpc_output(default=True, opts=invoke_opts)

    def _security_group(
        self,
        name: str,
        settings: ElastiCacheSettings,
        vpc: pulumi.Output,
        description: str,
        tags: dict[str, str],
    ) -> aws.ec2.SecurityGroup:
        """Redis port open to the configured CIDRs, or else to the VPC's own CIDR; no egress."""
        cidrs = list(settings.allowed_cidrs) or [vpc.cidr_block]
        return aws.ec2.SecurityGroup(
            f"{name}-security-group",
            description=description,
            vpc_id=vpc.id,
            ingress=[
                {
                    "description": "Redis (TLS) from inside the VPC",
                    "protocol": "tcp",
                    "from_port": REDIS_PORT,
                    "to_port": REDIS_PORT,
                    "cidr_blocks": cidrs,
                }
            ],
            egress=[],
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )


def redis_url(auth_token: str, host: str, port: int) -> str:
    """The `rediss://` URL (TLS) the app reads from REDIS_URL."""
    return f"rediss://:{quote(auth_token, safe='')}@{host}:{port}"
