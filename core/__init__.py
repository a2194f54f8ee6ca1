"""Records, errors, settings and vocabulary that every layer uses."""
