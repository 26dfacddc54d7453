"""`pulumi preview --policy-pack policies`: every control of the catalog, mandatory by default."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.pack import policies

PolicyPack(name="choju-controls", enforcement_level=EnforcementLevel.MANDATORY, policies=policies(),
           description="choju: the PIA's technical measures as pre-deployment controls")
