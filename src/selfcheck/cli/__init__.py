"""Command-line interface (no Qt): checklists, workbook, evidence, keys, reports, verification."""
