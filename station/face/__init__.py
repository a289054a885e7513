"""Face geometry from mediapipe's bundled face mesh (478 landmarks with irises)."""

from station.face.landmarks import Face, FaceMesher

__all__ = ["Face", "FaceMesher"]
