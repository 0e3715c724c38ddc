"""The investor catalogue: searching published sites, fact sheets, interest requests."""
