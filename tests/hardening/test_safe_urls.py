"""URLs are accepted only as a browser reads them, with nothing a host page could break out of an
attribute, a style or a script with, and only on the hosts they are meant for."""

from __future__ import annotations

import pytest

from services.errors import BadUserInput
from services.models import PortalBlock
from services.urls import MAX_URL_LENGTH, RedirectPolicy, https_asset_url
from tests.hardening.support import SAVE_BLOCK, graphql
from tests.support import error_codes

POLICY = RedirectPolicy.of(["app.example.com", "localhost", "127.0.0.1"], is_prod=False)


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/welcome",
        "https://app.example.com",
        "HTTPS://App.Example.COM/welcome",
        "https://app.example.com/done?session={CHECKOUT_SESSION_ID}",
        "https://app.example.com/done/{CHECKOUT_SESSION_ID}",
        "https://app.example.com/a%22b%27c%3Cd%3E%60e%28f%29",
        "https://app.example.com:8443/a?b=1&c=2#top",
        "https://app.example.com/%2F%2Fevil.example",
    ],
)
def test_a_url_in_the_form_browsers_use_passes_unchanged(url):
    assert POLICY.redirect_url(url, field="successUrl") == url


@pytest.mark.parametrize(
    "url",
    [
        'https://app.example.com/a"onmouseover=alert(1)',
        "https://app.example.com/a'b",
        "https://app.example.com/<script>",
        "https://app.example.com/a>b",
        "https://app.example.com/`x`",
        "https://app.example.com/a\\b",
        "https://app.example.com/x);background:url(https://evil.example/",
        "https://app.example.com/{{constructor}}",
        "https://app.example.com/{CHECKOUT_SESSION_ID",
    ],
    ids=[
        "double-quote",
        "single-quote",
        "tag",
        "angle",
        "backtick",
        "backslash",
        "css-paren",
        "template-braces",
        "broken-template",
    ],
)
def test_a_character_that_ends_an_attribute_style_or_script_is_refused(url):
    with pytest.raises(BadUserInput, match="successUrl must not contain the character"):
        POLICY.redirect_url(url, field="successUrl")


@pytest.mark.parametrize(
    "look_alike",
    [
        "\uff02",
        "\uff07",
        "\uff1c",
        "\uff1e",
        "\uff40",
        "\u201c",
        "\u2019",
        "\u02ba",
        "\ufe64",
        "\u2039",
        "\u3008",
        "\uff3c",
    ],
    ids=[
        "fullwidth-quote",
        "fullwidth-apostrophe",
        "fullwidth-less",
        "fullwidth-greater",
        "fullwidth-backtick",
        "curly-quote",
        "curly-apostrophe",
        "modifier-double-prime",
        "small-less",
        "single-angle-quote",
        "cjk-angle",
        "fullwidth-backslash",
    ],
)
def test_look_alikes_of_those_characters_are_refused(look_alike):
    with pytest.raises(BadUserInput, match="non-ASCII characters"):
        POLICY.redirect_url(f"https://app.example.com/a{look_alike}b", field="successUrl")


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/a b",
        "https://app.example.com/a\tb",
        "https://app.example.com/a\nb",
        "https://app.example.com/a\u00a0b",
        "https://app.example.com/a\x00b",
        "https://app.example.com/a\x7fb",
        "https://app.example.com/a\u2028b",
        "https://app.example.com/a\u202eb",
    ],
    ids=["space", "tab", "newline", "nbsp", "nul", "delete", "line-separator", "rtl-override"],
)
def test_whitespace_and_control_characters_are_refused(url):
    with pytest.raises(BadUserInput, match="successUrl must not contain"):
        POLICY.redirect_url(url, field="successUrl")


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com@evil.example/",
        "https://app.example.com:secret@evil.example/",
        "https://evil.example%2F@app.example.com/",
        "https://evil.example@app.example.com/",
    ],
)
def test_user_information_is_refused_whichever_host_it_names(url):
    with pytest.raises(BadUserInput, match="user information"):
        POLICY.redirect_url(url, field="successUrl")


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com./welcome",
        "https://xn--pp-8cd.example.com/",
        "https://app.example.com.evil.example/",
        "https://evil.example%2F.app.example.com/",
        "https://evil.example#@app.example.com/",
        "https:/evil.example/app.example.com",
    ],
    ids=[
        "trailing-dot",
        "punycode-look-alike",
        "suffix",
        "encoded-slash-in-host",
        "fragment-trick",
        "one-slash",
    ],
)
def test_a_host_that_is_not_exactly_an_allowed_one_is_refused(url):
    with pytest.raises(BadUserInput, match="successUrl"):
        POLICY.redirect_url(url, field="successUrl")


def test_an_international_look_alike_host_is_refused_as_non_ascii():
    with pytest.raises(BadUserInput, match="non-ASCII"):
        POLICY.redirect_url("https://\u0430pp.example.com/", field="successUrl")  # Cyrillic a


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com:443/welcome",
        "https://app.example.com/a/../welcome",
        "https://app.example.com/a/%2e%2e/welcome",
        "http://0x7f.1/welcome",
        "http://2130706433/welcome",
        "http://127.1/welcome",
        "https:app.example.com/welcome",
        "https://@app.example.com/welcome",
    ],
    ids=[
        "default-port",
        "dot-segment",
        "encoded-dot-segment",
        "hex-ip",
        "integer-ip",
        "short-ip",
        "no-slashes",
        "empty-user-information",
    ],
)
def test_a_url_browsers_would_read_differently_is_refused(url):
    with pytest.raises(BadUserInput, match="as browsers read it"):
        POLICY.redirect_url(url, field="successUrl")


@pytest.mark.parametrize("port", ["99999", "-1", "8443x"])
def test_a_malformed_port_is_refused(port):
    with pytest.raises(BadUserInput, match="not a valid URL"):
        POLICY.redirect_url(f"https://app.example.com:{port}/", field="successUrl")


def test_a_url_longer_than_the_column_is_refused():
    url = "https://app.example.com/" + "a" * MAX_URL_LENGTH

    with pytest.raises(BadUserInput, match=f"at most {MAX_URL_LENGTH}"):
        POLICY.redirect_url(url, field="successUrl")


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.net/bg.png)",
        "https://cdn.example.net/bg.png';x",
        "https://cdn.example.net/bg\\.png",
        "https://user@cdn.example.net/bg.png",
        "https://cdn.example.net/b\u0261.png",
    ],
)
def test_an_asset_url_follows_the_same_character_rules(url):
    with pytest.raises(BadUserInput, match="backgroundImageUrl"):
        https_asset_url(url, field="backgroundImageUrl")


async def test_a_block_with_a_background_image_that_breaks_out_of_css_is_refused_and_not_stored(
    client, admin_token
):
    block = {
        "title": "Billing",
        "redirectUrl": "https://localhost/account",
        "backgroundImageUrl": "https://cdn.example.net/x.png);background:url(https://evil.example/",
    }

    body = await graphql(client, SAVE_BLOCK, {"input": block}, token=admin_token)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"].startswith("backgroundImageUrl must not contain")
    assert await PortalBlock.all().count() == 0
