from tests.upload.conftest import _no_default_server_home, key, server, station  # noqa: F401  (shared fixtures)
