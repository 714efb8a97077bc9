"""optout-monitor: walks Meta's AI-objection path and keeps the instructions for it true."""

__version__ = "0.1.0"
