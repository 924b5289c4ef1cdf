"""Builders that turn publishers' files into the project's own reference tables.

Each builder module exposes ``build(source_dir, out_dir) -> list[Path]`` and can be run
as ``python -m factors.build.<name> [--source DIR] [--out DIR]``.
"""
