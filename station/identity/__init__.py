"""Who is in the photo: face embeddings, verification against reference photos, gallery search.

Qt-free like the rest of `station/`. The recogniser (dlib's ResNet from the `face_recognition_models`
package, CC0) loads only when a face is embedded, so importing this package stays cheap.
"""
