"""Encrypted storage of student images on the station: envelope crypto, atomic writes, station key."""
