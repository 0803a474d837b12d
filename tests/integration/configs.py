"""Configurations the integration tests start exosim with (all listeners on free ports)."""


def rfc_config(**overrides) -> dict:
    cfg = {
        "capture": "disk",
        "listeners": [
            {"name": "submission", "profile": "rfc", "address": "127.0.0.1", "port": 0,
             "tls": {"mode": "starttls", "min": "1.2", "max": "1.3"}},
            {"name": "mx", "profile": "rfc", "address": "127.0.0.1", "port": 0,
             "tls": {"mode": "starttls", "min": "1.0", "max": "1.3"}},
            {"name": "implicit", "profile": "rfc", "address": "127.0.0.1", "port": 0,
             "tls": {"mode": "implicit", "min": "1.2", "max": "1.3"}},
        ],
        "accounts": [{"user": "printer@contoso.com", "password": "Printer-Pass-1"}],
    }
    cfg.update(overrides)
    return cfg


def with_timeouts(cfg: dict, command: float, data: float = 5.0, tls: float = 5.0) -> dict:
    for listener in cfg["listeners"]:
        listener["timeouts"] = {"command": command, "data": data, "tls": tls}
    return cfg
