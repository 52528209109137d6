"""One error shape for every error the API answers:

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}

(``details`` only where there are some: which parameters were invalid). Pages get the same
facts as a small HTML page. Messages never echo request input back beyond parameter names.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from crosswire.errors import CrosswireError, InputError, NotFound

log = logging.getLogger("crosswire.web")
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
}


def error_body(status: int, message: str, code: str | None = None, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "code": code or CODES.get(status, "error"), "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def _respond(
    request: Request,
    status: int,
    message: str,
    code: str | None = None,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    if request.url.path.startswith("/api/"):
        return JSONResponse(error_body(status, message, code, details), status_code=status, headers=headers)
    render = request.app.state.render
    return HTMLResponse(render("error.html", request, status=status, message=message), status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> Response:
        return _respond(request, err.status_code, str(err.detail), headers=err.headers)  # a 405's Allow

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        details = [
            {"where": ".".join(str(part) for part in error.get("loc", ())), "problem": error.get("msg", "")}
            for error in err.errors()
        ]
        return _respond(request, 422, "invalid request parameters", details=details)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, err: NotFound) -> Response:
        return _respond(request, 404, str(err))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, err: InputError) -> Response:
        return _respond(request, 400, str(err), code=err.reason)

    @app.exception_handler(CrosswireError)
    async def refused(request: Request, err: CrosswireError) -> Response:
        return _respond(request, 400, str(err))

    @app.exception_handler(Exception)
    async def internal(request: Request, err: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return _respond(request, 500, "internal error (see the server log)")
