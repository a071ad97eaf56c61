"""/api/v1/docs/: Swagger UI from the sidecar package, its script served from a URL."""

URL = "/api/v1/docs/"


def test_it_serves_swagger_ui_from_our_own_static_files(practitioner_api):
    response = practitioner_api.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html


def test_it_serves_the_script_that_loads_the_schema(practitioner_api):
    response = practitioner_api.get(URL, {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/v1/schema/"' in response.content.decode()
