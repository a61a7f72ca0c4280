from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.add_user_purchase_request import AddUserPurchaseRequest
from ...models.error_response import ErrorResponse
from ...models.purchase_response import PurchaseResponse
from ...types import Response


def _get_kwargs(
    *,
    body: AddUserPurchaseRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/addUserPurchase",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PurchaseResponse | None:
    if response.status_code == 200:
        return client.answer_reader("addUserPurchase", PurchaseResponse, response)

    if response.status_code == 400:
        return client.answer_reader("addUserPurchase", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("addUserPurchase", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("addUserPurchase", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("addUserPurchase", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("addUserPurchase", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | PurchaseResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AddUserPurchaseRequest,
) -> Response[ErrorResponse | PurchaseResponse]:
    """Attach a purchase (a store receipt) to a user.

     Attaches a store purchase to the user named by `user_id` or `username`: `type` names the store or
    provider and `receipt` is forwarded and stored exactly as given, zeros included. Answers the stored
    purchase (the receipt is not echoed back).

    Args:
        body (AddUserPurchaseRequest): Names one user and the purchase to attach.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PurchaseResponse]
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
    body: AddUserPurchaseRequest,
) -> ErrorResponse | PurchaseResponse | None:
    """Attach a purchase (a store receipt) to a user.

     Attaches a store purchase to the user named by `user_id` or `username`: `type` names the store or
    provider and `receipt` is forwarded and stored exactly as given, zeros included. Answers the stored
    purchase (the receipt is not echoed back).

    Args:
        body (AddUserPurchaseRequest): Names one user and the purchase to attach.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PurchaseResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AddUserPurchaseRequest,
) -> Response[ErrorResponse | PurchaseResponse]:
    """Attach a purchase (a store receipt) to a user.

     Attaches a store purchase to the user named by `user_id` or `username`: `type` names the store or
    provider and `receipt` is forwarded and stored exactly as given, zeros included. Answers the stored
    purchase (the receipt is not echoed back).

    Args:
        body (AddUserPurchaseRequest): Names one user and the purchase to attach.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PurchaseResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AddUserPurchaseRequest,
) -> ErrorResponse | PurchaseResponse | None:
    """Attach a purchase (a store receipt) to a user.

     Attaches a store purchase to the user named by `user_id` or `username`: `type` names the store or
    provider and `receipt` is forwarded and stored exactly as given, zeros included. Answers the stored
    purchase (the receipt is not echoed back).

    Args:
        body (AddUserPurchaseRequest): Names one user and the purchase to attach.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PurchaseResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
