"""``jazari hub``: one classroom's JupyterHub on one machine.

- :mod:`autograder.hub.accounts`: the roster's children and trainers as system users,
  their PINs checked by PAM;
- :mod:`autograder.hub.config`: the ``c.JazariHub`` options and the files written from them
  (``jupyterhub_config.py``, the servers' Jupyter settings);
- :mod:`autograder.hub.auth` and :mod:`autograder.hub.spawner`: JupyterHub's PAM
  authenticator and local process spawner, with the roster's ids and a memory limit;
- :mod:`autograder.hub.service`: the grading service, ``jazari grade --watch`` over every
  released unit, so feedback follows a submission;
- :mod:`autograder.hub.launch`: check everything first, then make and run.
"""

from autograder.hub.launch import hub, plan_hub, run_hub, start_hub

__all__ = ["hub", "plan_hub", "run_hub", "start_hub"]
