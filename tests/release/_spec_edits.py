"""Edits of a parsed copy of the OpenAPI document, as a maintainer would make them (the rules and workflow tests)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from release.api_diff import load_document

Document = dict[str, Any]


def load(path: Path) -> Document:
    return load_document(path)


def save(document: Document, path: Path) -> None:
    path.write_text(yaml.safe_dump(document, sort_keys=False, width=120))


def schemas(document: Document) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def post(document: Document, operation: str) -> dict[str, Any]:
    operation_object: dict[str, Any] = document["paths"][f"/partner/v2/{operation}"]["post"]
    return operation_object


def edit_description(document: Document) -> None:
    """A documentation edit: the summary of listLicenses."""
    document["paths"]["/partner/v2/listLicenses"]["post"]["summary"] = "List the project's license plans."


def add_operation(document: Document) -> None:
    """A new operation, listServers (shaped like listLicenses)."""
    added = copy.deepcopy(document["paths"]["/partner/v2/listLicenses"])
    added["post"].update(operationId="listServers", summary="List the VPN servers.")
    document["paths"]["/partner/v2/listServers"] = added


def add_request_field(document: Document, *, required: bool = False) -> None:
    """ListUsersRequest gets `country`, optional or required."""
    schema = document["components"]["schemas"]["ListUsersRequest"]
    schema["properties"]["country"] = {"type": "string", "maxLength": 2, "description": "Only users from here."}
    if required:
        schema["required"] = [*schema.get("required", []), "country"]


def remove_response_field(document: Document) -> None:
    """User loses `create_time` (in the answers of createUser, getUser, listUsers, updateUser)."""
    document["components"]["schemas"]["User"]["properties"].pop("create_time")


def make_required(document: Document, schema: str = "ListUsersRequest", field: str = "limit") -> None:
    """An optional request field becomes required."""
    target = document["components"]["schemas"][schema]
    target["required"] = [*target.get("required", []), field]
