"""The receiving server (`photo-station-server`): collects every station's encrypted photos."""
