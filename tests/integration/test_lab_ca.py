"""`exosim ca client`: a client certificate from exosim's CA as PEM and PKCS#12 that relays through
the MX certificate connector, and a connector's `trusted_ca` that admits a vendor's own CA."""
import smtplib
import subprocess

import pytest

from configs import exo_config, exo_tenants
from exo_helpers import tls_context
from exosim_pytest.server import find_binary

MESSAGE = b"From: printer@contoso.com\r\nTo: x@example.net\r\nSubject: Scan\r\n\r\nhello\r\n"


def issue(data_dir, out, *extra):
    return subprocess.run([str(find_binary()), "ca", "client", "--domain", "contoso.com", "--out", str(out),
                           "--data-dir", str(data_dir), *extra], capture_output=True, text=True, timeout=60)


def relay(server, chain, key) -> tuple[int, dict | None]:
    ctx = tls_context(server.ca_file)
    ctx.load_cert_chain(str(chain), str(key))
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10) as smtp:
        smtp.ehlo("printer.contoso.com")
        smtp.starttls(context=ctx)
        smtp.ehlo("printer.contoso.com")
        smtp.mail("printer@contoso.com")
        code, _ = smtp.rcpt("x@example.net")
        if code != 250:
            return code, None
        assert smtp.data(MESSAGE)[0] == 250
    return code, server.wait_for_message(to="x@example.net").meta


def test_issued_certificate_relays_through_the_certificate_connector(exosim, tmp_path):
    server = exosim(exo_config())
    out = tmp_path / "device"
    r = issue(server.data_dir, out)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(out / n) for n in ("contoso.com.pem", "contoso.com.key", "contoso.com.p12", "ca.pem")]
    assert (out / "ca.pem").read_bytes() == server.ca_file.read_bytes()
    code, meta = relay(server, out / "contoso.com.pem", out / "contoso.com.key")
    assert code == 250 and meta["annotations"]["connector_match"] == "certificate"


@pytest.mark.parametrize("fmt", ["modern", "legacy"])
def test_p12_opens_with_openssl_pkcs12(exosim, tmp_path, fmt):
    extra = []  # 3DES is in OpenSSL 3's default provider: no -legacy needed even for "legacy"
    server = exosim(exo_config())
    out = tmp_path / fmt
    assert issue(server.data_dir, out, "--p12-format", fmt, "--password", "Device-1").returncode == 0
    p12 = out / "contoso.com.p12"
    opened = subprocess.run(["openssl", "pkcs12", "-in", str(p12), "-passin", "pass:Device-1", "-nodes", *extra],
                            capture_output=True, text=True, timeout=30)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.count("BEGIN CERTIFICATE") == 3  # leaf, intermediate, root
    assert "subject=O = exosim, CN = contoso.com\n" in opened.stdout and "BEGIN PRIVATE KEY" in opened.stdout
    info = subprocess.run(["openssl", "pkcs12", "-in", str(p12), "-passin", "pass:Device-1", "-info", "-noout", *extra],
                          capture_output=True, text=True, timeout=30).stderr
    if fmt == "modern":
        assert "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC" in info and "MAC: sha256" in info, info
    else:
        assert "pbeWithSHA1And3-KeyTripleDES-CBC" in info and "MAC: sha1" in info and "PBES2" not in info, info
    wrong = subprocess.run(["openssl", "pkcs12", "-in", str(p12), "-passin", "pass:wrong", "-nodes", *extra],
                           capture_output=True, text=True, timeout=30)
    assert wrong.returncode != 0


def test_default_password_is_exosim(exosim, tmp_path):
    server = exosim(exo_config())
    assert issue(server.data_dir, tmp_path / "d").returncode == 0
    opened = subprocess.run(["openssl", "pkcs12", "-in", str(tmp_path / "d" / "contoso.com.p12"), "-passin",
                             "pass:exosim", "-nokeys"], capture_output=True, text=True, timeout=30)
    assert opened.returncode == 0, opened.stderr


def test_usage_errors_exit_2(tmp_path):
    for args in (["ca"], ["ca", "server"], ["ca", "client", "--out", str(tmp_path)], ["ca", "client", "--domain", "x"],
                 ["ca", "client", "--domain", "x", "--out", str(tmp_path), "--p12-format", "rc2"]):
        assert subprocess.run([str(find_binary()), *args], capture_output=True, timeout=30).returncode == 2, args


def vendor_ca(tmp_path):
    """A vendor's own CA and a device certificate it issued for contoso.com."""
    def run(*a):
        subprocess.run(a, check=True, capture_output=True)
    ca_key, ca_pem = tmp_path / "vendor-ca.key", tmp_path / "vendor-ca.pem"
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-subj", "/CN=Vendor Device CA",
        "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
        "-out", str(ca_pem))
    key, csr, crt, ext = (tmp_path / f"device.{s}" for s in ("key", "csr", "crt", "ext"))
    ext.write_text("subjectAltName=DNS:contoso.com\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n")
    run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-subj", "/CN=contoso.com",
        "-out", str(csr))
    run("openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca_pem), "-CAkey", str(ca_key), "-CAcreateserial",
        "-CAserial", str(tmp_path / "serial"), "-days", "30", "-sha256", "-extfile", str(ext), "-out", str(crt))
    return ca_pem, crt, key


def test_connector_trusted_ca_admits_a_vendor_ca(exosim, tmp_path):
    ca_pem, crt, key = vendor_ca(tmp_path)
    # Without trusted_ca the vendor's certificate does not verify: no connector, relay refused.
    plain = exosim(exo_config(tenants=exo_tenants()), data_dir=tmp_path / "plain")
    assert relay(plain, crt, key)[0] == 550
    tenants = exo_tenants()
    tenants[0]["connectors"][0]["trusted_ca"] = str(ca_pem)
    server = exosim(exo_config(tenants=tenants), data_dir=tmp_path / "trusting")
    code, meta = relay(server, crt, key)
    assert code == 250 and meta["annotations"]["connector_match"] == "certificate"


def test_missing_trusted_ca_file_is_a_start_up_error(tmp_path):
    from exosim_pytest.server import ExosimServer
    tenants = exo_tenants()
    tenants[0]["connectors"][0]["trusted_ca"] = str(tmp_path / "missing.pem")
    s = ExosimServer(tmp_path / "d", exo_config(tenants=tenants))
    assert s.proc.wait(timeout=30) == 1
    assert any(f"listener 'mx': tls: trusted CA file {tmp_path / 'missing.pem'}" in line for line in s.output), s.output
