"""Read: a file in any supported format and encoding → text."""
