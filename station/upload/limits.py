"""What the station and the server agree on about one upload. How much it may weigh: the server answers 413
above it and the station fails such a job at once instead of sending it. And the answers that mean the server
holds the photo: only these let the station mark it sent (a proxy's page or a wrong service answering 200 does not)."""

# A CHSI photo is about 40 KB and the camera's original a few MB (a 24 MP JPEG rarely passes 12 MB), sealed:
# 20 MB holds both with room to spare and stops a client from filling the disk with one request.
UPLOAD_LIMIT = 20 * 2**20

STORED, DUPLICATE = "stored", "duplicate"  # the server's {"status": ...} when it has the photo (new, or already)
