; Inno Setup 6 script: a per-user installer for the one-folder build in dist\fieldkit\.
; No administrator rights; a Start-menu entry; the uninstaller keeps the officer's records
; unless asked (or given /DELETEDATA). Build steps: packaging/README.md, "Windows installer".
;
;   ISCC /DAppVersion=0.2.0 packaging\fieldkit.iss      -> dist\fieldkit-0.2.0-setup.exe

#ifndef AppVersion
  #error Give the version: ISCC /DAppVersion=X.Y.Z packaging\fieldkit.iss (see packaging/README.md)
#endif

[Setup]
; The AppId identifies fieldkit to Windows across versions: never change it.
AppId={{6E2B7C1A-4F3D-4B8E-9A51-2C7D0F8E3B64}
AppName=fieldkit
AppVersion={#AppVersion}
AppVerName=fieldkit {#AppVersion}
AppPublisher=fieldkit
AppComments=Offline-first field app for modern slavery work
VersionInfoVersion={#AppVersion}
; Per user: %LOCALAPPDATA%\Programs\fieldkit, no UAC prompt, nothing for other users.
PrivilegesRequired=lowest
DefaultDirName={userpf}\fieldkit
DefaultGroupName=fieldkit
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\resources\icon.ico
UninstallDisplayIcon={app}\fieldkit-app.exe
UninstallDisplayName=fieldkit
OutputDir=..\dist
OutputBaseFilename=fieldkit-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An open fieldkit is asked to close (it locks first, so drafts are saved) before files change.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
; Replace the whole program folder: files a newer build no longer has must not linger.
Source: "..\dist\fieldkit\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
; With PrivilegesRequired=lowest, {group} is the user's own Start menu.
Name: "{group}\fieldkit"; Filename: "{app}\fieldkit-app.exe"; WorkingDir: "{app}"; \
  Comment: "Encrypted notes, forms and the Lead's inbox for modern slavery field work"
Name: "{group}\Uninstall fieldkit"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\fieldkit-app.exe"; Description: "Start fieldkit now"; \
  Flags: nowait postinstall skipifsilent

[Code]
{ The records live apart from the program, in the folder fieldkit's settings choose
  (platformdirs: %LOCALAPPDATA%\fieldkit). Uninstalling keeps them, so a reinstall or an
  upgrade opens them again; they go only when the officer says so, or IT passes /DELETEDATA. }

function DataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\fieldkit');
end;

function DeleteDataAsked(): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/DELETEDATA') = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
  Delete: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Folder := DataFolder();
  if not DirExists(Folder) then
    Exit;
  Delete := DeleteDataAsked();
  if (not Delete) and (not UninstallSilent) then
    Delete := MsgBox('fieldkit has been removed. Your fieldkit records are still on this ' +
      'computer, encrypted, in ' + Folder + '.' + #13#10#13#10 +
      'Delete them as well? Anything not yet sent to the Lead would be lost for good.' +
      #13#10#13#10 + 'Choose No to keep them: installing fieldkit again opens them with ' +
      'the same passphrase.', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if Delete then
    DelTree(Folder, True, True, True);
end;
