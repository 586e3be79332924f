"""`python -m cleanup` runs the `cleanup` command, for environments without the console script."""

from cleanup.cli import app

if __name__ == "__main__":
    app(prog_name="cleanup")
