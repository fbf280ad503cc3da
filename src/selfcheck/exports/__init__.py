"""Exports that are not the signed report: the rectification ledger as an Excel workbook."""
