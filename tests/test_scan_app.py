"""The scan page is an installable app: a manifest, a service worker scoped to /app/scan/, JS in static files."""

import json

from django.test import Client


def test_the_scan_page_links_its_manifest_and_worker_and_has_no_inline_script(world):
    client = Client()
    client.force_login(world.east_officer)
    html = client.get("/app/scan/?t=abc").content.decode()
    assert 'rel="manifest" href="/app/scan/manifest.webmanifest"' in html
    assert 'data-sw="/app/scan/sw.js"' in html and "js/scan.js" in html
    assert "<script>" not in html and "onclick" not in html
    manifest = client.get("/app/scan/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = json.loads(manifest.content)
    assert body["start_url"] == body["scope"] == "/app/scan/" and body["display"] == "standalone"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in body["icons"]}
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon


def test_the_service_worker_is_served_under_the_scan_scope_and_keeps_the_page(world):
    worker = Client().get("/app/scan/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/app/scan/"
    text = worker.content.decode()
    assert 'var PAGE = "/app/scan/"' in text and "/static/js/scan.js" in text and "ignoreSearch" in text
