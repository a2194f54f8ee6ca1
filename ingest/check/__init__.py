"""Check: cells and narrative figures → findings (identities, narrative, units, across years)."""
