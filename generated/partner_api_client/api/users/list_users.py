from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_users_request import ListUsersRequest
from ...models.list_users_response import ListUsersResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ListUsersRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/listUsers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListUsersResponse | None:
    if response.status_code == 200:
        return client.answer_reader("listUsers", ListUsersResponse, response)

    if response.status_code == 400:
        return client.answer_reader("listUsers", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("listUsers", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("listUsers", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("listUsers", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ListUsersResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ListUsersRequest,
) -> Response[ErrorResponse | ListUsersResponse]:
    """List users, one page at a time.

     Lists the project's users ordered by id, one page at a time, optionally only those on one license or
    in one state. Follow `next_cursor` until it is absent or empty.

    Args:
        body (ListUsersRequest): Filters and paging of listUsers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListUsersResponse]
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
    body: ListUsersRequest,
) -> ErrorResponse | ListUsersResponse | None:
    """List users, one page at a time.

     Lists the project's users ordered by id, one page at a time, optionally only those on one license or
    in one state. Follow `next_cursor` until it is absent or empty.

    Args:
        body (ListUsersRequest): Filters and paging of listUsers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListUsersResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ListUsersRequest,
) -> Response[ErrorResponse | ListUsersResponse]:
    """List users, one page at a time.

     Lists the project's users ordered by id, one page at a time, optionally only those on one license or
    in one state. Follow `next_cursor` until it is absent or empty.

    Args:
        body (ListUsersRequest): Filters and paging of listUsers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListUsersResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ListUsersRequest,
) -> ErrorResponse | ListUsersResponse | None:
    """List users, one page at a time.

     Lists the project's users ordered by id, one page at a time, optionally only those on one license or
    in one state. Follow `next_cursor` until it is absent or empty.

    Args:
        body (ListUsersRequest): Filters and paging of listUsers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListUsersResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
