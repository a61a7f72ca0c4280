from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_user_request import GetUserRequest
from ...models.user_response import UserResponse
from ...types import Response


def _get_kwargs(
    *,
    body: GetUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/getUser",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UserResponse | None:
    if response.status_code == 200:
        return client.answer_reader("getUser", UserResponse, response)

    if response.status_code == 400:
        return client.answer_reader("getUser", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("getUser", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("getUser", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("getUser", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("getUser", ErrorResponse, response)

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
    body: GetUserRequest,
) -> Response[ErrorResponse | UserResponse]:
    """Get one user by id or username.

     Looks one user up by `user_id` or by `username`: give at least one, with a non-default value (if
    both
    are given `user_id` wins). NOT_FOUND when there is no such user.

    Args:
        body (GetUserRequest): Names one user (documented). At least one of `user_id`, `username`;
            if both are given `user_id` wins.

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
    body: GetUserRequest,
) -> ErrorResponse | UserResponse | None:
    """Get one user by id or username.

     Looks one user up by `user_id` or by `username`: give at least one, with a non-default value (if
    both
    are given `user_id` wins). NOT_FOUND when there is no such user.

    Args:
        body (GetUserRequest): Names one user (documented). At least one of `user_id`, `username`;
            if both are given `user_id` wins.

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
    body: GetUserRequest,
) -> Response[ErrorResponse | UserResponse]:
    """Get one user by id or username.

     Looks one user up by `user_id` or by `username`: give at least one, with a non-default value (if
    both
    are given `user_id` wins). NOT_FOUND when there is no such user.

    Args:
        body (GetUserRequest): Names one user (documented). At least one of `user_id`, `username`;
            if both are given `user_id` wins.

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
    body: GetUserRequest,
) -> ErrorResponse | UserResponse | None:
    """Get one user by id or username.

     Looks one user up by `user_id` or by `username`: give at least one, with a non-default value (if
    both
    are given `user_id` wins). NOT_FOUND when there is no such user.

    Args:
        body (GetUserRequest): Names one user (documented). At least one of `user_id`, `username`;
            if both are given `user_id` wins.

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
