from typing import Literal

GetTrafficReportRequestGroupBy = Literal["", "country", "day"]

GET_TRAFFIC_REPORT_REQUEST_GROUP_BY_VALUES: set[GetTrafficReportRequestGroupBy] = {
    "",
    "country",
    "day",
}


def check_get_traffic_report_request_group_by(value: str) -> GetTrafficReportRequestGroupBy:
    if value in GET_TRAFFIC_REPORT_REQUEST_GROUP_BY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_TRAFFIC_REPORT_REQUEST_GROUP_BY_VALUES!r}")
