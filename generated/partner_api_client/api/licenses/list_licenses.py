from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_request import EmptyRequest
from ...models.error_response import ErrorResponse
from ...models.licenses_response import LicensesResponse
from ...types import Response


def _get_kwargs(
    *,
    body: EmptyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/listLicenses",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | LicensesResponse | None:
    if response.status_code == 200:
        return client.answer_reader("listLicenses", LicensesResponse, response)

    if response.status_code == 400:
        return client.answer_reader("listLicenses", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("listLicenses", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("listLicenses", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("listLicenses", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | LicensesResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Response[ErrorResponse | LicensesResponse]:
    """List the project's licenses.

     Lists the project's license plans with their device and session limits. Takes no parameters: the
    body is the empty JSON object `{}`.

    Args:
        body (EmptyRequest): No parameters; send `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LicensesResponse]
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
    body: EmptyRequest,
) -> ErrorResponse | LicensesResponse | None:
    """List the project's licenses.

     Lists the project's license plans with their device and session limits. Takes no parameters: the
    body is the empty JSON object `{}`.

    Args:
        body (EmptyRequest): No parameters; send `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LicensesResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Response[ErrorResponse | LicensesResponse]:
    """List the project's licenses.

     Lists the project's license plans with their device and session limits. Takes no parameters: the
    body is the empty JSON object `{}`.

    Args:
        body (EmptyRequest): No parameters; send `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LicensesResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> ErrorResponse | LicensesResponse | None:
    """List the project's licenses.

     Lists the project's license plans with their device and session limits. Takes no parameters: the
    body is the empty JSON object `{}`.

    Args:
        body (EmptyRequest): No parameters; send `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LicensesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
