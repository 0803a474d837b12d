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


def exo_config(**overrides) -> dict:
    """The Exchange Online endpoints on free ports, the embedded tenant set, no AUTH tarpit."""
    cfg = {
        "capture": "disk",
        "listeners": [
            {"name": "submission", "profile": "exo-submission", "address": "127.0.0.1", "port": 0,
             "hostname": "smtp.office365.com",
             "tls": {"mode": "starttls", "min": "1.0", "max": "1.3", "certificate": "smtp.office365.com"}},
            {"name": "legacy", "profile": "exo-legacy", "address": "127.0.0.1", "port": 0,
             "hostname": "smtp-legacy.office365.com",
             "tls": {"mode": "starttls", "min": "1.0", "max": "1.3", "certificate": "smtp-legacy.office365.com"}},
            {"name": "mx", "profile": "exo-mx", "address": "127.0.0.1", "port": 0,
             "hostname": "contoso-com.mail.protection.outlook.com",
             "tls": {"mode": "starttls", "min": "1.2", "max": "1.3",
                     "certificate": "*.mail.protection.outlook.com", "request_client_cert": True}},
            {"name": "implicit", "profile": "exo-465", "address": "127.0.0.1", "port": 0,
             "hostname": "smtp.office365.com",
             "tls": {"mode": "implicit", "min": "1.2", "max": "1.3", "certificate": "smtp.office365.com"}},
        ],
        "exchange": {"auth_tarpit": 0},
    }
    cfg.update(overrides)
    return cfg


def exo_tenants(contoso_settings: dict | None = None, **mailbox_fields) -> list:
    """The embedded tenant set (issue 3) as a `tenants:` section, with contoso.com settings and
    mailbox fields changed: exo_tenants({"basic_auth_retired": True}, scanner={"locked": True})."""
    mailboxes = [
        {"address": "printer@contoso.com", "password": "Printer-Pass-1", "smtp_auth": "enabled"},
        {"address": "scanner@contoso.com", "password": "Scanner-Pass-1", "smtp_auth": "disabled"},
        {"address": "app@contoso.com", "password": "App-Pass-1", "send_as": ["noreply@contoso.com"]},
        {"address": "alice@contoso.com"},
        {"address": "bob@contoso.com"},
        {"address": "noreply@contoso.com"},
    ]
    for m in mailboxes:
        m.update(mailbox_fields.get(m["address"].split("@")[0], {}))
    return [
        {"name": "contoso.com", "accepted_domains": ["contoso.com"],
         "mx_host": "contoso-com.mail.protection.outlook.com", "settings": dict(contoso_settings or {}),
         "mailboxes": mailboxes,
         "connectors": [{"name": "contoso-devices", "source_ips": ["203.0.113.10"],
                         "certificate_domain": "contoso.com"}]},
        {"name": "fabrikam.com", "accepted_domains": ["fabrikam.com"],
         "mx_host": "fabrikam-com.mail.protection.outlook.com", "settings": {"smtp_auth_disabled": True},
         "mailboxes": [{"address": "device@fabrikam.com", "password": "Device-Pass-1"}]},
    ]
