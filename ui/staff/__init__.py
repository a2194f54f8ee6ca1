"""The staff pages: sign-in, upload, replacement, removal, audit log and the problem list."""
