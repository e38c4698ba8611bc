"""Serve the built PWA: files at their path, index.html for every other non-API path."""

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

spa_bp = Blueprint("spa", __name__)

NO_CACHE = {"sw.js", "index.html", "manifest.webmanifest", "registerSW.js"}


@spa_bp.get("/", defaults={"path": ""})
@spa_bp.get("/<path:path>")
def serve(path: str):
    """The PWA shell (never under /api)."""
    if path.startswith("api/") or path == "api":
        abort(404)
    dist = Path(current_app.config["PWA_DIST"])
    if not (dist / "index.html").exists():
        return ("Le front-end n'est pas construit : lancez « make run » ou « make pwa ».", 503)
    target = dist / path
    name = path if path and target.is_file() else "index.html"
    response = send_from_directory(dist, name, max_age=0 if Path(name).name in NO_CACHE else 31536000)
    if Path(name).name in NO_CACHE:
        response.headers["Cache-Control"] = "no-cache"
    return response
