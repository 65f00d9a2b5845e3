"""The IAM user whose access key the app uses to reach its bucket, and only its bucket."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
from access_policies import app_user_policy_document


class UploadsUser(pulumi.ComponentResource):
    """An IAM user with an access key and an inline policy scoped to one bucket (and its KMS key, if any).

    The user's name is left to Pulumi's autonaming (`uploads-user-` and a random
    suffix, new on every replacement), so that a replacement can create the new
    user before deleting the old one; the path `/<project>-<stack>/` tells whose
    it is. The secret access key is wrapped in `Output.secret` so that it is
    encrypted in the state and masked in every output, whatever the provider reports.
    """

    user_arn: pulumi.Output[str]
    access_key_id: pulumi.Output[str]
    secret_access_key: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        bucket_name: pulumi.Input[str],
        kms_key_arn: pulumi.Input[str] | None,
        prefix: str,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:iam:UploadsUser", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        user = aws.iam.User(
            f"{name}-user",
            path=f"/{prefix}/",
            tags=tags,
            # An autoname never changes, except once for a user created with a fixed name: replace
            # that one, key and policy included, so that the old ones are deleted while their user
            # still has the name they were created under (renamed, AWS would keep the old key active).
            opts=pulumi.ResourceOptions(parent=self, replace_on_changes=["name"]),
        )
        aws.iam.UserPolicy(
            f"{name}-policy",
            user=user.name,
            policy=pulumi.Output.all(bucket_name, kms_key_arn).apply(
                lambda parts: json.dumps(app_user_policy_document(parts[0], parts[1]))
            ),
            opts=child,
        )
        key = aws.iam.AccessKey(f"{name}-key", user=user.name, opts=child)

        self.user_arn = user.arn
        self.access_key_id = key.id
        self.secret_access_key = pulumi.Output.secret(key.secret)
        self.register_outputs(
            {
                "user_arn": self.user_arn,
                "access_key_id": self.access_key_id,
                "secret_access_key": self.secret_access_key,
            }
        )
