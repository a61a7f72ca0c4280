"""Release tooling of partner-api-client: versions, changelog and the checks behind `make stamp`, `make build` and
`make publish`. Not shipped: it lives beside the package, as generator/ does, and runs with the project's venv
(`.venv/bin/python -m release COMMAND`, see `__main__`).

- `versions`: SemVer arithmetic;        `provenance`: the version record in _version.py and its hashes;
- `api_diff`: the OpenAPI diff (Optic); `surface`: the Python public surface (griffe);
- `rules`: THE table of what each change means for the version; `assess`: the bump and changelog lines;
- `changelog`: CHANGELOG.md;            `stamp`: `make stamp`;  `gate`: `make publish`'s check against the index;
- `artefacts`: wheel and sdist checks;  `index`: the package index;  `environment`: what the test suite inherits.
"""
