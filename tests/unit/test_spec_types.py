"""The generated facts are data over the hand-written types of `partner_api._spec_types`, imported without a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
from partner_api._spec_types import FieldKind, FieldRule, ModelRules, Operation, Pagination, ecma_pattern
from partner_api_client import request_encoders, spec_facts

# Whichever of the two layers a program imports first, the other follows without a half-initialised module.
FIRST_IMPORTS = (
    "partner_api_client.spec_facts",
    "partner_api_client.request_encoders",
    "partner_api_client.api",
    "partner_api._spec_types",
    "partner_api",
    "partner_api.sandbox",
)


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_each_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    program = f"import {module}, partner_api._request_body, partner_api_client.api; print('ok')"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok\n", "")


def test_the_generated_tables_are_built_from_the_hand_written_types() -> None:
    assert all(type(operation) is Operation for operation in spec_facts.OPERATIONS.values())
    paged = [operation.pagination for operation in spec_facts.OPERATIONS.values() if operation.pagination]
    assert paged and all(type(pagination) is Pagination for pagination in paged)
    for table in (spec_facts.REQUEST_RULES, spec_facts.ANSWER_RULES):
        assert all(type(rules) is ModelRules for rules in table.values())
        assert all(type(rule) is FieldRule for rules in table.values() for rule in rules.fields)


def test_every_generated_field_kind_is_one_the_types_name() -> None:
    kinds = {rule.kind for table in (spec_facts.REQUEST_RULES, spec_facts.ANSWER_RULES)
             for rules in table.values() for rule in rules.fields}  # fmt: skip
    assert kinds <= set(get_args(FieldKind)), kinds - set(get_args(FieldKind))
    assert {"int", "str", "enum", "bool", "model", "object", "list"} <= kinds


def _definitions(path: str) -> set[str]:
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return {type(node).__name__ for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def test_the_data_modules_hold_no_logic_of_their_own() -> None:
    """Types and rules live in the overlay; the generated facts define only tables, the encoders only their
    straight-line functions (generated for speed)."""
    assert _definitions(spec_facts.__file__) == set()
    assert _definitions(request_encoders.__file__) == {"FunctionDef"}
    assert request_encoders.ecma_pattern is ecma_pattern
