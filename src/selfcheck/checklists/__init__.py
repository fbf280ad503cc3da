"""Checklists as data: pydantic models, the YAML loader with located errors, and scoring."""
