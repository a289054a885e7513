"""Who is in front of the camera: capture codes, student cards and typed numbers."""
