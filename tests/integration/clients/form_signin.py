#!/usr/bin/python3
"""A browser stand-in for `exosim-client --auth-code-browser`: walks exosim's sign-in pages (plain
HTML forms, no JavaScript) as a person would, with the names mapped to the listener inside the
client (identity_clients.mapped_session), then follows the final redirect to the loopback address.

usage: form_signin.py URL   (environment: EXOSIM_IDENTITY_PORT, EXOSIM_CA, SIGNIN_USER, SIGNIN_PASSWORD,
                             SIGNIN_DECLINE=1 to press the refusing button where one is offered)"""
from __future__ import annotations

import html.parser
import os
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import identity_clients as ic  # noqa: E402


class Form(html.parser.HTMLParser):
    """The first form of a page: its action, hidden and text fields, and its submit buttons."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.buttons, self.inside, self.done = None, {}, [], False, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done:
            self.action, self.inside = a.get("action", ""), True
        elif self.inside and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            user, password = os.environ.get("SIGNIN_USER", ""), os.environ.get("SIGNIN_PASSWORD", "")
            value = {"password": password, "text": a.get("value") or user, "email": user}.get(kind, a.get("value", ""))
            if kind == "submit":
                self.buttons.append((a["name"], a.get("value", "")))
            else:
                self.fields[a["name"]] = value
        elif self.inside and tag == "button" and a.get("name"):
            self.buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def main(url: str) -> int:
    session = ic.mapped_session(int(os.environ["EXOSIM_IDENTITY_PORT"]), os.environ["EXOSIM_CA"])
    response = session.get(url, allow_redirects=False, timeout=10)
    for _ in range(10):
        location = response.headers.get("Location", "")
        if urllib.parse.urlsplit(location).hostname == "localhost":
            # The loopback redirect: a plain request, as the browser's last step.
            import requests
            target = location.replace("://localhost", "://127.0.0.1", 1)
            requests.get(target, timeout=10, proxies={"http": None})
            return 0
        if location:
            response = session.get(urllib.parse.urljoin(response.url, location), allow_redirects=False, timeout=10)
            continue
        form = Form()
        form.feed(response.text)
        if form.action is None:
            print("no form on the page:\n" + response.text, file=sys.stderr)
            return 1
        decline = os.environ.get("SIGNIN_DECLINE") == "1"
        button = next((b for b in form.buttons if decline and b[1] in ("no", "cancel", "decline")), None)
        button = button or next((b for b in form.buttons if b[1] not in ("no", "cancel", "decline")), None)
        data = dict(form.fields, **({button[0]: button[1]} if button else {}))
        response = session.post(urllib.parse.urljoin(response.url, form.action), data=data, allow_redirects=False,
                                timeout=10)
    print("sign-in did not finish", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
