from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_user_sessions_request import ListUserSessionsRequest
from ...models.sessions_response import SessionsResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ListUserSessionsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/listUserSessions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SessionsResponse | None:
    if response.status_code == 200:
        return client.answer_reader("listUserSessions", SessionsResponse, response)

    if response.status_code == 400:
        return client.answer_reader("listUserSessions", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("listUserSessions", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("listUserSessions", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("listUserSessions", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("listUserSessions", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | SessionsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ListUserSessionsRequest,
) -> Response[ErrorResponse | SessionsResponse]:
    """List a user's sessions, optionally within a time window.

     Lists the VPN sessions of the user named by `user_id` or `username`, newest first; `start_time` and
    `end_time` keep only the sessions that overlap that window.

    Args:
        body (ListUserSessionsRequest): Names one user and an optional time window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SessionsResponse]
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
    body: ListUserSessionsRequest,
) -> ErrorResponse | SessionsResponse | None:
    """List a user's sessions, optionally within a time window.

     Lists the VPN sessions of the user named by `user_id` or `username`, newest first; `start_time` and
    `end_time` keep only the sessions that overlap that window.

    Args:
        body (ListUserSessionsRequest): Names one user and an optional time window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SessionsResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ListUserSessionsRequest,
) -> Response[ErrorResponse | SessionsResponse]:
    """List a user's sessions, optionally within a time window.

     Lists the VPN sessions of the user named by `user_id` or `username`, newest first; `start_time` and
    `end_time` keep only the sessions that overlap that window.

    Args:
        body (ListUserSessionsRequest): Names one user and an optional time window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SessionsResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ListUserSessionsRequest,
) -> ErrorResponse | SessionsResponse | None:
    """List a user's sessions, optionally within a time window.

     Lists the VPN sessions of the user named by `user_id` or `username`, newest first; `start_time` and
    `end_time` keep only the sessions that overlap that window.

    Args:
        body (ListUserSessionsRequest): Names one user and an optional time window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SessionsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
