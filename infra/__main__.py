"""`pulumi up`: the whole choju system in a closed-network, Japan-only AWS account."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from Pulumi.yaml's main: infra/

from infra.program import build
from infra.settings import load

build(load())
