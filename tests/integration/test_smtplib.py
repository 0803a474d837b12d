"""The foundation against Python's smtplib: plain, STARTTLS at each TLS version, AUTH LOGIN/PLAIN."""
import smtplib
import ssl

import pytest

from configs import rfc_config

MESSAGE = b"From: printer@contoso.com\r\nTo: alice@contoso.com\r\nSubject: Scan\r\n\r\nhello\r\n"
VERSIONS = {
    "1.0": ssl.TLSVersion.TLSv1,
    "1.1": ssl.TLSVersion.TLSv1_1,
    "1.2": ssl.TLSVersion.TLSv1_2,
    "1.3": ssl.TLSVersion.TLSv1_3,
}


def client_context(ca, version):
    ctx = ssl.create_default_context(cafile=str(ca))
    ctx.minimum_version = ctx.maximum_version = VERSIONS[version]
    if version in ("1.0", "1.1"):
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


@pytest.fixture
def server(exosim):
    return exosim(rfc_config())


def test_plain_session_stores_message(server):
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10) as smtp:
        code, _ = smtp.ehlo("printer.local")
        assert code == 250
        smtp.sendmail("printer@contoso.com", ["alice@contoso.com"], MESSAGE)
    msg = server.wait_for_message(to="alice@contoso.com")
    assert msg.eml == MESSAGE
    assert msg.meta["envelope"]["mail_from"] == "printer@contoso.com"
    assert msg.meta["tls"]["version"] == "none"


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.3"])
def test_starttls_each_version_on_mx(server, version):
    """The mx listener allows 1.0..1.3: each version, pinned on both sides, negotiates exactly."""
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10) as smtp:
        smtp.starttls(context=client_context(server.ca_file, version))
        assert smtp.sock.version() == {"1.0": "TLSv1", "1.1": "TLSv1.1", "1.2": "TLSv1.2", "1.3": "TLSv1.3"}[version]
        smtp.sendmail("printer@contoso.com", ["bob@contoso.com"], MESSAGE)
    msg = server.wait_for_message(to="bob@contoso.com")
    assert msg.meta["tls"]["version"] == smtp.sock.version() if smtp.sock else True


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_submission_refuses_old_tls_at_handshake(server, version):
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10) as smtp:
        with pytest.raises(ssl.SSLError):
            smtp.starttls(context=client_context(server.ca_file, version))


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_auth_after_starttls(server, mechanism):
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10) as smtp:
        smtp.ehlo("printer.local")
        assert not smtp.has_extn("auth"), "AUTH must not be offered before TLS"
        smtp.starttls(context=client_context(server.ca_file, "1.2"))
        smtp.ehlo("printer.local")
        assert mechanism in smtp.esmtp_features["auth"].split()
        assert not smtp.has_extn("starttls")
        smtp.login("printer@contoso.com", "Printer-Pass-1", initial_response_ok=(mechanism == "PLAIN"))
        smtp.sendmail("printer@contoso.com", ["alice@contoso.com"], MESSAGE)
    msg = server.wait_for_message(to="alice@contoso.com")
    assert msg.meta["auth_identity"] == "printer@contoso.com"


def test_wrong_password_is_535(server):
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10) as smtp:
        smtp.starttls(context=client_context(server.ca_file, "1.3"))
        with pytest.raises(smtplib.SMTPAuthenticationError) as err:
            smtp.login("printer@contoso.com", "wrong")
        assert err.value.smtp_code == 535


def test_implicit_tls_listener(server):
    ctx = client_context(server.ca_file, "1.3")
    with smtplib.SMTP_SSL("127.0.0.1", server.port("implicit"), context=ctx, timeout=10) as smtp:
        smtp.login("printer@contoso.com", "Printer-Pass-1")
        smtp.sendmail("printer@contoso.com", ["alice@contoso.com"], MESSAGE)
    assert server.wait_for_message().meta["tls"]["version"] == "TLSv1.3"
