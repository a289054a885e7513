"""The school's list of expected graduates: import, validation, look-up."""
