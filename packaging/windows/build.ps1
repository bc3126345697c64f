<#
.SYNOPSIS
    Build the Windows installer of Private Copilot.

.DESCRIPTION
    From the repository root, in order:
      1. a virtual environment (.venv) with Python 3.11+ (64-bit);
      2. llama-cpp-python compiled with $CmakeArgs when given (CUDA, Vulkan, ...), then
         `pip install -e .[dist]` (the app and PyInstaller);
      3. resources\icons\private-copilot.ico drawn from the SVG when it is missing;
      4. `pyinstaller packaging\private-copilot.spec --noconfirm` -> dist\private-copilot\;
      5. checks: packaging\check_bundle.py, and that vcomp140.dll (the Visual C++ OpenMP
         runtime that llama.cpp's CPU backend imports) is inside the bundle where Windows
         looks for it;
      6. `dist\private-copilot\private-copilot.exe --smoke-test`;
      7. Inno Setup: dist\private-copilot-<version>-windows-x64-setup.exe.
    Stops at the first failure with the reason.

    Needs: Python 3.11+ x64 (python.org), Visual Studio 2022 Build Tools with "Desktop
    development with C++" (llama.cpp is compiled from source), Inno Setup 6.3+. For CUDA: the
    CUDA toolkit; for Vulkan: the Vulkan SDK. See packaging\README.md.

    This file is ASCII on purpose: Windows PowerShell 5.1 reads a UTF-8 file without a BOM
    as ANSI.

.PARAMETER Python
    The Python used to create .venv (default: `py -3.11`, else `python` on PATH).
.PARAMETER CmakeArgs
    CMake flags for llama.cpp, e.g. "-DGGML_CUDA=on" or "-DGGML_VULKAN=on" (default:
    $env:CMAKE_ARGS). When set, llama-cpp-python is rebuilt without pip's cache, because
    pip's wheel cache does not know about CMAKE_ARGS and would hand back a CPU build.
.PARAMETER Iscc
    Path to ISCC.exe (default: PATH, then the usual Inno Setup 6 folders).
.PARAMETER Clean
    Delete .venv, build\pyinstaller and dist\private-copilot first.
.PARAMETER SkipInstaller
    Stop after the smoke test (no Inno Setup).
.PARAMETER BudgetMb
    Size budget for check_bundle.py (default: 400 MB for a CPU build, 4000 MB with CmakeArgs; packaging/README.md says where the megabytes go).
.PARAMETER SmokeTimeoutSeconds
    How long the frozen smoke test may run (default 300).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 -CmakeArgs "-DGGML_CUDA=on" -Clean
#>
[CmdletBinding()]
param(
    [string]$Python = '',
    [string]$CmakeArgs = $env:CMAKE_ARGS,
    [string]$Iscc = '',
    [switch]$Clean,
    [switch]$SkipInstaller,
    [double]$BudgetMb = 0,
    [int]$SmokeTimeoutSeconds = 300
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Write-Step([string]$Message) {
    Write-Host ''
    Write-Host "==> $Message" -ForegroundColor Cyan
}

# Run a native program; throw when it fails (native exit codes never stop PowerShell on their own).
function Invoke-Checked {
    param([Parameter(Mandatory = $true)][string]$FilePath, [string[]]$Arguments = @())
    Write-Host "> $FilePath $($Arguments -join ' ')"
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

# Run a native program and return its standard output, trimmed.
function Get-Output {
    param([Parameter(Mandatory = $true)][string]$FilePath, [string[]]$Arguments = @())
    $out = & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE"
    }
    return (($out | Out-String).Trim())
}

function Find-Iscc {
    if ($Iscc) {
        if (Test-Path -LiteralPath $Iscc) { return $Iscc }
        throw "ISCC.exe not found at '$Iscc'"
    }
    $cmd = Get-Command 'ISCC.exe' -ErrorAction SilentlyContinue
    if ($cmd) { return $cmd.Source }
    foreach ($base in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, (Join-Path $env:LOCALAPPDATA 'Programs'))) {
        if (-not $base) { continue }
        $candidate = Join-Path $base 'Inno Setup 6\ISCC.exe'
        if (Test-Path -LiteralPath $candidate) { return $candidate }
    }
    throw ("ISCC.exe (Inno Setup 6.3 or later) was not found. Install Inno Setup from " +
           "https://jrsoftware.org/isdl.php (or: winget install --id JRSoftware.InnoSetup --exact), " +
           "or pass -Iscc C:\path\to\ISCC.exe (or -SkipInstaller).")
}

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$Venv = Join-Path $Root '.venv'
$VenvPython = Join-Path $Venv 'Scripts\python.exe'
$Bundle = Join-Path $Root 'dist\private-copilot'
$Internal = Join-Path $Bundle '_internal'
$Exe = Join-Path $Bundle 'private-copilot.exe'

Push-Location $Root
try {
    # -- 1. Python and the virtual environment ------------------------------------------------
    if ($Clean) {
        Write-Step 'Removing .venv, build\pyinstaller and dist\private-copilot'
        foreach ($path in @($Venv, (Join-Path $Root 'build\pyinstaller'), $Bundle)) {
            if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse -Force }
        }
    }

    if (-not (Test-Path -LiteralPath $VenvPython)) {
        if (-not $Python) {
            if (Get-Command 'py' -ErrorAction SilentlyContinue) {
                $found = & py -3.11 -c 'import sys; print(sys.executable)'
                if ($LASTEXITCODE -eq 0 -and $found) { $Python = ($found | Out-String).Trim() }
            }
            if (-not $Python) { $Python = 'python' }
        }
        if (-not (Get-Command $Python -ErrorAction SilentlyContinue)) {
            throw "Python 3.11 (64-bit) was not found: install it from https://www.python.org/ or pass -Python C:\path\to\python.exe"
        }
        & $Python -c 'import struct, sys; sys.exit(0 if sys.version_info >= (3, 11) and struct.calcsize(''P'') == 8 else 1)'
        if ($LASTEXITCODE -ne 0) { throw "'$Python' is not a 64-bit Python 3.11 or later" }
        Write-Step "Creating .venv with $Python"
        Invoke-Checked $Python @('-m', 'venv', $Venv)
    }
    Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '--upgrade', 'pip')

    # -- 2. llama-cpp-python (GPU variants) and the app ---------------------------------------
    if ($CmakeArgs) {
        $env:CMAKE_ARGS = $CmakeArgs
        # The exact requirement from pyproject.toml (e.g. llama-cpp-python==0.3.36).
        # (No double quotes inside -c code: Windows PowerShell 5.1 drops them from native arguments.)
        $llamaRequirement = Get-Output $VenvPython @('-c', (
            'import tomllib; d = tomllib.load(open(''pyproject.toml'', ''rb'')); ' +
            'print(next(r for r in d[''project''][''dependencies''] ' +
            'if r.lower().replace(''_'', ''-'').startswith(''llama-cpp-python'')))'))
        Write-Step "Compiling $llamaRequirement with CMAKE_ARGS=$CmakeArgs"
        Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--force-reinstall', '--no-deps', '--no-cache-dir',
                                     '--no-binary', 'llama-cpp-python', $llamaRequirement)
    } else {
        Remove-Item Env:CMAKE_ARGS -ErrorAction SilentlyContinue
    }
    Write-Step 'Installing Private Copilot and PyInstaller (pip install -e .[dist])'
    Invoke-Checked $VenvPython @('-m', 'pip', 'install', '-e', '.[dist]')

    $offload = Get-Output $VenvPython @('-c', 'import llama_cpp; print(bool(llama_cpp.llama_supports_gpu_offload()))')
    Write-Host "llama.cpp can offload to a GPU: $offload"
    if ($CmakeArgs -match 'GGML_(CUDA|VULKAN|HIP|SYCL)\s*=\s*(ON|1|TRUE|YES)' -and $offload -ne 'True') {
        throw ("CMAKE_ARGS asks for a GPU backend ($CmakeArgs) but the installed llama-cpp-python " +
               "cannot offload to a GPU: the build fell back to the CPU (is the CUDA toolkit / Vulkan SDK installed?)")
    }
    $version = Get-Output $VenvPython @('-c', 'import copilot; print(copilot.__version__)')
    Write-Host "Private Copilot version: $version"

    # -- 3. The executable's icon (the spec uses resources\icons\private-copilot.ico if present) --
    $svg = Join-Path $Root 'resources\icons\private-copilot.svg'
    $ico = Join-Path $Root 'resources\icons\private-copilot.ico'
    if ((Test-Path -LiteralPath $svg) -and (-not (Test-Path -LiteralPath $ico) -or
            (Get-Item -LiteralPath $svg).LastWriteTime -gt (Get-Item -LiteralPath $ico).LastWriteTime)) {
        Write-Step 'Drawing resources\icons\private-copilot.ico from the SVG'
        # PNG-compressed ICO entries (Windows Vista and later), 16 to 256 px, rendered by Qt.
        $icoScript = @'
import struct, sys
from pathlib import Path
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

svg, ico = Path(sys.argv[1]), Path(sys.argv[2])
app = QGuiApplication(["icon", "-platform", "offscreen"])
renderer = QSvgRenderer(str(svg))
if not renderer.isValid():
    sys.exit(f"cannot read {svg}")
images = []
for size in (16, 24, 32, 48, 64, 128, 256):
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    images.append((size, bytes(data)))
offset = 6 + 16 * len(images)
entries = b""
for size, png in images:
    entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
    offset += len(png)
ico.write_bytes(struct.pack("<HHH", 0, 1, len(images)) + entries + b"".join(png for _, png in images))
print(f"wrote {ico} ({len(images)} sizes)")
'@
        $icoScript | & $VenvPython - $svg $ico
        if ($LASTEXITCODE -ne 0) { throw 'Could not draw the .ico from the SVG' }
    }

    # -- 4. PyInstaller -------------------------------------------------------------------------
    Write-Step 'Freezing with PyInstaller (packaging\private-copilot.spec)'
    Invoke-Checked $VenvPython @('-m', 'PyInstaller', 'packaging\private-copilot.spec', '--noconfirm', '--clean',
                                 '--distpath', 'dist', '--workpath', 'build\pyinstaller')
    if (-not (Test-Path -LiteralPath $Exe)) { throw "PyInstaller did not produce $Exe" }

    # -- 5. Checks on the bundle ----------------------------------------------------------------
    if ($BudgetMb -le 0) { $BudgetMb = if ($CmakeArgs) { 4000 } else { 400 } }
    $checker = Join-Path $Root 'packaging\check_bundle.py'
    if (Test-Path -LiteralPath $checker) {
        Write-Step 'Checking the bundle (packaging\check_bundle.py)'
        Invoke-Checked $VenvPython @($checker, $Bundle, '--budget-mb', "$BudgetMb")
    }

    Write-Step 'Checking the Visual C++ OpenMP runtime (vcomp140.dll)'
    # llama.cpp's DLLs that import vcomp140.dll (import names are plain ASCII in a PE file).
    $llamaLib = Join-Path $Internal 'llama_cpp\lib'
    if (-not (Test-Path -LiteralPath $llamaLib)) { throw "llama.cpp's libraries are not in the bundle ($llamaLib)" }
    $importers = @()
    foreach ($dll in @(Get-ChildItem -LiteralPath $llamaLib -Recurse -File -Filter '*.dll')) {
        $text = [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($dll.FullName))
        if ($text.IndexOf('vcomp140.dll', [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { $importers += $dll }
    }
    if ($importers.Count -eq 0) {
        Write-Host 'No llama.cpp DLL imports vcomp140.dll (built without OpenMP): nothing to check.'
    } else {
        $names = ($importers | ForEach-Object { $_.Name }) -join ', '
        # Where Windows finds a dependency of a DLL that llama_cpp loads (LoadLibraryEx with the
        # default search order): the executable's folder, the folder PyInstaller's bootloader sets
        # with SetDllDirectory (_internal), and PATH, to which llama_cpp adds its lib folder.
        $searched = @($Bundle, $Internal) + @($importers | ForEach-Object { $_.DirectoryName })
        $copies = @(Get-ChildItem -LiteralPath $Bundle -Recurse -File -Filter 'vcomp140.dll')
        $usable = @($copies | Where-Object { $searched -contains $_.DirectoryName })
        if ($usable.Count -eq 0) {
            $where = if ($copies.Count) { ' (only found in: ' + (($copies | ForEach-Object { $_.DirectoryName }) -join ', ') + ')' } else { '' }
            throw ("vcomp140.dll, the Visual C++ OpenMP runtime, is missing from the bundle$where, but " +
                   "$names import it: on a Windows without the Visual C++ redistributable the model would not load. " +
                   "This machine's System32 copy hides the problem from the smoke test. Fix: let the spec collect " +
                   "llama_cpp's DLLs as binaries (collect_dynamic_libs) so PyInstaller collects vcomp140.dll from " +
                   "System32 into _internal, or add it to the spec's binaries explicitly; or build llama.cpp " +
                   "without OpenMP (-CmakeArgs '-DGGML_OPENMP=OFF', slower).")
        }
        Write-Host "vcomp140.dll is bundled ($($usable[0].FullName)); imported by $names."
    }

    # -- 6. The frozen smoke test ---------------------------------------------------------------
    Write-Step 'Running dist\private-copilot\private-copilot.exe --smoke-test'
    # Start-Process: the executable may be a GUI-subsystem program, which `&` would not wait for.
    Remove-Item Env:PRIVATE_COPILOT_BASEDIR -ErrorAction SilentlyContinue
    $stdout = Join-Path ([System.IO.Path]::GetTempPath()) "private-copilot-smoke-$PID.out"
    $stderr = Join-Path ([System.IO.Path]::GetTempPath()) "private-copilot-smoke-$PID.err"
    $proc = Start-Process -FilePath $Exe -ArgumentList '--smoke-test' -NoNewWindow -PassThru `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr
    $null = $proc.Handle  # keeps the handle, without which ExitCode may read as empty
    if (-not $proc.WaitForExit($SmokeTimeoutSeconds * 1000)) {
        Stop-Process -Id $proc.Id -Force -ErrorAction SilentlyContinue
        throw "The smoke test did not finish within $SmokeTimeoutSeconds s"
    }
    $proc.WaitForExit()
    $smokeOut = @(Get-Content -LiteralPath $stdout, $stderr -ErrorAction SilentlyContinue)
    Remove-Item -LiteralPath $stdout, $stderr -ErrorAction SilentlyContinue
    $smokeOut | ForEach-Object { Write-Host "  $_" }
    if ($proc.ExitCode -ne 0) { throw "The smoke test failed (exit code $($proc.ExitCode))" }
    if (-not ($smokeOut -match 'smoke-test: ok')) {
        Write-Host '  (exit code 0; no output captured, as can happen with a GUI-subsystem executable)'
    }

    # -- 7. The installer -----------------------------------------------------------------------
    if ($SkipInstaller) {
        Write-Step "Done (no installer): $Bundle"
        return
    }
    $isccPath = Find-Iscc
    Write-Step "Building the installer with $isccPath"
    Invoke-Checked $isccPath @("/DAppVersion=$version", (Join-Path $Root 'packaging\windows\private-copilot.iss'))
    $setup = Join-Path $Root "dist\private-copilot-$version-windows-x64-setup.exe"
    if (-not (Test-Path -LiteralPath $setup)) { throw "Inno Setup did not produce $setup" }
    $hash = (Get-FileHash -LiteralPath $setup -Algorithm SHA256).Hash.ToLowerInvariant()
    $sizeMb = [math]::Round((Get-Item -LiteralPath $setup).Length / 1MB, 1)
    Write-Step "Done: $setup ($sizeMb MB, sha256 $hash)"
}
finally {
    Pop-Location
}
