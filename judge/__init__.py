"""fjudge: judges generated frontends the way a careful human reviewer would.

Kept import-light on purpose: Playwright, FastAPI and openai load only in the modules using them.
"""

__version__ = "0.1.0"
