from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_user_request import CreateUserRequest
from ...models.error_response import ErrorResponse
from ...models.user_response import UserResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CreateUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/createUser",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UserResponse | None:
    if response.status_code == 200:
        return client.answer_reader("createUser", UserResponse, response)

    if response.status_code == 400:
        return client.answer_reader("createUser", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("createUser", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("createUser", ErrorResponse, response)

    if response.status_code == 409:
        return client.answer_reader("createUser", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("createUser", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("createUser", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | UserResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateUserRequest,
) -> Response[ErrorResponse | UserResponse]:
    """Create a user.

     Creates a user with a unique `username`, optionally on a license (`license_id`) and with extra data.
    USER_ALREADY_EXISTS when the name is taken; NOT_FOUND when `license_id` names no license.

    Args:
        body (CreateUserRequest): A new user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UserResponse]
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
    body: CreateUserRequest,
) -> ErrorResponse | UserResponse | None:
    """Create a user.

     Creates a user with a unique `username`, optionally on a license (`license_id`) and with extra data.
    USER_ALREADY_EXISTS when the name is taken; NOT_FOUND when `license_id` names no license.

    Args:
        body (CreateUserRequest): A new user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UserResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateUserRequest,
) -> Response[ErrorResponse | UserResponse]:
    """Create a user.

     Creates a user with a unique `username`, optionally on a license (`license_id`) and with extra data.
    USER_ALREADY_EXISTS when the name is taken; NOT_FOUND when `license_id` names no license.

    Args:
        body (CreateUserRequest): A new user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UserResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateUserRequest,
) -> ErrorResponse | UserResponse | None:
    """Create a user.

     Creates a user with a unique `username`, optionally on a license (`license_id`) and with extra data.
    USER_ALREADY_EXISTS when the name is taken; NOT_FOUND when `license_id` names no license.

    Args:
        body (CreateUserRequest): A new user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UserResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
