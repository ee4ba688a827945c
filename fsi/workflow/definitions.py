"""Reading the workflow definitions of workflows/ (plain YAML data).

This module is the contract with the rest of FSI; the engine (loader checks, machine, service)
builds on it.
"""
from functools import lru_cache
from pathlib import Path

import yaml

WORKFLOWS_DIR = Path(__file__).resolve().parent.parent.parent / "workflows"


@lru_cache(maxsize=None)
def raw_definition(name):
    with open(WORKFLOWS_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def state_names(name):
    return list(raw_definition(name)["states"])


def state_check(name, column="state"):
    """SQL for a CHECK constraint: the column holds one of the workflow's states."""
    states = ", ".join(f"'{s}'" for s in state_names(name))
    return f"{column} IN ({states})"
