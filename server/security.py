"""Request limits and response headers, checked before any view (issue 10).

Limits, in this order, before authentication and before any JSON is parsed:
- body size: `MAX_CONTENT_LENGTH` (2 MB), `LARGE_BODY_MAX_CONTENT_LENGTH` for the paths of
  `LARGE_BODY_PATHS` (CSV import); a declared larger body is refused 413 without reading it, and
  werkzeug stops reading an undeclared (chunked) one at the limit;
- JSON nesting: deeper than `MAX_JSON_DEPTH` is refused 400 by a scan of the raw bytes, so the
  recursive parser never sees it;
- path integers: `<int:…>` accepts up to 2**31 − 1 only, so a huge id is a 404, not a database error.
Headers: CSP without inline script, nosniff, Referrer-Policy, no framing, HSTS over HTTPS, and
`Cache-Control: no-store` on every /api answer (tokens, CSRF token, personal data).
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from server.errors import ApiError

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class IdConverter(IntegerConverter):
    """`<int:…>` limited to what a database id or a year can be (≤ 2**31 − 1, PostgreSQL's INTEGER)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def json_depth(raw: bytes) -> int:
    """The nesting depth of a JSON text, from its brackets outside strings (no parsing)."""
    brackets = _BRACKETS.findall(_STRING.sub(b"", raw))
    if not brackets:
        return 0
    return max(accumulate(_STEP[b[0]] for b in brackets))


def _body_limit() -> int:
    config = current_app.config
    if any(re.fullmatch(pattern, request.path) for pattern in config["LARGE_BODY_PATHS"]):
        return int(config["LARGE_BODY_MAX_CONTENT_LENGTH"])
    return int(config["MAX_CONTENT_LENGTH"])


def check_request() -> None:
    """413 for a body over the limit (before reading it), 400 for JSON nested too deep."""
    if not request.path.startswith("/api"):
        return
    limit = _body_limit()
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"Requête trop volumineuse (maximum {limit // 1024} Kio).")
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.content_length:
        depth = json_depth(request.get_data(cache=True))
        if depth > current_app.config["MAX_JSON_DEPTH"]:
            raise ApiError(400, "Le corps de la requête est trop imbriqué "
                                f"(au plus {current_app.config['MAX_JSON_DEPTH']} niveaux).", code="too_deep")
    spa_only = request.url_rule is not None and request.url_rule.endpoint == "spa.serve"
    if spa_only or isinstance(request.routing_exception, MethodNotAllowed):
        # A wrong method is 405 (before authentication), naming the API's methods only; none: 404.
        allowed = allowed_methods()
        if allowed:
            raise MethodNotAllowed(valid_methods=allowed)
        raise ApiError(404)


def allowed_methods() -> list[str]:
    """The methods the API answers on this path (the PWA's catch-all GET route left out)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _args = adapter.match(request.path, method=method)
        except (MethodNotAllowed, NotFound):
            continue
        except Exception:  # noqa: BLE001 - a redirect or other routing answer: not this method
            continue
        if endpoint != "spa.serve":
            allowed.append(method)
    return allowed


def secure_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.path.startswith("/api"):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def init_security(app: Flask) -> None:
    """Call before the blueprints are registered (the `int` converter is read when rules are added)."""
    app.url_map.converters["int"] = IdConverter
    trusted = int(app.config.get("TRUST_PROXY") or 0)
    if trusted:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)  # type: ignore[method-assign]
    app.before_request(check_request)
    app.after_request(secure_headers)
