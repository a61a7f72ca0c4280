from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_traffic_report_request import GetTrafficReportRequest
from ...models.traffic_report_response import TrafficReportResponse
from ...types import Response


def _get_kwargs(
    *,
    body: GetTrafficReportRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/partner/v2/getTrafficReport",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TrafficReportResponse | None:
    if response.status_code == 200:
        return client.answer_reader("getTrafficReport", TrafficReportResponse, response)

    if response.status_code == 400:
        return client.answer_reader("getTrafficReport", ErrorResponse, response)

    if response.status_code == 401:
        return client.answer_reader("getTrafficReport", ErrorResponse, response)

    if response.status_code == 429:
        return client.answer_reader("getTrafficReport", ErrorResponse, response)

    if response.status_code == 500:
        return client.answer_reader("getTrafficReport", ErrorResponse, response)

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | TrafficReportResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GetTrafficReportRequest,
) -> Response[ErrorResponse | TrafficReportResponse]:
    """Traffic of the whole project between two times, grouped by day or by country.

     Aggregates the traffic of the whole project between `start_time` (inclusive) and `end_time`
    (exclusive) into one row per day (UTC) or per VPN server country, as `group_by` says.

    Args:
        body (GetTrafficReportRequest): Time window and grouping of a traffic report.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TrafficReportResponse]
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
    body: GetTrafficReportRequest,
) -> ErrorResponse | TrafficReportResponse | None:
    """Traffic of the whole project between two times, grouped by day or by country.

     Aggregates the traffic of the whole project between `start_time` (inclusive) and `end_time`
    (exclusive) into one row per day (UTC) or per VPN server country, as `group_by` says.

    Args:
        body (GetTrafficReportRequest): Time window and grouping of a traffic report.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TrafficReportResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GetTrafficReportRequest,
) -> Response[ErrorResponse | TrafficReportResponse]:
    """Traffic of the whole project between two times, grouped by day or by country.

     Aggregates the traffic of the whole project between `start_time` (inclusive) and `end_time`
    (exclusive) into one row per day (UTC) or per VPN server country, as `group_by` says.

    Args:
        body (GetTrafficReportRequest): Time window and grouping of a traffic report.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TrafficReportResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: GetTrafficReportRequest,
) -> ErrorResponse | TrafficReportResponse | None:
    """Traffic of the whole project between two times, grouped by day or by country.

     Aggregates the traffic of the whole project between `start_time` (inclusive) and `end_time`
    (exclusive) into one row per day (UTC) or per VPN server country, as `group_by` says.

    Args:
        body (GetTrafficReportRequest): Time window and grouping of a traffic report.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TrafficReportResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
