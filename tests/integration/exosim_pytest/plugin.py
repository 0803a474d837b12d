"""pytest plugin: the `exosim` fixture factory starts servers and stops them after the test."""
from __future__ import annotations

import pytest

from .server import ExosimServer


@pytest.fixture
def exosim(tmp_path):
    """Factory: exosim(config=None, data_dir=None, extra_args=None) -> ExosimServer."""
    started: list[ExosimServer] = []

    def start(config: dict | None = None, data_dir=None, extra_args=None) -> ExosimServer:
        server = ExosimServer(data_dir or tmp_path / f"data{len(started)}", config, extra_args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def exosim_api(exosim):
    """A server with the embedded default configuration (free ports) and its control API client;
    the server is `exosim_api.server`. Start your own with `exosim(config)` for another setup."""
    server = exosim()
    api = server.api
    api.server = server
    return api
