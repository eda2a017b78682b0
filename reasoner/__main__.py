"""`python -m reasoner` runs the imrkg command line."""

from .cli import main

main()
