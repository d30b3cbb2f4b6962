"""`python -m umm_survey` runs the command line."""

from .cli import main

main()
