"""Entry point of the policy pack: `pulumi up --policy-pack infra/policy`.

Only builds the pack (which starts the analyzer server and blocks); the
policies themselves live in `policies.py`, where tests import them.
"""

from policies import POLICIES
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name="heroku-app-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)
