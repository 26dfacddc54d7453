"""The Pulumi program: one ComponentResource per concern, composed in __main__.py from stack config."""
