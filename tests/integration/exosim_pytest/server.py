"""Process control for `exosim serve` in tests: free ports, temp data dir, parsed listener lines."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from .api import ApiClient

LISTENING = re.compile(r"^listening (?P<name>\S+) (?P<addr>\S+):(?P<port>\d+)")
CONTROL = re.compile(r"^control (?P<addr>\S+):(?P<port>\d+)")


def find_binary(name: str = "exosim") -> Path:
    """The binary from $EXOSIM_BUILD_DIR/bin; else build/bin next to the repository root (a source
    checkout); else the one on PATH, as the Debian package installs it (/usr/bin/exosim), so a
    user's suite needs no build dir."""
    if os.environ.get("EXOSIM_BUILD_DIR"):
        path = Path(os.environ["EXOSIM_BUILD_DIR"]) / "bin" / name
        if not path.exists():
            raise FileNotFoundError(f"{path} not found: build first (ci/build) or fix EXOSIM_BUILD_DIR")
        return path
    checkout = Path(__file__).resolve().parents[3] / "build" / "bin" / name
    if checkout.exists():
        return checkout
    installed = shutil.which(name)
    if installed:
        return Path(installed)
    raise FileNotFoundError(f"{name} not found: not in {checkout.parent} (build first: ci/build), not on PATH "
                            "(install the exosim package), and EXOSIM_BUILD_DIR is not set")


@dataclass
class StoredMessage:
    id: str
    meta: dict
    eml: bytes


class ExosimServer:
    """One running `exosim serve`. Every listener binds port 0 unless the config says otherwise."""

    def __init__(self, data_dir: Path, config: dict | None = None, extra_args: list[str] | None = None,
                 startup_timeout: float | None = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.config_path = None
        args = [str(find_binary()), "serve", "--data-dir", str(self.data_dir)]
        if config is not None:
            self.config_path = self.data_dir / "exosim-test.yaml"
            self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
            args += ["--config", str(self.config_path)]
        else:
            args += ["--ephemeral-ports"]
        extra = list(extra_args or [])
        # A config file keeps its listeners' ports (tests give 0); the control API would default
        # to 8025, which parallel tests would fight over: put it on a free port too.
        if config is not None and "control" not in config and "--control" not in extra and "--no-control" not in extra:
            args += ["--control", "127.0.0.1:0"]
        # Likewise the sign-in service's default 1443.
        if config is not None and "identity" not in config and "--identity" not in extra and "--no-identity" not in extra:
            args += ["--identity", "127.0.0.1:0"]
        args += extra
        self.args = args
        self.ports: dict[str, int] = {}
        self.control_port: int | None = None
        self.output: list[str] = []
        self._ready = threading.Event()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     errors="replace")
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        # Start-up generates RSA keys (CA, certificates, signing keys): seconds under ASan on a loaded
        # machine, and a random prime search has a long tail. EXOSIM_STARTUP_TIMEOUT widens the budget
        # (ci/sanitize sets it); a budget, not a speed assertion.
        if startup_timeout is None:
            startup_timeout = float(os.environ.get("EXOSIM_STARTUP_TIMEOUT", "30"))
        if not self._ready.wait(startup_timeout):
            self.stop()
            raise RuntimeError("exosim did not start:\n" + "\n".join(self.output))

    def _read_output(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.output.append(line)
            if m := LISTENING.match(line):
                self.ports[m["name"]] = int(m["port"])
            elif m := CONTROL.match(line):
                self.control_port = int(m["port"])
            elif line.startswith("ready"):
                self._ready.set()
        self._ready.set()  # process ended: unblock the waiter, it checks ports

    # --- addresses -------------------------------------------------------------------------
    def port(self, listener: str) -> int:
        if listener not in self.ports:
            raise KeyError(f"no listener {listener!r}; have {sorted(self.ports)}; output:\n" +
                           "\n".join(self.output))
        return self.ports[listener]

    @property
    def api(self) -> ApiClient:
        """The control API client (the server printed `control ADDR:PORT`)."""
        if self.control_port is None:
            raise RuntimeError("this server has no control API (started with --no-control?); output:\n" +
                               "\n".join(self.output))
        return ApiClient(f"http://127.0.0.1:{self.control_port}")

    @property
    def ca_file(self) -> Path:
        return self.data_dir / "tls" / "ca.pem"

    # --- messages --------------------------------------------------------------------------
    def messages(self) -> list[StoredMessage]:
        out = []
        mdir = self.data_dir / "messages"
        if not mdir.is_dir():
            return out
        for eml in sorted(mdir.glob("*.eml")):
            meta_path = eml.with_suffix(".json")
            meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
            out.append(StoredMessage(eml.stem, meta, eml.read_bytes()))
        return out

    def wait_for_message(self, to: str | None = None, count: int = 1, timeout: float = 10.0,
                         predicate: Callable[[StoredMessage], bool] | None = None) -> StoredMessage:
        """The count-th stored message (optionally to a given recipient and passing `predicate`),
        read from the data dir (disk capture), waiting up to timeout. For memory capture use
        `server.api.wait_for_message(...)`."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages()
                     if (to is None or to in [r.get("address") for r in m.meta.get("envelope", {}).get("rcpt_to", [])])
                     and (predicate is None or predicate(m))]
            if len(found) >= count:
                return found[count - 1]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no message (to={to}) after {timeout}s; have {len(self.messages())}")
            time.sleep(0.05)

    # --- lifecycle -------------------------------------------------------------------------
    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=2)
        return self.proc.returncode

    def kill9(self) -> None:
        self.stop(signal.SIGKILL)
