"""Turning inputs into servable sites: safe intake, detection, sandboxed cached npm builds."""
