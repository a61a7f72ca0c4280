"""`python -m partner_api ...`: the `partner-api` command line."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m partner_api" + (" sandbox" if sys.argv[1:2] == ["sandbox"] else "")))
