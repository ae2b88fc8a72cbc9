"""Logging in to the hub: the roster's id and PIN, checked by PAM.

:class:`JazariAuthenticator` is JupyterHub's own PAM authenticator (``pamela`` checks the
PIN against ``/etc/shadow``, where ``chpasswd`` stored it hashed), with one step before:
the name typed (the child's roster id, in any case, or the system user itself) becomes
the system user ``jz-<id>`` that PAM knows. Any other name is refused without asking PAM.
"""

from __future__ import annotations

from jupyterhub.auth import PAMAuthenticator
from traitlets import Dict

__all__ = ["JazariAuthenticator"]


class JazariAuthenticator(PAMAuthenticator):
    """PAM logins with the roster's ids for the hub's system users."""

    logins = Dict(
        help="The roster's ids (lower case) and the system user of each.",
    ).tag(config=True)

    def system_user(self, typed: str) -> str | None:
        """The system user for the name typed on the login page (None: not on the roster)."""
        name = (typed or "").strip().lower()
        if name in self.logins:
            return self.logins[name]
        if name in set(self.logins.values()):
            return name
        return None

    async def authenticate(self, handler, data):
        login = self.system_user(data.get("username", ""))
        if login is None:
            self.log.warning("Login refused: %r is not on the roster", data.get("username"))
            return None
        return await super().authenticate(handler, {**data, "username": login})
