"""Contains all the data models used in inputs/outputs"""

from .add_user_purchase_request import AddUserPurchaseRequest
from .create_user_request import CreateUserRequest
from .delete_user_device_request import DeleteUserDeviceRequest
from .delete_user_purchase_request import DeleteUserPurchaseRequest
from .delete_user_request import DeleteUserRequest
from .device import Device
from .devices_response import DevicesResponse
from .empty_request import EmptyRequest
from .error_response import ErrorResponse
from .get_traffic_report_request import GetTrafficReportRequest
from .get_traffic_report_request_group_by import GetTrafficReportRequestGroupBy
from .get_user_request import GetUserRequest
from .license import License
from .licenses_response import LicensesResponse
from .list_user_sessions_request import ListUserSessionsRequest
from .list_users_request import ListUsersRequest
from .list_users_response import ListUsersResponse
from .login_request import LoginRequest
from .login_response import LoginResponse
from .ok_response import OkResponse
from .purchase import Purchase
from .purchase_receipt import PurchaseReceipt
from .purchase_response import PurchaseResponse
from .purchases_response import PurchasesResponse
from .result_code import ResultCode
from .session import Session
from .sessions_response import SessionsResponse
from .set_user_traffic_limit_request import SetUserTrafficLimitRequest
from .traffic import Traffic
from .traffic_report_response import TrafficReportResponse
from .traffic_report_row import TrafficReportRow
from .traffic_response import TrafficResponse
from .update_user_request import UpdateUserRequest
from .user import User
from .user_extra import UserExtra
from .user_extra_input import UserExtraInput
from .user_ref_request import UserRefRequest
from .user_response import UserResponse

__all__ = (
    "AddUserPurchaseRequest",
    "CreateUserRequest",
    "DeleteUserDeviceRequest",
    "DeleteUserPurchaseRequest",
    "DeleteUserRequest",
    "Device",
    "DevicesResponse",
    "EmptyRequest",
    "ErrorResponse",
    "GetTrafficReportRequest",
    "GetTrafficReportRequestGroupBy",
    "GetUserRequest",
    "License",
    "LicensesResponse",
    "ListUserSessionsRequest",
    "ListUsersRequest",
    "ListUsersResponse",
    "LoginRequest",
    "LoginResponse",
    "OkResponse",
    "Purchase",
    "PurchaseReceipt",
    "PurchaseResponse",
    "PurchasesResponse",
    "ResultCode",
    "Session",
    "SessionsResponse",
    "SetUserTrafficLimitRequest",
    "Traffic",
    "TrafficReportResponse",
    "TrafficReportRow",
    "TrafficResponse",
    "UpdateUserRequest",
    "User",
    "UserExtra",
    "UserExtraInput",
    "UserRefRequest",
    "UserResponse",
)
