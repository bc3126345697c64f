#!/usr/bin/env bash
# Sign, notarize and package the macOS app, after `make dist` has built "dist/Private Copilot.app":
#
#   1. sign every Mach-O file in the bundle with the hardened runtime and a secure timestamp,
#      then its frameworks, then the app (inside out; entitlements on executables only);
#   2. verify the signature and run the signed app's --smoke-test (hardened-runtime problems show
#      here, before the notary service is asked);
#   3. notarize the app (zip through ditto) and staple its ticket, so that the app still carries it
#      once copied out of the disk image and Gatekeeper need not ask Apple at first launch;
#   4. build the .dmg (hdiutil, UDZO) with the app and an /Applications link, sign it, notarize it,
#      staple it; check both with spctl.
#
# Driven by environment variables only; no secret lives in the repository:
#   MACOS_SIGN_IDENTITY   required: "Developer ID Application: NAME (TEAMID)", or its SHA-1 hash
#                         (security find-identity -v -p codesigning)
#   MACOS_NOTARY_PROFILE  a keychain profile made once with
#                           xcrun notarytool store-credentials PROFILE --apple-id ID --team-id TEAMID
#                         (it asks for an app-specific password and keeps it in the keychain), or
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD
#                         the same credentials directly (the password is an app-specific one from
#                         account.apple.com; it shows in the process list while notarytool runs,
#                         so prefer the profile on shared machines)
# Optional:
#   MACOS_KEYCHAIN        keychain holding the signing identity (CI: a temporary keychain)
#   MACOS_APP             the app (default: dist/Private Copilot.app)
#   MACOS_ENTITLEMENTS    default: packaging/macos/entitlements.plist
#   MACOS_OUT_DIR         where the .dmg goes (default: dist)
#   MACOS_SKIP_NOTARIZE=1 sign and build the .dmg only (no credentials needed; Gatekeeper will
#                         reject the result on other Macs)
#   MACOS_STAPLE_APP=0    notarize the .dmg only (one submission instead of two)
#   MACOS_SKIP_SMOKE=1    do not run the signed app's smoke test
#
# Written for macOS's own /bin/bash 3.2 too (no mapfile, no associative arrays).
# Apple's references: https://developer.apple.com/documentation/security/customizing-the-notarization-workflow
# and `man codesign`, `man hdiutil`, `xcrun notarytool --help`, `xcrun stapler --help`.
set -euo pipefail

die() { printf 'sign_and_notarize: %s\n' "$*" >&2; exit 1; }
step() { printf '\n==> %s\n' "$*"; }

[[ "$(uname -s)" == Darwin ]] || die "this script runs on macOS only"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="${MACOS_APP:-$ROOT/dist/Private Copilot.app}"
ENTITLEMENTS="${MACOS_ENTITLEMENTS:-$ROOT/packaging/macos/entitlements.plist}"
OUT_DIR="${MACOS_OUT_DIR:-$ROOT/dist}"
SKIP_NOTARIZE="${MACOS_SKIP_NOTARIZE:-0}"
STAPLE_APP="${MACOS_STAPLE_APP:-1}"
SKIP_SMOKE="${MACOS_SKIP_SMOKE:-0}"

# -- Everything the run needs, checked before any work --------------------------------------------
if [[ -z "${MACOS_SIGN_IDENTITY:-}" ]]; then
    die "MACOS_SIGN_IDENTITY is not set. Set it to your 'Developer ID Application: NAME (TEAMID)' identity
    (or its SHA-1 hash); 'security find-identity -v -p codesigning' lists the ones in your keychains."
fi

# notarytool's credentials, as words to append to its command line
NOTARY_MODE=""
if [[ "$SKIP_NOTARIZE" == 1 ]]; then
    NOTARY_MODE=none
elif [[ -n "${MACOS_NOTARY_PROFILE:-}" ]]; then
    NOTARY_MODE=profile
elif [[ -n "${APPLE_ID:-}${APPLE_TEAM_ID:-}${APPLE_APP_PASSWORD:-}" ]]; then
    missing=""
    for var in APPLE_ID APPLE_TEAM_ID APPLE_APP_PASSWORD; do
        [[ -n "${!var:-}" ]] || missing="$missing $var"
    done
    [[ -z "$missing" ]] || die "APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD go together; missing:$missing"
    NOTARY_MODE=appleid
else
    die "no notarization credentials. Set MACOS_NOTARY_PROFILE (a profile made with
    'xcrun notarytool store-credentials'), or APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD;
    or MACOS_SKIP_NOTARIZE=1 to sign and build the disk image without notarizing."
fi

notarytool() {  # notarytool SUBCOMMAND ARGS... with the credentials added
    local sub="$1"; shift
    case "$NOTARY_MODE" in
        profile) xcrun notarytool "$sub" "$@" --keychain-profile "$MACOS_NOTARY_PROFILE" ;;
        appleid) xcrun notarytool "$sub" "$@" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
                     --password "$APPLE_APP_PASSWORD" ;;
        *) die "internal: notarytool called without credentials" ;;
    esac
}

for tool in codesign hdiutil ditto xattr lipo file security plutil /usr/libexec/PlistBuddy; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (install Xcode or its Command Line Tools)"
done
if [[ "$NOTARY_MODE" != none ]]; then
    xcrun --find notarytool >/dev/null 2>&1 || die "'xcrun notarytool' not found: Xcode 13 or later is needed"
    xcrun --find stapler >/dev/null 2>&1 || die "'xcrun stapler' not found"
fi

[[ -d "$APP" ]] || die "$APP not found: build it first (make dist)"
[[ -f "$ENTITLEMENTS" ]] || die "entitlements file $ENTITLEMENTS not found"
plutil -lint "$ENTITLEMENTS" >/dev/null || die "$ENTITLEMENTS is not a valid property list"

KEYCHAIN_ARGS=""
if [[ -n "${MACOS_KEYCHAIN:-}" ]]; then
    [[ -f "$MACOS_KEYCHAIN" ]] || die "MACOS_KEYCHAIN: $MACOS_KEYCHAIN not found"
    KEYCHAIN_ARGS=yes
fi
if [[ -n "$KEYCHAIN_ARGS" ]]; then
    identities="$(security find-identity -v -p codesigning "$MACOS_KEYCHAIN")"
else
    identities="$(security find-identity -v -p codesigning)"
fi
printf '%s\n' "$identities" | grep -qiF -- "$MACOS_SIGN_IDENTITY" ||
    die "no valid code-signing identity matches '$MACOS_SIGN_IDENTITY'. Valid ones:
$identities"

PLIST="$APP/Contents/Info.plist"
plist_get() { /usr/libexec/PlistBuddy -c "Print :$1" "$PLIST" 2>/dev/null; }
VERSION="$(plist_get CFBundleShortVersionString)" || die "$PLIST has no CFBundleShortVersionString"
BUNDLE_ID="$(plist_get CFBundleIdentifier)" || die "$PLIST has no CFBundleIdentifier"
EXE_NAME="$(plist_get CFBundleExecutable)" || die "$PLIST has no CFBundleExecutable"
EXE_NAME="${EXE_NAME#MacOS/}"
MAIN_EXE="$APP/Contents/MacOS/$EXE_NAME"
[[ -f "$MAIN_EXE" ]] || die "the bundle's executable $MAIN_EXE is missing"
if [[ "$(plist_get LSBackgroundOnly || true)" == true ]]; then
    die "$PLIST says LSBackgroundOnly=true (PyInstaller sets it for console=True): the app would have no
    Dock icon or menu bar (and event taps are reported to fail for background-only apps on macOS 15,
    developer.apple.com/forums/thread/758554), so the global hotkey could break. The spec must
    merge packaging/macos/info_plist.json (LSBackgroundOnly=false) into BUNDLE's info_plist."
fi
ARCHS="$(lipo -archs "$MAIN_EXE")"
case "$ARCHS" in
    *x86_64*arm64* | *arm64*x86_64*) ARCH=universal2 ;;
    *) ARCH="${ARCHS// /-}" ;;
esac
mkdir -p "$OUT_DIR"
DMG="$OUT_DIR/Private-Copilot-$VERSION-macos-$ARCH.dmg"
echo "app:      $APP ($BUNDLE_ID $VERSION, $ARCHS)"
echo "identity: $MACOS_SIGN_IDENTITY"
echo "dmg:      $DMG"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# codesign with our identity, hardened runtime and a secure timestamp (notarization needs all three)
sign() {
    if [[ -n "$KEYCHAIN_ARGS" ]]; then
        codesign --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" \
            --keychain "$MACOS_KEYCHAIN" "$@"
    else
        codesign --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$@"
    fi
}

# paths under $1 matching find's further arguments, deepest first (bundles after their contents)
deepest_first() {
    find "$@" -print | awk -F/ '{ print NF "\t" $0 }' | sort -rn | cut -f2-
}

# -- 1. Sign, inside out ---------------------------------------------------------------------------
step "Signing the Mach-O files inside the app"
# Finder metadata and other extended attributes make codesign refuse the bundle.
xattr -cr "$APP"
count=0
# Regular files only: PyInstaller links Contents/MacOS, Frameworks and Resources with symlinks,
# and codesign seals a symlink as a symlink.
while IFS= read -r path; do
    kind="$(file -b "$path")"
    case "$kind" in
        *Mach-O*executable*)
            # Executables get the entitlements; libraries inherit them from the process.
            sign --entitlements "$ENTITLEMENTS" "$path" ;;
        *Mach-O*)
            sign "$path" ;;
        *) continue ;;
    esac
    count=$((count + 1))
done < <(deepest_first "$APP/Contents" -type f)
echo "signed $count Mach-O files"

step "Signing the frameworks"
while IFS= read -r framework; do
    if [[ -f "$framework/Resources/Info.plist" || -f "$framework/Versions/Current/Resources/Info.plist" ]]; then
        sign "$framework"
    else
        echo "  no Info.plist, left as signed files: ${framework#"$APP"/}"
    fi
done < <(deepest_first "$APP/Contents" -type d -name '*.framework')

step "Signing the app"
sign --entitlements "$ENTITLEMENTS" "$APP"

# -- 2. Verify ---------------------------------------------------------------------------------------
step "Verifying the signature"
codesign --verify --deep --strict --verbose=2 "$APP"
details="$(codesign --display --verbose=2 "$APP" 2>&1)"
printf '%s\n' "$details" | grep -E '^(Identifier|Authority|TeamIdentifier|Timestamp|Runtime Version)=' || true
printf '%s\n' "$details" | grep -q 'flags=.*runtime' || die "the app is signed without the hardened runtime"
printf '%s\n' "$details" | grep -q '^Timestamp=' || die "the app's signature has no secure timestamp"
codesign --display --entitlements - "$APP"

if [[ "$SKIP_SMOKE" != 1 ]]; then
    step "Smoke test of the signed app (hardened runtime on)"
    env -u PRIVATE_COPILOT_BASEDIR "$MAIN_EXE" --smoke-test ||
        die "the signed app failed its smoke test: see above (a library refused by library validation,
    or memory refused by the hardened runtime, shows here; compare with the unsigned build)"
fi

# -- notarytool submit --wait, and fail clearly unless the verdict is Accepted -------------------------
json_field() {  # json_field FILE KEY: a top-level string of notarytool's JSON output
    plutil -extract "$2" raw -o - "$1" 2>/dev/null ||
        sed -n "s/.*\"$2\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}
notarize() {
    local file="$1" result id status
    result="$WORK/notary-$(basename "$file").json"
    echo "submitting $(basename "$file") to Apple's notary service (minutes, sometimes more)..."
    notarytool submit "$file" --wait --output-format json >"$result" || true
    id="$(json_field "$result" id || true)"
    status="$(json_field "$result" status || true)"
    echo "submission ${id:-?}: ${status:-no answer}"
    if [[ "$status" != Accepted ]]; then
        cat "$result" >&2 || true
        if [[ -n "$id" ]]; then
            echo "--- notary log ---" >&2
            notarytool log "$id" >&2 || true
        fi
        die "notarization of $(basename "$file") was not accepted (status: ${status:-none})"
    fi
}

# -- 3. Notarize and staple the app -------------------------------------------------------------------
if [[ "$NOTARY_MODE" != none && "$STAPLE_APP" == 1 ]]; then
    step "Notarizing the app"
    ZIP="$WORK/$(basename "$APP" .app).zip"
    ditto -c -k --keepParent "$APP" "$ZIP"
    notarize "$ZIP"
    xcrun stapler staple "$APP"
    xcrun stapler validate "$APP"
fi

# -- 4. The disk image --------------------------------------------------------------------------------
step "Building $(basename "$DMG")"
STAGE="$WORK/dmg"
mkdir -p "$STAGE"
ditto "$APP" "$STAGE/$(basename "$APP")"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Private Copilot" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
# A disk image is signed without the hardened runtime option (it is not code that runs).
if [[ -n "$KEYCHAIN_ARGS" ]]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" --keychain "$MACOS_KEYCHAIN" "$DMG"
else
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
fi
codesign --verify --strict --verbose=2 "$DMG"

if [[ "$NOTARY_MODE" != none ]]; then
    step "Notarizing the disk image"
    notarize "$DMG"
    xcrun stapler staple "$DMG"
    xcrun stapler validate "$DMG"
fi

# -- Gatekeeper's verdict -------------------------------------------------------------------------------
step "Gatekeeper assessment (spctl)"
if [[ "$NOTARY_MODE" == none ]]; then
    echo "(not notarized: 'rejected' / 'Unnotarized Developer ID' is expected below)"
    spctl -a -vv -t exec "$APP" || true
    spctl -a -vv -t open --context context:primary-signature "$DMG" || true
else
    if [[ "$STAPLE_APP" == 1 ]]; then
        spctl -a -vv -t exec "$APP"
    fi
    spctl -a -vv -t open --context context:primary-signature "$DMG"
fi

step "Done: $DMG"
shasum -a 256 "$DMG"
