"""The ``tracker`` command line: one module per command group, assembled in ``app``."""

from tracker.cli.app import cli, main

__all__ = ["cli", "main"]
