"""Qt widgets of the station. No business rules live here: they are in `station`."""
