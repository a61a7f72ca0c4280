"""Every public name has its place in the docs: an API reference entry (`::: name`) for each name of the public
modules' `__all__`, and each token store a row in the fleet guide's table. `make docs --strict` catches a broken
entry, not a missing one: a new error class or store left out of the docs fails here."""

from __future__ import annotations

import importlib
import re

import pytest

from tests.support.doc_examples import DOCS

REFERENCE = "\n".join(page.read_text() for page in sorted((DOCS / "pages" / "reference").glob("*.md")))
ENTRIES = set(re.findall(r"^::: ([\w.]+)$", REFERENCE, flags=re.MULTILINE))
CLIENTS_PAGE = (DOCS / "pages" / "reference" / "clients.md").read_text()


@pytest.mark.parametrize("module", ["partner_api", "partner_api.token_stores", "partner_api.sandbox"])
def test_each_public_name_has_a_reference_entry(module: str) -> None:
    names = importlib.import_module(module).__all__
    constants = {"API_VERSION", "__version__"}  # values, not documented objects: the clients page names them
    missing = [name for name in names if name not in constants and f"{module}.{name}" not in ENTRIES]
    assert not missing, f"add `::: {module}.<name>` to a page of docs/pages/reference/ for {missing}"
    for name in constants & set(names):
        assert f"`{module}.{name}`" in CLIENTS_PAGE


def test_each_token_store_is_in_the_fleet_guide_s_table() -> None:
    from partner_api import token_stores

    guide = (DOCS / "pages" / "guide" / "fleet.md").read_text()
    stores = [name for name in token_stores.__all__ if name.endswith("TokenStore") and name != "TokenStore"]
    assert len(stores) >= 3
    rows = [line for line in guide.splitlines() if line.startswith("| `")]
    missing = [name for name in stores if not any(row.startswith(f"| `{name}") for row in rows)]
    assert not missing, f"add a row for {missing} to the table of stores in docs/pages/guide/fleet.md"
