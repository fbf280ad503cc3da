"""Verification of signed reports, above both `report` (the data model) and `signing` (keys, school names)."""
