"""Run openapi-python-client so that generated names are the API's own field names.

The tool appends `_` to every name that shadows a builtin (`type` -> `type_`, `credits` -> `credits_`), which
makes `add_user_purchase(type=...)` a TypeError. It offers no option for this, so this wrapper narrows its
`RESERVED_WORDS` before running its command line: only Python keywords (`from`, `class`, ...; the tool checks
`keyword.iskeyword` itself) and the few names the generated code itself uses as locals or at run time keep the
trailing `_`. tests/pipeline/test_generation.py checks the result with fields named `type`, `credits`, `from`.
It also hands the templates the document's explicit facts (generator/spec_facts.py) as the global `facts`,
read from the JSON file named by the environment variable PARTNER_API_SPEC_FACTS.
Usage: PARTNER_API_SPEC_FACTS=facts.json python generator/openapi_python_client_wire_names.py <arguments>
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import openapi_python_client
from openapi_python_client import strings

KEPT_RESERVED = frozenset(
    {
        "self",  # the first parameter of every generated method
        "datetime",  # imported by models with date-time fields
        # Builtins the generated models call in `to_dict`/`from_dict`, where a field becomes a local variable.
        "bool", "bytes", "cast", "dict", "float", "int", "isinstance", "len", "list", "set", "str", "super", "tuple",
    }
)  # fmt: skip


def use_wire_names() -> None:
    """Narrow openapi-python-client's reserved words (it reads the global on every name it makes)."""
    strings.RESERVED_WORDS = set(KEPT_RESERVED)


def _with_facts(facts: dict[str, Any]) -> None:
    original = openapi_python_client.Project.__init__

    def init(self: openapi_python_client.Project, **kwargs: Any) -> None:
        original(self, **kwargs)
        self.env.globals["facts"] = facts

    openapi_python_client.Project.__init__ = init  # type: ignore[method-assign]


def main() -> None:
    from openapi_python_client.cli import app

    use_wire_names()
    _with_facts(json.loads(Path(os.environ["PARTNER_API_SPEC_FACTS"]).read_text()))
    sys.argv[0] = "openapi-python-client"
    sys.exit(app())


if __name__ == "__main__":
    main()
