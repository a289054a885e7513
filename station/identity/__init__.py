"""Who is in the photo: face embeddings, verification against reference photos, gallery search.

Qt-free like the rest of `station/`. The detector and recogniser (OpenCV Zoo's YuNet and SFace, the int8 files in
models/face_verify/) load only when a face is embedded, so importing this package stays cheap.
"""
