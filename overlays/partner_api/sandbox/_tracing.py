"""What a deployment's gateway adds to each API request: a request id answer header (`REQUEST_ID_HEADER`) and,
when the sandbox is given an OpenTelemetry `TracerProvider`, a SERVER span that continues the caller's W3C
`traceparent`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from .._exceptions import REQUEST_ID_HEADER

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider

__all__ = ["RequestTracing"]

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
_HEADER = REQUEST_ID_HEADER.lower().encode("latin-1")


class RequestTracing:
    """Serves one API request with its request id (and its span, with a tracer provider)."""

    def __init__(self, tracer_provider: TracerProvider | None = None) -> None:
        self._tracer = tracer_provider.get_tracer("partner_api.sandbox") if tracer_provider is not None else None

    async def serve(
        self, route: str, scope: MutableMapping[str, Any], send: Send, serve: Callable[[Send], Awaitable[None]]
    ) -> None:
        """`serve(send)` with the request id added to the answer; `route` (`/partner/v2/{operation}`) names the span."""
        request_id = uuid.uuid4().hex.encode("latin-1")
        statuses: list[int] = []

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (_HEADER, request_id)]}
                statuses.append(message["status"])
            await send(message)

        if self._tracer is None:
            await serve(send_with_id)
            return
        from opentelemetry import propagate, trace

        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope.get("headers", [])}
        server = scope.get("server") or ("", None)
        attributes = {"http.request.method": scope.get("method", "POST"), "http.route": route,
                      "url.path": scope.get("path", ""), "url.scheme": scope.get("scheme", "http"),
                      "server.address": server[0], "server.port": server[1] or 0}  # fmt: skip
        with self._tracer.start_as_current_span(
            f"POST {route}", propagate.extract(carrier), trace.SpanKind.SERVER, attributes
        ) as span:
            await serve(send_with_id)
            if statuses:
                span.set_attribute("http.response.status_code", statuses[0])
                if statuses[0] >= 500:
                    span.set_attribute("error.type", str(statuses[0]))
                    span.set_status(trace.StatusCode.ERROR)
