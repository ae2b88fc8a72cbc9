"""Is the Littlest JupyterHub recipe (deploy/littlest-jupyterhub/install.sh) sound: valid
shell, its own refusals before it changes anything, every file it copies present, and the same
culling as on Kubernetes?

The script installs TLJH for real, so it is never run through here; only its checks of its
arguments, which stop it before its first action.
"""

from __future__ import annotations

import os
import re
import subprocess

from tests.deploy.test_manifests import DEPLOY, documents

INSTALL = DEPLOY / "littlest-jupyterhub" / "install.sh"


def test_the_script_is_valid_shell_and_a_broken_copy_is_not(tmp_path):
    """Does bash accept the script's syntax, and refuse a copy with an unclosed 'if'?"""
    assert subprocess.run(["bash", "-n", str(INSTALL)], capture_output=True).returncode == 0
    broken = tmp_path / "install.sh"
    broken.write_text(INSTALL.read_text().replace("\nfi\n", "\n", 1))
    assert subprocess.run(["bash", "-n", str(broken)], capture_output=True).returncode != 0


def test_missing_or_wrong_options_stop_it_with_one_line(tmp_path):
    """Does the script stop with one line and status 2 for an unknown option, no --admin or a
    wheel that is not there, before doing anything?"""
    cases = {("--colour", "red"): "unknown option",
             ("--wheel", str(tmp_path / "x.whl")): "--admin",
             ("--admin", "salma", "--wheel", str(tmp_path / "missing.whl")): "no such file"}
    for args, words in cases.items():
        done = subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True,
                              timeout=30)
        assert done.returncode == 2, (args, done.stderr)
        if os.geteuid() != 0 and words != "unknown option":  # it asks for root first
            words = "as root"
        assert done.stdout == "" and done.stderr.count("\n") == 1 and words in done.stderr


def test_every_file_it_installs_is_in_the_repository():
    """Does each file the script copies with `install` exist in deploy/?"""
    text = INSTALL.read_text()
    sources = re.findall(r'install -D -m 644 "\$(here|deploy)/([^"]+)"', text)
    assert len(sources) >= 8
    for folder, relative in sources:
        base = DEPLOY / "littlest-jupyterhub" if folder == "here" else DEPLOY
        assert (base / relative).is_file(), relative


def test_culling_matches_the_kubernetes_values():
    """Are idle servers stopped after the same time, checked as often and capped at the same
    age as on Kubernetes?"""
    (values,) = documents(DEPLOY / "zero-to-jupyterhub" / "values.yaml")
    settings = dict(re.findall(r"tljh-config set services\.cull\.(\w+) (\S+)", INSTALL.read_text()))
    assert settings["enabled"] == "true"
    assert int(settings["timeout"]) == values["cull"]["timeout"]
    assert int(settings["every"]) == values["cull"]["every"]
    assert int(settings["max_age"]) == values["cull"]["maxAge"]
