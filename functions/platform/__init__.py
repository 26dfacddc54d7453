"""Platform: sign-in state, audit log, staff administration."""
