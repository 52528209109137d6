"""HEAD answered wherever GET is, at one place: FastAPI's GET routes answer HEAD with 405 (unlike
Starlette's), so a HEAD request is served as the GET it asks about, with the same status and
headers (Content-Length included) and no body. Where there is no GET, the 405 lists what is allowed."""

from __future__ import annotations

from crosswire.web.security import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] in ("http.response.body", "http.response.pathsend"):
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
