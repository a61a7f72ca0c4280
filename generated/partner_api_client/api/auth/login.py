from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.login_request import LoginRequest
from ...models.login_response import LoginResponse
from ...types import Response


def _get_kwargs(
    *,
    body: LoginRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/login",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | LoginResponse | None:
    if response.status_code == 200:
        return client.answer_reader("login", LoginResponse, response)

    if response.status_code == 400:
        return client.answer_reader("login", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("login", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("login", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("login", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | LoginResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginRequest,
) -> Response[ErrorResponse | LoginResponse]:
    """Log in with the project id and private key.

     Form-encoded `login=<PROJECT_ID>&password=<PRIVATE_KEY>`. Returns an access token with its
    creation and expiry times (unix seconds). Renew before `expire_time - 60 s`.

    Args:
        body (LoginRequest): Form body of `/partner/login` (documented). Flat on purpose.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LoginResponse]
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
    client: AuthenticatedClient | Client,
    body: LoginRequest,
) -> ErrorResponse | LoginResponse | None:
    """Log in with the project id and private key.

     Form-encoded `login=<PROJECT_ID>&password=<PRIVATE_KEY>`. Returns an access token with its
    creation and expiry times (unix seconds). Renew before `expire_time - 60 s`.

    Args:
        body (LoginRequest): Form body of `/partner/login` (documented). Flat on purpose.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LoginResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginRequest,
) -> Response[ErrorResponse | LoginResponse]:
    """Log in with the project id and private key.

     Form-encoded `login=<PROJECT_ID>&password=<PRIVATE_KEY>`. Returns an access token with its
    creation and expiry times (unix seconds). Renew before `expire_time - 60 s`.

    Args:
        body (LoginRequest): Form body of `/partner/login` (documented). Flat on purpose.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LoginResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginRequest,
) -> ErrorResponse | LoginResponse | None:
    """Log in with the project id and private key.

     Form-encoded `login=<PROJECT_ID>&password=<PRIVATE_KEY>`. Returns an access token with its
    creation and expiry times (unix seconds). Renew before `expire_time - 60 s`.

    Args:
        body (LoginRequest): Form body of `/partner/login` (documented). Flat on purpose.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LoginResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
