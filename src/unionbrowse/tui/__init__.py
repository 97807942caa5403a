"""The terminal app. Everything here may import textual; nothing in the core imports this package."""
