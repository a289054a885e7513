"""The capture day's fees: a price per set, an append-only ledger in fen, payment per student or per class."""
