from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.set_user_traffic_limit_request import SetUserTrafficLimitRequest
from ...models.traffic_response import TrafficResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SetUserTrafficLimitRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/setUserTrafficLimit",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TrafficResponse | None:
    if response.status_code == 200:
        return client.answer_reader("setUserTrafficLimit", TrafficResponse, response)

    if response.status_code == 400:
        return client.answer_reader("setUserTrafficLimit", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("setUserTrafficLimit", ErrorResponse, response)

    if response.status_code == 404:
        return client.answer_reader("setUserTrafficLimit", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("setUserTrafficLimit", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("setUserTrafficLimit", ErrorResponse, response)

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
    body: SetUserTrafficLimitRequest,
) -> Response[ErrorResponse | TrafficResponse]:
    """Set a user's traffic limit in bytes.

     Sets the traffic limit of the user named by `user_id` or `username` to `traffic_limit` bytes (more
    than 0) and answers the traffic after the change. Use deleteUserTrafficLimit for unlimited traffic.

    Args:
        body (SetUserTrafficLimitRequest): Names one user and the new limit.

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
    body: SetUserTrafficLimitRequest,
) -> ErrorResponse | TrafficResponse | None:
    """Set a user's traffic limit in bytes.

     Sets the traffic limit of the user named by `user_id` or `username` to `traffic_limit` bytes (more
    than 0) and answers the traffic after the change. Use deleteUserTrafficLimit for unlimited traffic.

    Args:
        body (SetUserTrafficLimitRequest): Names one user and the new limit.

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
    body: SetUserTrafficLimitRequest,
) -> Response[ErrorResponse | TrafficResponse]:
    """Set a user's traffic limit in bytes.

     Sets the traffic limit of the user named by `user_id` or `username` to `traffic_limit` bytes (more
    than 0) and answers the traffic after the change. Use deleteUserTrafficLimit for unlimited traffic.

    Args:
        body (SetUserTrafficLimitRequest): Names one user and the new limit.

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
    body: SetUserTrafficLimitRequest,
) -> ErrorResponse | TrafficResponse | None:
    """Set a user's traffic limit in bytes.

     Sets the traffic limit of the user named by `user_id` or `username` to `traffic_limit` bytes (more
    than 0) and answers the traffic after the change. Use deleteUserTrafficLimit for unlimited traffic.

    Args:
        body (SetUserTrafficLimitRequest): Names one user and the new limit.

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
