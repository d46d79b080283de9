"""``python -m ipsec_doctor`` runs the CLI."""

from .cli import main

main()
