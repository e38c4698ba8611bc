"""Chromium finds the app installable: manifest, icons, service worker in control."""

from __future__ import annotations

import struct

import requests

from tests.e2e.helpers import first_page, wait_sw_controlled


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_installable_with_a_complete_manifest(live_server, open_tablet):
    server = live_server
    ctx = open_tablet("install")
    page = first_page(ctx)
    page.goto(server.url + "/")
    page.get_by_test_id("login-email").wait_for()
    wait_sw_controlled(page)

    cdp = ctx.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], errors
    manifest_info = cdp.send("Page.getAppManifest")
    assert manifest_info["url"].endswith("/manifest.webmanifest"), manifest_info["url"]
    assert not manifest_info.get("errors"), manifest_info["errors"]

    manifest = requests.get(manifest_info["url"], timeout=10).json()
    assert manifest["name"] == "Caisse"
    assert manifest["short_name"] == "Caisse"
    assert manifest["id"] == "/"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "fr"
    icons = {(i["sizes"], i.get("purpose", "any")): i for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(icons), manifest["icons"]
    for (sizes, _purpose), icon in icons.items():
        r = requests.get(server.url + icon["src"], timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/png"), icon
        width, height = png_size(r.content)
        assert f"{width}x{height}" == sizes, (icon, width, height)

    # The page served offline by the worker is the same app shell (the manifest link included).
    assert page.evaluate("() => document.querySelector('link[rel=manifest]').getAttribute('href')") \
        .endswith("manifest.webmanifest")
    assert page.evaluate("() => document.documentElement.lang") == "fr"
