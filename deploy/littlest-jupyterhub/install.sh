#!/usr/bin/env bash
# The Littlest JupyterHub (TLJH, tljh.jupyter.org) with Jazari, on one centre's server
# (Ubuntu 22.04/24.04 or Debian 12, 2 cores or more; see deploy/README.md for the memory).
#
#   sudo bash deploy/littlest-jupyterhub/install.sh --admin TRAINER --wheel dist/jazari_classroom-*.whl
#
# Run it once while the server reaches the internet (or a PyPI mirror of the centre): TLJH,
# Jazari and their packages are installed then; afterwards the centre runs offline. Running
# it again updates Jazari and the settings. Options:
#   --admin NAME     the first trainer (a hub admin), who signs up first with that name
#   --wheel FILE     Jazari's wheel (python -m pip wheel --no-deps --wheel-dir dist . in a checkout)
#   --memory SIZE    memory limit of a child's server (default 768M: deploy/README.md, "Sizing")
#   --bootstrap FILE TLJH's bootstrap.py already downloaded (default: fetch it from tljh.jupyter.org)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
deploy="$(dirname "$here")"
admin="" wheel="" memory="768M" bootstrap=""
while [ $# -gt 0 ]; do
    case "$1" in
        --admin) admin="$2"; shift 2 ;;
        --wheel) wheel="$2"; shift 2 ;;
        --memory) memory="$2"; shift 2 ;;
        --bootstrap) bootstrap="$2"; shift 2 ;;
        *) echo "install.sh: unknown option $1 (see the top of this file)" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo)" >&2; exit 2; }
[ -n "$admin" ] || { echo "install.sh: --admin NAME is needed (the first trainer)" >&2; exit 2; }
[ -f "$wheel" ] || { echo "install.sh: --wheel: no such file: '$wheel'" >&2; exit 2; }

# 1. TLJH itself (a hub environment in /opt/tljh/hub, the users' one in /opt/tljh/user)
if [ ! -x /opt/tljh/hub/bin/tljh-config ]; then
    if [ -z "$bootstrap" ]; then
        bootstrap="$(mktemp)"
        curl -fsSL https://tljh.jupyter.org/bootstrap.py -o "$bootstrap"
    fi
    python3 "$bootstrap" --admin "$admin"
fi

# 2. Jazari in the users' environment (JupyterLab, nbgrader, the widgets, the curriculum),
#    and bubblewrap, the sandbox `jazari grade` runs children's notebooks in
if ! /opt/tljh/user/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "install.sh: TLJH's users' environment has $(/opt/tljh/user/bin/python -V 2>&1); Jazari needs" \
         "Python 3.11 or newer (a newer TLJH, or /opt/tljh/user/bin/mamba install 'python>=3.11')" >&2
    exit 1
fi
/opt/tljh/user/bin/python -m pip install --upgrade "$wheel"
apt-get install -y -qq bubblewrap >/dev/null

# 3. Quiet, offline servers for children; the formgrader for trainers only
install -D -m 644 "$here/nbgrader_config.py" /opt/tljh/user/etc/jupyter/nbgrader_config.py
install -D -m 644 "$deploy/image/jupyter_server_config.py" /opt/tljh/user/etc/jupyter/jupyter_server_config.py
install -D -m 644 "$deploy/image/jupyter_server_config.d/zz-jazari-learner.json" \
    /opt/tljh/user/etc/jupyter/jupyter_server_config.d/zz-jazari-learner.json
install -D -m 644 "$deploy/image/labconfig/page_config.json" /opt/tljh/user/etc/jupyter/labconfig/page_config.json
install -D -m 644 "$deploy/image/lab-settings/overrides.json" /opt/tljh/user/share/jupyter/lab/settings/overrides.json
install -D -m 644 "$deploy/image/trainer/jupyter_server_config.json" /etc/jazari/trainer/jupyter_server_config.json
install -D -m 644 "$deploy/image/trainer/labconfig/page_config.json" /etc/jazari/trainer/labconfig/page_config.json

# 4. The hub: classes as groups, children's servers cut off from the network
install -D -m 644 "$deploy/hub/jazari_hub.py" /opt/tljh/config/jupyterhub_config.d/jazari_hub.py
install -D -m 644 "$here/jazari_tljh.py" /opt/tljh/config/jupyterhub_config.d/jazari_tljh.py

# 5. nbgrader's exchange folder, shared by every user (each hands in under their own name)
install -d -m 777 /srv/nbgrader/exchange

# 6. Sign-in with a PIN (NativeAuthenticator, kept hashed), memory per child, idle culling
tljh-config set auth.type nativeauthenticator.NativeAuthenticator
tljh-config set auth.NativeAuthenticator.open_signup false
tljh-config set auth.NativeAuthenticator.minimum_password_length 6
tljh-config set auth.NativeAuthenticator.check_common_password false
# everyone NativeAuthenticator lets in: it lets in only the accounts an admin approved
tljh-config set auth.Authenticator.allow_all true
tljh-config set user_environment.default_app jupyterlab
tljh-config set limits.memory "$memory"
tljh-config set limits.cpu 1
tljh-config set services.cull.enabled true
tljh-config set services.cull.timeout 1800
tljh-config set services.cull.every 300
tljh-config set services.cull.max_age 28800
tljh-config set services.cull.users false
tljh-config reload
echo "Jazari's hub is ready: open http://$(hostname -I | cut -d' ' -f1)/ and sign up as $admin first."
