"""View guards that run before the body is parsed, so access errors (401/403/404) win over 422."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g

from server.auth import current_user
from server.models import Company
from server.services.access import company_for, firm_admin_firm_id


def company_access(write: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Resolve the URL's company for the caller (404 if not theirs, 403 for a cashier on `write`).
    Place it between the route decorator and `@bp.arguments`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.company = company_for(kwargs["cid"], write=write)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def current_company() -> Company:
    return g.company


def firm_access(view: Callable[..., Any]) -> Callable[..., Any]:
    """The caller's firm (403 unless a firm admin), resolved before the body is parsed; read by `current_firm_id`."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.firm_id = firm_admin_firm_id(current_user())
        return view(*args, **kwargs)

    return wrapper


def current_firm_id() -> int:
    return int(g.firm_id)
