"""What the Windows build is given that Linux cannot run: read here as Windows and PyInstaller would read it."""

from __future__ import annotations

import xml.dom.minidom

from PyInstaller.utils.win32.winmanifest import create_application_manifest

from station import PROJECT_ROOT

PACKAGING = PROJECT_ROOT / "packaging"
MANIFEST = PACKAGING / "photo-station.exe.manifest"
WINDOWS_SETTINGS_2016 = "http://schemas.microsoft.com/SMI/2016/WindowsSettings"
WINDOWS_SETTINGS_2019 = "http://schemas.microsoft.com/SMI/2019/WindowsSettings"


def _setting(dom: xml.dom.minidom.Document, namespace: str, name: str) -> str:
    (element,) = dom.getElementsByTagNameNS(namespace, name)
    return element.firstChild.data.strip()


def test_the_program_runs_with_utf8_as_its_ansi_code_page() -> None:
    """mediapipe opens its graphs and models with the narrow fopen/stat, which read a path in the ANSI code page:
    GBK on a Chinese Windows, where an install under C:\\Users\\<a Chinese name> could not load them. The manifest the
    spec gives PyInstaller (as PyInstaller embeds it) makes that code page UTF-8, and keeps long paths allowed."""
    spec = (PACKAGING / "photo_station.spec").read_text(encoding="utf-8")
    assert f'manifest=str(ROOT / "packaging" / "{MANIFEST.name}")' in spec
    embedded = xml.dom.minidom.parseString(create_application_manifest(MANIFEST.read_bytes()))
    assert _setting(embedded, WINDOWS_SETTINGS_2019, "activeCodePage") == "UTF-8"
    assert _setting(embedded, WINDOWS_SETTINGS_2016, "longPathAware") == "true"
    (level,) = embedded.getElementsByTagName("requestedExecutionLevel")
    assert level.getAttribute("level") == "asInvoker"  # installed per user: never asks for administrator rights


def test_the_installer_script_says_it_is_utf8() -> None:
    """Inno Setup 6 before 6.3 reads a script without a UTF-8 BOM in the build machine's ANSI code page: the Chinese
    names of the program, its Start-menu folder and shortcuts would be installed as mojibake."""
    script = (PACKAGING / "photo_station.iss").read_bytes()
    assert not script.isascii() and script.startswith(b"\xef\xbb\xbf")
    script.decode("utf-8")
