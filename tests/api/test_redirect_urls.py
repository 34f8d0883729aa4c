"""The redirect URL rule on its own: every way of smuggling a foreign destination is refused."""

from __future__ import annotations

import pytest

from services.errors import BadUserInput
from services.urls import RedirectPolicy, https_asset_url

DEV = RedirectPolicy.of(["localhost", "127.0.0.1", "app.example.com"], is_prod=False)
PROD = RedirectPolicy.of(["app.example.com", "localhost"], is_prod=True)


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/welcome",
        "https://APP.example.com/welcome?session={CHECKOUT_SESSION_ID}",
        "https://app.example.com:8443/a#top",
        "http://localhost:5173/welcome",
        "http://127.0.0.1/welcome",
    ],
)
def test_allowed_urls_pass_unchanged(url):
    assert DEV.redirect_url(url, field="successUrl") == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/welcome",
        "welcome",
        "//app.example.com/welcome",
        "javascript:alert(1)",
        "JavaScript://app.example.com/%0aalert(1)",
        "data:text/html,hi",
        "ftp://app.example.com/file",
        "http://app.example.com/welcome",
        "https://evil.example.com/",
        "https://app.example.com.evil.com/",
        "https://app.example.com@evil.com/",
        "https://evil.com\\@app.example.com/",
        "https://evil.com\\app.example.com/",
        "https://app.example.com:99999/",
        "https://app.example.com/a b",
        "https://app.example.com/\x00",
        "https://" + "a" * 2050 + ".app.example.com/",
    ],
)
def test_unsafe_urls_are_bad_user_input(url):
    with pytest.raises(BadUserInput, match="successUrl"):
        DEV.redirect_url(url, field="successUrl")


def test_plain_http_on_loopback_is_refused_in_prod():
    with pytest.raises(BadUserInput, match="https"):
        PROD.redirect_url("http://localhost/welcome", field="returnUrl")


def test_an_asset_may_come_from_any_https_host():
    assert https_asset_url("https://cdn.example.net/bg.png", field="img")


@pytest.mark.parametrize("url", ["http://cdn.example.net/bg.png", "data:image/png;base64,AA"])
def test_an_asset_over_plain_http_or_inline_is_refused(url):
    with pytest.raises(BadUserInput):
        https_asset_url(url, field="img")
