"""python -m optimizer: the `portfolio` command."""

from .cli import console

console()
