"""The audit trail: every operator action, appended to a hash-chained log that shows any edit or deletion."""
