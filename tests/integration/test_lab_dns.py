"""serve --dns: the lab DNS stub answers every lab name with the lab address (dig and dnspython, UDP
and TCP), MX and SPF TXT for the accepted domains, NXDOMAIN inside its own zones, REFUSED
elsewhere, and never recurses."""
import shutil
import subprocess

import pytest

from client_capabilities import skip_or_fail

dns = pytest.importorskip("dns", reason="python3-dnspython is not installed (ci/setup-deps)")
import dns.flags  # noqa: E402
import dns.message  # noqa: E402
import dns.query  # noqa: E402
import dns.rcode  # noqa: E402
import dns.resolver  # noqa: E402

LAB_HOSTS = ["smtp.office365.com", "smtp-legacy.office365.com", "contoso-com.mail.protection.outlook.com",
             "fabrikam-com.mail.protection.outlook.com", "login.microsoftonline.com", "login.microsoft.com",
             "login.windows.net", "sts.windows.net", "microsoft.com", "www.microsoft.com"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from exosim_pytest.server import ExosimServer
    s = ExosimServer(tmp_path_factory.mktemp("dns"), extra_args=["--dns", "--no-control"])
    yield s
    s.stop()


def resolver(server, tcp=False):
    r = dns.resolver.Resolver(configure=False)
    r.nameservers = ["127.0.0.1"]
    r.port = server.port("dns")
    r.lifetime = 5
    return r


def dig(server, *args):
    if not shutil.which("dig"):
        reason = "dig is not installed (Debian bind9-dnsutils, ci/setup-deps lab)"
        skip_or_fail(reason)
    out = subprocess.run(["dig", "@127.0.0.1", "-p", str(server.port("dns")), "+time=3", "+tries=1", *args],
                         capture_output=True, text=True, timeout=20)
    return out.stdout


@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_every_lab_name_resolves_to_the_lab_address_with_dnspython(server, tcp):
    r = resolver(server)
    for name in LAB_HOSTS:
        answer = r.resolve(name, "A", tcp=tcp)
        assert [a.address for a in answer] == ["127.0.0.1"], name
        assert answer.rrset.ttl == 60
        assert answer.response.flags & dns.flags.AA and not answer.response.flags & dns.flags.RA


@pytest.mark.parametrize("transport", ["+notcp", "+tcp"])
def test_every_lab_name_resolves_with_dig(server, transport):
    for name in LAB_HOSTS:
        assert dig(server, transport, "+short", name, "A").split() == ["127.0.0.1"], name


def test_mx_and_spf_for_accepted_domains(server):
    r = resolver(server)
    mx = r.resolve("contoso.com", "MX")
    assert [(m.preference, m.exchange.to_text()) for m in mx] == [(0, "contoso-com.mail.protection.outlook.com.")]
    txt = r.resolve("contoso.com", "TXT")
    assert [b"".join(t.strings) for t in txt] == [b"v=spf1 ip4:203.0.113.10 -all"]
    assert dig(server, "+short", "fabrikam.com", "MX").split() == ["0", "fabrikam-com.mail.protection.outlook.com."]
    assert dig(server, "+short", "+tcp", "contoso.com", "TXT").strip() == '"v=spf1 ip4:203.0.113.10 -all"'


def test_aaaa_is_nodata_on_an_ipv4_lab(server):
    q = dns.message.make_query("smtp.office365.com", "AAAA")
    resp = dns.query.udp(q, "127.0.0.1", port=server.port("dns"), timeout=5)
    assert resp.rcode() == dns.rcode.NOERROR and not resp.answer


def test_unknown_name_in_an_owned_zone_is_nxdomain_with_soa(server):
    for name in ["printer.contoso.com", "nobody-com.mail.protection.outlook.com"]:
        resp = dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=server.port("dns"), timeout=5)
        assert resp.rcode() == dns.rcode.NXDOMAIN, name
        assert [rr.rdtype for rr in resp.authority] == [dns.rdatatype.SOA], name
    assert "status: NXDOMAIN" in dig(server, "printer.contoso.com", "A")


def test_everything_else_is_refused_and_never_recursed(server):
    # From an address of its own: the per-client answer budget of 127.0.0.1 is shared with the
    # module's other tests (the rate limit is per source address by design).
    for name in ["example.org", "outlook.office365.com", "www.google.com"]:
        q = dns.message.make_query(name, "A")  # RD set, as a stub resolver sends it
        resp = dns.query.udp(q, "127.0.0.1", port=server.port("dns"), timeout=5, source="127.0.0.3")
        assert resp.rcode() == dns.rcode.REFUSED, name
        assert not resp.answer and not resp.flags & dns.flags.RA, name
    assert "status: REFUSED" in dig(server, "-b", "127.0.0.3", "example.org", "A")


def test_rate_limit_drops_answers_past_the_burst(server):
    """RateLimit: 40 answers at once per client, then 20/s. 60 queries sent back to back from one
    address get the burst and whatever refilled while they were sent, never all 60."""
    import socket
    import time
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.2", 0))
    start = time.monotonic()
    for i in range(60):
        sock.sendto(dns.message.make_query("smtp.office365.com", "A", id=i).to_wire(), ("127.0.0.1", server.port("dns")))
    sent_in = time.monotonic() - start
    sock.settimeout(0.5)
    answered = set()
    try:
        while True:
            answered.add(dns.message.from_wire(sock.recv(512)).id)
    except socket.timeout:
        pass
    assert 40 <= len(answered) <= 40 + int(20 * (sent_in + 0.5)) + 1 < 60, (len(answered), sent_in)
    assert set(range(40)) <= answered  # the first 40 are the burst
