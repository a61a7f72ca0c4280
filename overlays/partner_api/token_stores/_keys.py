"""Store namespaces: a hash of (base URL, project id), so projects and environments can share one store."""

from __future__ import annotations

import hashlib

__all__ = ["namespace_for"]


def namespace_for(base_url: str, project_id: str) -> str:
    """A short hex name for the (base URL, project id) pair; reveals neither."""
    material = f"partner_api/v1\n{base_url.rstrip('/')}\n{project_id}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(material).hexdigest()[:32]
