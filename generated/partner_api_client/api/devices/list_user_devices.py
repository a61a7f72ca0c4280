from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.devices_response import DevicesResponse
from ...models.error_response import ErrorResponse
from ...models.user_ref_request import UserRefRequest
from ...types import Response


def _get_kwargs(
    *,
    body: UserRefRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/listUserDevices",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DevicesResponse | ErrorResponse | None:
    if response.status_code == 200:
        return client.answer_reader("listUserDevices", DevicesResponse, response)

    if response.status_code == 400:
        return client.answer_reader("listUserDevices", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("listUserDevices", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("listUserDevices", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("listUserDevices", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("listUserDevices", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DevicesResponse | ErrorResponse]:
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
) -> Response[DevicesResponse | ErrorResponse]:
    """List the devices of a user.

     Lists every device the user named by `user_id` or `username` has signed in from.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DevicesResponse | ErrorResponse]
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
) -> DevicesResponse | ErrorResponse | None:
    """List the devices of a user.

     Lists every device the user named by `user_id` or `username` has signed in from.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DevicesResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UserRefRequest,
) -> Response[DevicesResponse | ErrorResponse]:
    """List the devices of a user.

     Lists every device the user named by `user_id` or `username` has signed in from.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DevicesResponse | ErrorResponse]
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
) -> DevicesResponse | ErrorResponse | None:
    """List the devices of a user.

     Lists every device the user named by `user_id` or `username` has signed in from.

    Args:
        body (UserRefRequest): Names one user. At least one of `user_id`, `username`; if both are
            given `user_id` wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DevicesResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
