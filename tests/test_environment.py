"""Does environment.yml (conda-forge) list the same dependencies as pyproject.toml?"""

from __future__ import annotations

import re
import tomllib

import yaml

from curriculum import REPO_ROOT


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    name, spec = match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")
    return name, spec


def test_environment_yml_matches_pyproject():
    """Does every dependency (runtime and test) appear in both files with the same range?"""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_and_spec(r) for r in project["dependencies"])
    wanted.update(_name_and_spec(r) for r in project["optional-dependencies"]["test"])
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    assert "conda-forge" in environment["channels"]
    listed = dict(_name_and_spec(d) for d in environment["dependencies"]
                  if isinstance(d, str) and not d.startswith(("python", "pip")))
    assert listed == wanted
    python = [d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == [f"python{project['requires-python']}"]
