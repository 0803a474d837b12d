#!/usr/bin/python3
"""`exosim-client --auth-code-browser` with headless Chromium under Selenium (identity_clients.Chromium:
the sign-in names resolved to the listener, exosim's CA in a throwaway NSS store): opens URL, signs
in as a person would (identity_clients.complete_sign_in) and lets the browser follow the redirect to
exosim-client's loopback listener. Screenshots go to $SIGNIN_ARTIFACTS.

usage: chromium_signin.py URL   (environment: EXOSIM_IDENTITY_PORT, EXOSIM_CA, SIGNIN_USER,
                                 SIGNIN_PASSWORD, SIGNIN_ARTIFACTS)"""
from __future__ import annotations

import os
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import identity_clients as ic  # noqa: E402


def main(url: str) -> int:
    with ic.Chromium(int(os.environ["EXOSIM_IDENTITY_PORT"]), os.environ["EXOSIM_CA"],
                     Path(os.environ["SIGNIN_ARTIFACTS"])) as browser:
        browser.driver.get(url)
        ic.complete_sign_in(browser, user=os.environ["SIGNIN_USER"], password=os.environ["SIGNIN_PASSWORD"])
        deadline = time.monotonic() + 10
        while urllib.parse.urlsplit(browser.driver.current_url).hostname != "localhost" and time.monotonic() < deadline:
            time.sleep(0.1)
        browser.shot("redirect")
        return 0 if "received the sign-in" in browser.text() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
