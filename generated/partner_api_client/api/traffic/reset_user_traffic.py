from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.traffic_response import TrafficResponse
from ...models.user_ref_request import UserRefRequest
from ...types import Response


def _get_kwargs(
    *,
    body: UserRefRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/resetUserTraffic",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TrafficResponse | None:
    if response.status_code == 200:
        return client.answer_reader("resetUserTraffic", TrafficResponse, response)

    if response.status_code == 400:
        return client.answer_reader("resetUserTraffic", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("resetUserTraffic", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("resetUserTraffic", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("resetUserTraffic", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("resetUserTraffic", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | TrafficResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UserRefRequest,
) -> Response[ErrorResponse | TrafficResponse]:
    """Reset a user's used traffic to 0 and restart the counting period.

     Sets the used traffic of the user named by `user_id` or `username` to 0 and starts a new counting
    period now; the limit is kept.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TrafficResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: UserRefRequest,
) -> ErrorResponse | TrafficResponse | None:
    """Reset a user's used traffic to 0 and restart the counting period.

     Sets the used traffic of the user named by `user_id` or `username` to 0 and starts a new counting
    period now; the limit is kept.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TrafficResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UserRefRequest,
) -> Response[ErrorResponse | TrafficResponse]:
    """Reset a user's used traffic to 0 and restart the counting period.

     Sets the used traffic of the user named by `user_id` or `username` to 0 and starts a new counting
    period now; the limit is kept.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TrafficResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UserRefRequest,
) -> ErrorResponse | TrafficResponse | None:
    """Reset a user's used traffic to 0 and restart the counting period.

     Sets the used traffic of the user named by `user_id` or `username` to 0 and starts a new counting
    period now; the limit is kept.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TrafficResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
