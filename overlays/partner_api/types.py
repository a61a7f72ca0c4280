"""Types of the generated models: `UNSET` (a field that was not given) and its type `Unset`, `Response`, `File`."""

from partner_api_client.types import UNSET, File, Response, Unset

__all__ = ["UNSET", "File", "Response", "Unset"]
