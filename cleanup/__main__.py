"""`python -m cleanup` runs the `cleanup` command, for environments without the console script."""

from cleanup.cli import app

app(prog_name="cleanup")
