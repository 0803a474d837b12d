"""The Exchange Online configuration from the command line: --print-config emits every section
and loads back unchanged; bad sections are errors naming file, line and key (exit 1)."""
import base64
import json
import subprocess

import yaml

from exosim_pytest.server import find_binary


def run(*args, timeout=30):
    return subprocess.run([str(find_binary()), *args], capture_output=True, text=True, timeout=timeout)


def test_print_config_emits_every_exchange_section_and_loads_back(tmp_path):
    first = run("serve", "--print-config", "--data-dir", str(tmp_path / "d"))
    assert first.returncode == 0, first.stderr
    doc = yaml.safe_load(first.stdout)
    for key in ("clock", "exchange", "tenants", "blocked_ips", "spf_records", "address_map", "listeners"):
        assert key in doc, key
    assert [l["profile"] for l in doc["listeners"]] == ["exo-submission", "exo-legacy", "exo-mx", "exo-465"]
    assert [t["name"] for t in doc["tenants"]] == ["contoso.com", "fabrikam.com"]
    printed = tmp_path / "printed.yaml"
    printed.write_text(first.stdout)
    second = run("serve", "--config", str(printed), "--print-config", "--data-dir", str(tmp_path / "d"))
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout


def test_bad_exchange_section_is_a_configuration_error(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("exchange:\n  auth_tarpit: 0\n  implicit_tls: loud\n")
    r = run("serve", "--config", str(cfg), "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 1
    assert f"{cfg}:3:17: exchange.implicit_tls: 'loud' is not one of silent|refuse|serve" in r.stderr, r.stderr


def test_signing_key_is_private_and_reused(tmp_path):
    r = run("token", "--user", "printer@contoso.com", "--ttl", "60", "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 0, r.stderr
    keys = tmp_path / "d" / "tls" / "identity-signing"
    kid = (keys / "state").read_text().split()[1]
    key = keys / f"{kid}.key.pem"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert not (tmp_path / "d" / "tls" / "token.key").exists()  # the HS256 secret is gone
    pem = key.read_text()
    again = run("token", "--user", "printer@contoso.com", "--ttl", "60", "--data-dir", str(tmp_path / "d"))
    assert again.returncode == 0, again.stderr
    assert key.read_text() == pem  # reused, not regenerated
    header = json.loads(base64.urlsafe_b64decode(again.stdout.split(".")[0] + "=="))
    assert header["alg"] == "RS256" and header["kid"] == kid