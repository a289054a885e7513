"""Training scripts, split files and model cards of the learned compliance checks (not shipped as code)."""
