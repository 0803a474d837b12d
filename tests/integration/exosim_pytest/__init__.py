"""pytest fixtures for exosim: start the real binary on free ports, talk to it, wait for messages.

Use it from any test suite:

    pytest_plugins = ["exosim_pytest.plugin"]

    def test_printer_sends(exosim):
        server = exosim()                     # embedded default config, free ports, temp data dir
        port = server.port("submission")
        ...                                   # drive your client at 127.0.0.1:port
        msg = server.wait_for_message(to="alice@contoso.com")
        assert b"Subject: Scan" in msg.eml
"""
from .api import ApiClient, ApiError, EventStream
from .server import ExosimServer, StoredMessage, find_binary

__all__ = ["ApiClient", "ApiError", "EventStream", "ExosimServer", "StoredMessage", "find_binary"]
