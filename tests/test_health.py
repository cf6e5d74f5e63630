import pytest


def test_healthz_is_ok_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access in here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_healthz_in_a_real_browser(page):
    page.goto("/healthz")
    assert page.locator("body").inner_text().strip() == "ok"
