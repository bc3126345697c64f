; Private Copilot: the Windows installer (Inno Setup 6.3 or later).
;
; Build it with packaging\windows\build.ps1, which freezes the app first and then runs
;     ISCC.exe /DAppVersion=<version> packaging\windows\private-copilot.iss
; The installer lands in dist\ next to the PyInstaller folder it packs (dist\private-copilot\).
;
; What it does:
; - installs for the current user only, without administrator rights (PrivilegesRequired=lowest),
;   into %LOCALAPPDATA%\Programs\Private Copilot. {autopf} is the documented way to get there: in
;   non administrative install mode the "auto" constants map to their "user" form, and {userpf}
;   is "the path to the current user's Program Files directory", i.e. {localappdata}\Programs
;   (https://jrsoftware.org/ishelp/topic_consts.htm, "Auto Constants";
;   https://jrsoftware.org/ishelp/topic_admininstallmode.htm).
; - a Start menu shortcut, and a desktop shortcut if the user ticks the box.
; - closes a running Private Copilot before replacing its files: Setup uses the Windows Restart
;   Manager (CloseApplications). AppMutex is not used: it needs the app to create a named mutex,
;   and ours does not (its single-instance lock is a QLocalServer, i.e. a named pipe). The
;   uninstaller has no Restart Manager step, so [Code] below looks for a running copy itself.
; - uninstalling removes the program and leaves the user's data (settings, drafts, history,
;   downloaded models: %LOCALAPPDATA%\PrivateCopilot\PrivateCopilot, platformdirs with appname
;   and appauthor "PrivateCopilot") unless the user answers Yes to the question it asks (default No).
;
; OpenMP / vcomp140.dll: llama.cpp's CPU backend is built with OpenMP by default (GGML_OPENMP=ON),
; and with MSVC that means ggml-cpu.dll (and friends) import vcomp140.dll, the Visual C++ OpenMP
; runtime. It is part of the VC++ redistributable, which a clean Windows does not have.
; What we do: bundle it. PyInstaller's binary dependency analysis collects vcomp140.dll from
; System32 of the build machine (it is on PyInstaller's list of VC runtime DLLs allowed out of
; the Windows folder: PyInstaller/depend/dylib.py, "VC141.OpenMP/VC142.OpenMP/VC143.OpenMP"),
; provided llama_cpp's DLLs are collected as binaries (collect_dynamic_libs, as our hook does),
; not as data files, which skip that analysis (pyinstaller/pyinstaller#9216, okfn/opendataeditor#1006).
; build.ps1 refuses to package a bundle where a DLL imports vcomp140.dll and the DLL is not
; there, because the build machine's own System32 copy would hide the problem from the smoke test.
; We do not run the VC++ redistributable from this installer: it needs administrator rights,
; which a per-user install does not have.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Private Copilot"
#define AppExeName "private-copilot.exe"
#define AppPublisher "PrivateCopilot"
; The PyInstaller one-folder bundle. Relative paths in [Setup] and [Files] are relative to this
; script's folder (SourceDir); ISPP's own FileExists needs the absolute form (SourcePath).
#define DistDir "..\..\dist\private-copilot"
; Where the app keeps its files (copilot/core/paths.py: platformdirs, appauthor\appname).
#define DataAuthor "PrivateCopilot"
#define DataAppName "PrivateCopilot"
; "Start at login" (copilot/ui/autostart.py) writes this value; it must not outlive the program.
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"
#define RunValue "PrivateCopilot"

#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed (x64compatible)
#endif
#if !FileExists(AddBackslash(SourcePath) + DistDir + "\" + AppExeName)
  #error dist\private-copilot\private-copilot.exe is missing: run PyInstaller first (packaging\windows\build.ps1)
#endif

[Setup]
; AppId identifies this app to every later installer and to the uninstaller: never change it.
; (The leading "{{" is an escaped "{".)
AppId={{57A00ABD-CC37-4DC9-B8E0-DFB878318028}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppPublisher}
; per user, no UAC prompt, no "install for all users" choice
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
; the bundle is x64 only; Arm64 Windows 11 runs it under emulation
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or later
MinVersion=10.0.17763
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename=private-copilot-{#AppVersion}-windows-x64-setup
; one Setup at a time
SetupMutex=PrivateCopilotSetup,Global\PrivateCopilotSetup
; Replace files in use: close the running app through the Restart Manager, and do not restart
; it afterwards (it does not register with RegisterApplicationRestart anyway).
; https://jrsoftware.org/ishelp/topic_setup_closeapplications.htm
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no
; The app's icon for Setup too, when build.ps1 has drawn it from the SVG.
#if FileExists(AddBackslash(SourcePath) + "..\..\resources\icons\private-copilot.ico")
SetupIconFile=..\..\resources\icons\private-copilot.ico
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[CustomMessages]
english.AppRunning=Private Copilot is running. Quit it (the menu of its tray icon, Quit), then click Retry. Cancel keeps it installed.
spanish.AppRunning=Private Copilot se está ejecutando. Ciérrelo (menú de su icono en la bandeja, Salir) y pulse Reintentar. Cancelar lo deja instalado.
english.RemoveDataQuestion=Also delete your Private Copilot data?
spanish.RemoveDataQuestion=¿Borrar también sus datos de Private Copilot?
english.RemoveDataDetail=Your settings, saved drafts, history and the models downloaded by the app (the gpt-oss-20b model alone is about 12 GB) are in:%1Models you keep in another folder are not touched.
spanish.RemoveDataDetail=Sus ajustes, borradores, historial y los modelos descargados por la aplicación (solo el modelo gpt-oss-20b ocupa unos 12 GB) están en:%1Los modelos que guarde en otra carpeta no se tocan.
english.RemoveDataKeep=Choose No (the default) to keep them for a later installation.
spanish.RemoveDataKeep=Elija No (la opción por defecto) para conservarlos para una instalación posterior.
english.RemoveDataFailed=Some of your data could not be deleted; you can delete this folder yourself:%1
spanish.RemoveDataFailed=Parte de sus datos no se pudo borrar; puede borrar usted esta carpeta:%1

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole bundle: a DLL left over from the previous version must not be loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program's own folder. The user's data lives elsewhere and is handled in [Code].
Type: filesandordirs; Name: "{app}\_internal"

[Code]
var
  RemoveUserData: Boolean;

function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataAuthor}\{#DataAppName}');
end;

{ A string literal for WQL: backslashes and quotes are escaped with a backslash. }
function WqlString(const S: String): String;
begin
  Result := S;
  StringChangeEx(Result, '\', '\\', True);
  StringChangeEx(Result, '''', '\''', True);
  Result := '''' + Result + '''';
end;

{ How many processes run this installation's executable (WMI; 0 when WMI cannot tell). }
function RunningCopies(): Integer;
var
  Locator, Service, Found: Variant;
begin
  Result := 0;
  try
    Locator := CreateOleObject('WbemScripting.SWbemLocator');
    Service := Locator.ConnectServer('.', 'root\CIMV2');
    Found := Service.ExecQuery('SELECT ProcessId FROM Win32_Process WHERE ExecutablePath = ' +
                               WqlString(ExpandConstant('{app}\{#AppExeName}')));
    Result := Found.Count;
  except
    Log('Could not look for a running Private Copilot: ' + GetExceptionMessage);
  end;
end;

{ The uninstaller cannot remove files that the running app holds open, and the Restart Manager
  is a Setup feature only: ask the user to quit the app first. Silent uninstalls with
  /SUPPRESSMSGBOXES stop here (Cancel) rather than kill the app. }
function InitializeUninstall(): Boolean;
begin
  Result := True;
  while RunningCopies() > 0 do
  begin
    if SuppressibleMsgBox(CustomMessage('AppRunning'), mbError, MB_RETRYCANCEL, IDCANCEL) = IDCANCEL then
    begin
      Result := False;
      Exit;
    end;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Command, Question: String;
begin
  case CurUninstallStep of
    usUninstall:
      begin
        { "Start at login" points at this installation's executable: remove it with the program. }
        if RegQueryStringValue(HKCU, '{#RunKey}', '{#RunValue}', Command) and
           (Pos(Lowercase(ExpandConstant('{app}\{#AppExeName}')), Lowercase(Command)) > 0) then
          RegDeleteValue(HKCU, '{#RunKey}', '{#RunValue}');

        { The user's data stays unless they say otherwise; No is the default button and the
          answer of a silent uninstall. }
        RemoveUserData := False;
        if DirExists(UserDataDir()) then
        begin
          Question := CustomMessage('RemoveDataQuestion') + #13#10#13#10 +
                      FmtMessage(CustomMessage('RemoveDataDetail'), [#13#10 + UserDataDir() + #13#10#13#10]) +
                      #13#10#13#10 + CustomMessage('RemoveDataKeep');
          RemoveUserData := SuppressibleMsgBox(Question, mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
        end;
      end;
    usPostUninstall:
      if RemoveUserData then
      begin
        if not DelTree(UserDataDir(), True, True, True) then
          SuppressibleMsgBox(FmtMessage(CustomMessage('RemoveDataFailed'), [#13#10 + UserDataDir()]),
                             mbError, MB_OK, IDOK);
        { %LOCALAPPDATA%\PrivateCopilot, only if nothing else is left in it }
        RemoveDir(ExpandConstant('{localappdata}\{#DataAuthor}'));
      end;
  end;
end;
