"""The platform's pure rules."""
