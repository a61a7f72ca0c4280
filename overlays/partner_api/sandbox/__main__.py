"""`python -m partner_api.sandbox [options]`: the same as `partner-api sandbox [options]`."""

from __future__ import annotations

import sys

from partner_api.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["sandbox", *sys.argv[1:]], prog="python -m partner_api.sandbox"))
