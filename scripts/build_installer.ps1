# Builds the station for the photographers' Windows laptops as one folder that runs with no Python installed:
# dist\photo-station\ (its program dist\photo-station\photo-station.exe), from packaging\photo_station.spec.
# Prints the build time and the folder's size. NOT RUN YET: the project's machines and CI are Linux (README,
# "Windows laptops"). Before it, in PowerShell from the project folder, with Python 3.11 from python.org:
#   py -3.11 -m venv .venv; .venv\Scripts\pip install -c constraints.txt -e ".[dev]"
# Then optionally the installer (Inno Setup 6, untested): iscc packaging\photo_station.iss
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$watch = [Diagnostics.Stopwatch]::StartNew()
& .venv\Scripts\python.exe -m PyInstaller --noconfirm --log-level WARN --workpath build\pyinstaller --distpath dist `
    packaging\photo_station.spec
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
if (-not (Test-Path dist\photo-station\photo-station.exe)) { throw "the build made no dist\photo-station\photo-station.exe" }
$megabytes = (Get-ChildItem dist\photo-station -Recurse -File | Measure-Object Length -Sum).Sum / 1MB
"built dist\photo-station\ in {0:N0} s: {1:N0} MB" -f $watch.Elapsed.TotalSeconds, $megabytes
