from tests.upload.conftest import key, server, station  # noqa: F401  (shared fixtures)
