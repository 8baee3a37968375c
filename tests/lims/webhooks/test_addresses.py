"""Where webhooks may go: http(s) only, no private or loopback address unless the host is allowed."""
import pytest

from lims.webhooks.addresses import RefusedAddress, check_url


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "file:///etc/passwd", "http:///nohost",
                                 "http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                                 "http://192.168.0.10/hook", "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/hook",
                                 "http://example.org:99999/hook"])
def test_it_refuses_other_schemes_and_internal_addresses(url, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(RefusedAddress):
        check_url(url)


def test_a_public_address_is_accepted(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    check_url("https://93.184.215.14/hook")


def test_an_allowed_host_may_be_loopback(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    check_url("http://127.0.0.1:8000/hook")
    with pytest.raises(RefusedAddress):
        check_url("http://10.1.2.3/hook")


def test_the_api_refuses_an_internal_url_naming_the_field(api, cast, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    answer = api(cast.tokens["alice"]).post("/api/v1/webhooks/", {"url": "http://127.0.0.1:9/hook"}, format="json")
    assert answer.status_code == 400
    assert "private or internal" in answer.json()["errors"]["url"][0]
