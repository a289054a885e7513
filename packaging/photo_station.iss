; Inno Setup 6 script (UNTESTED: no Windows machine was available to this project): wraps the folder that
; scripts\build_installer.ps1 builds (dist\photo-station\) into one PhotoStationSetup-<version>.exe in dist\.
; Build the folder first, then: iscc packaging\photo_station.iss
; Installs for the current user only (no administrator rights). The station writes nothing into this folder: the
; backdrop calibration is kept in its data folder (%LOCALAPPDATA%\PhotoStation\calibration\).
; Saved as UTF-8 with a BOM: Inno Setup before 6.3 reads a script without one in the ANSI code page (GBK).
#define AppVersion "0.1.0"

[Setup]
AppId=PhotoStation.GraduationPhotoCapture
AppName=毕业生图像采集工作站 Photo Station
AppVersion={#AppVersion}
DefaultDirName={localappdata}\Programs\PhotoStation
DefaultGroupName=毕业生图像采集工作站
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=PhotoStationSetup-{#AppVersion}
Compression=lzma2
SolidCompression=yes

[Files]
Source: "..\dist\photo-station\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\毕业生图像采集工作站"; Filename: "{app}\photo-station.exe"
Name: "{group}\演示模式 Demo"; Filename: "{app}\photo-station.exe"; Parameters: "--demo"
Name: "{autodesktop}\毕业生图像采集工作站"; Filename: "{app}\photo-station.exe"

[Run]
Filename: "{app}\photo-station.exe"; Parameters: "--demo"; Description: "打开演示模式 / open the demo"; Flags: postinstall nowait skipifsilent
