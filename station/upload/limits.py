"""How much one upload may weigh: the server answers 413 above it and the station fails such a job at once
instead of sending it, so both sides read this one number."""

# A CHSI photo is about 40 KB and the camera's original a few MB (a 24 MP JPEG rarely passes 12 MB), sealed:
# 20 MB holds both with room to spare and stops a client from filling the disk with one request.
UPLOAD_LIMIT = 20 * 2**20
