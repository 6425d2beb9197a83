"""``python -m corehub`` runs the command line."""

from corehub.cli import main

main()
