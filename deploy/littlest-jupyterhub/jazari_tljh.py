# The Littlest JupyterHub settings for a Jazari centre server, copied by install.sh to
# /opt/tljh/config/jupyterhub_config.d/jazari_tljh.py (TLJH loads every file there). The
# classes (groups learners-<course> and trainers-<course>) are read by jazari_hub.py, copied
# beside it. Memory limits and idle culling are tljh-config settings (install.sh).
c = get_config()  # noqa: F821

# Children's servers and kernels reach this machine only (the hub is on it): systemd denies
# them every other address, so nothing a child runs calls the internet.
c.SystemdSpawner.unit_extra_properties = {"IPAddressDeny": "any", "IPAddressAllow": "localhost"}
