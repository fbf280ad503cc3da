"""整改台账: the ledger table, the problem and status-step dialogs, follow-ups and the Excel export."""
