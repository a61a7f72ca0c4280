from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_user_request import DeleteUserRequest
from ...models.error_response import ErrorResponse
from ...models.ok_response import OkResponse
from ...types import Response


def _get_kwargs(
    *,
    body: DeleteUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/deleteUser",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | OkResponse | None:
    if response.status_code == 200:
        return client.answer_reader("deleteUser", OkResponse, response)

    if response.status_code == 400:
        return client.answer_reader("deleteUser", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("deleteUser", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("deleteUser", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("deleteUser", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("deleteUser", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | OkResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: DeleteUserRequest,
) -> Response[ErrorResponse | OkResponse]:
    """Delete a user with its devices, sessions and purchases.

     Deletes the user named by `user_id` or `username`, together with its devices, sessions and
    purchases.

    Args:
        body (DeleteUserRequest): Names the user to delete. At least one of `user_id`, `username`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | OkResponse]
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
    body: DeleteUserRequest,
) -> ErrorResponse | OkResponse | None:
    """Delete a user with its devices, sessions and purchases.

     Deletes the user named by `user_id` or `username`, together with its devices, sessions and
    purchases.

    Args:
        body (DeleteUserRequest): Names the user to delete. At least one of `user_id`, `username`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | OkResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: DeleteUserRequest,
) -> Response[ErrorResponse | OkResponse]:
    """Delete a user with its devices, sessions and purchases.

     Deletes the user named by `user_id` or `username`, together with its devices, sessions and
    purchases.

    Args:
        body (DeleteUserRequest): Names the user to delete. At least one of `user_id`, `username`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | OkResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: DeleteUserRequest,
) -> ErrorResponse | OkResponse | None:
    """Delete a user with its devices, sessions and purchases.

     Deletes the user named by `user_id` or `username`, together with its devices, sessions and
    purchases.

    Args:
        body (DeleteUserRequest): Names the user to delete. At least one of `user_id`, `username`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | OkResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
