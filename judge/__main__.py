"""`python -m judge` is `fjudge`."""

from judge.cli import main

main()
