"""Name mapping for the OAuth adapters (the approach of tests/integration/identity_clients.py): a
requests.Session whose sockets for Microsoft's sign-in names go to `--identity-address`, while SNI,
the Host header and the certificate check keep the real name, and an smtplib.SMTP that connects to
an address but verifies the server as `servername`. Without an address, names resolve normally (a
lab network whose DNS points them at exosim)."""
from __future__ import annotations

import smtplib
import socket

SIGN_IN_HOSTS = ("login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net")


def mapped_session(identity_address: str, ca_file: str):
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPSConnection
    from urllib3.connectionpool import HTTPSConnectionPool
    from urllib3.util import connection

    session = requests.Session()
    session.trust_env = False
    session.verify = ca_file or True
    if not identity_address:
        return session
    host, _, port = identity_address.rpartition(":")
    target = (host, int(port))

    class Mapped(HTTPSConnection):
        def _new_conn(self):
            if self.host.lower().rstrip(".") not in SIGN_IN_HOSTS:
                raise OSError(f"{self.host} is not a sign-in name; refusing to leave the lab")
            return connection.create_connection(target, self.timeout, socket_options=self.socket_options)

    class MappedPool(HTTPSConnectionPool):
        ConnectionCls = Mapped

    class MappedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = dict(self.poolmanager.pool_classes_by_scheme, https=MappedPool)

    session.mount("https://", MappedAdapter())
    return session


class NamedSMTP(smtplib.SMTP):
    """Connects to host:port and verifies the certificate as `servername` after STARTTLS."""

    def __init__(self, servername: str, **kw):
        self._servername = servername
        super().__init__(**kw)

    def starttls(self, *, context=None):
        self._host = self._servername
        return super().starttls(context=context)


def xoauth2(user: str, token: str) -> str:
    """reference entra-id-oauth.md §5: user=<mailbox>^Aauth=Bearer <token>^A^A (smtplib base64s it)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"
