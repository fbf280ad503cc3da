; NSIS script for the SelfCheck (学校专项自查) Windows installer.
; Built by packaging/build_windows.sh, which passes:
;   /DAPP_VERSION=0.1.0 /DAPP_VERSION4=0.1.0.0 /DPUBLISHER=... /DBUNDLE_DIR=<PyInstaller folder>
;   /DOUT_FILE=<setup.exe> /DICON_FILE=<selfcheck.ico>
; Per-user install (no administrator rights) into %LOCALAPPDATA%\Programs\SelfCheck. The uninstaller
; removes only the program files it installed: workbooks, photos, keys and logs live in
; %LOCALAPPDATA%\SelfCheck (or wherever the user saved them) and are never touched.

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef APP_VERSION
  !error "APP_VERSION is not defined (run packaging/build_windows.sh)"
!endif
!ifndef APP_VERSION4
  !error "APP_VERSION4 is not defined"
!endif
!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR is not defined"
!endif
!ifndef OUT_FILE
  !error "OUT_FILE is not defined"
!endif
!ifndef ICON_FILE
  !error "ICON_FILE is not defined"
!endif
!ifndef PUBLISHER
  !define PUBLISHER "SelfCheck team"
!endif

!define APP_NAME "学校专项自查"
!define APP_ID "SelfCheck"
!define MAIN_EXE "SelfCheck.exe"
!define CLI_EXE "selfcheck-cli.exe"
; The window program; MAIN_EXE is the launcher that starts it (packaging/launcher/launcher.c).
!define APP_EXE "SelfCheck-app.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SHORTCUT_NAME "${APP_NAME}.lnk"
; Licences of the bundled third-party software (packaging/notices.py writes it into the bundle folder).
!define NOTICES_FILE "THIRD-PARTY-NOTICES.txt"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

Name "${APP_NAME}"
Caption "${APP_NAME} ${APP_VERSION} 安装程序"
UninstallCaption "${APP_NAME} 卸载程序"
BrandingText "${APP_NAME} ${APP_VERSION}"
OutFile "${OUT_FILE}"
; No admin: install for the current user only.
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
; An existing install is upgraded where it is (the /D= command-line option still wins).
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${APP_VERSION4}"
VIFileVersion "${APP_VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "© ${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${APP_VERSION}"

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "确定要退出 ${APP_NAME} 的安装吗？"

!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${APP_NAME} ${APP_VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本向导将在您的电脑上安装“${APP_NAME}”。$\r$\n$\r$\n\
本程序只为当前 Windows 用户安装，不需要管理员权限。$\r$\n$\r$\n\
如果电脑上已安装旧版本，本向导会在原位置直接升级，您的自查工作簿不受影响。$\r$\n$\r$\n\
点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APP_NAME} 安装完成"
!define MUI_FINISHPAGE_TEXT "“${APP_NAME}”已安装到您的电脑上，可从桌面或“开始”菜单的快捷方式打开。$\r$\n$\r$\n\
本程序使用的开源软件及其许可证列在安装目录的 ${NOTICES_FILE} 文件中。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${MAIN_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行 ${APP_NAME}"
!define MUI_FINISHPAGE_LINK "查看第三方软件许可"
!define MUI_FINISHPAGE_LINK_LOCATION "$INSTDIR\${NOTICES_FILE}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APP_NAME} 已卸载"
!define MUI_FINISHPAGE_TEXT "“${APP_NAME}”的程序文件已从您的电脑上删除。$\r$\n$\r$\n\
您的自查工作簿、照片、密钥和导出的报告没有被删除，仍保存在 $LOCALAPPDATA\${APP_ID} 或您自己选择的位置。"
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"

Var PreviousDir

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP|MB_OK "${APP_NAME} 需要 64 位的 Windows 10 或更高版本。" /SD IDOK
    Abort
  ${EndIf}
  SetShellVarContext current
  ReadRegStr $PreviousDir HKCU "${UNINST_KEY}" "InstallLocation"
FunctionEnd

; Removes the program files of an earlier version before the new ones are copied, so files that the new
; version no longer ships do not linger. Runs the old uninstaller in place (it knows exactly what it
; installed) and falls back to deleting the bundle folder when that uninstaller is missing.
!macro RemovePreviousProgramFiles DIR
  ${If} ${FileExists} "${DIR}\${UNINSTALLER}"
    DetailPrint "正在删除旧版本的程序文件：${DIR}"
    ; _?= makes the uninstaller run in place and wait; it cannot delete itself then, so we do.
    ExecWait '"${DIR}\${UNINSTALLER}" /S _?=${DIR}' $0
    Delete "${DIR}\${UNINSTALLER}"
  ${EndIf}
  RMDir /r "${DIR}\_internal"
  Delete "${DIR}\${MAIN_EXE}"
  Delete "${DIR}\${APP_EXE}"
  Delete "${DIR}\${CLI_EXE}"
  Delete "${DIR}\${NOTICES_FILE}"
!macroend

Section "!${APP_NAME}" SecMain
  SectionIn RO
  SetShellVarContext current
  ${If} $PreviousDir != ""
  ${AndIf} $PreviousDir != $INSTDIR
    !insertmacro RemovePreviousProgramFiles "$PreviousDir"
    RMDir "$PreviousDir"
  ${EndIf}
  !insertmacro RemovePreviousProgramFiles "$INSTDIR"

  SetOutPath "$INSTDIR"
  SetOverwrite on
  File "/oname=${MAIN_EXE}" "${BUNDLE_DIR}/${MAIN_EXE}"
  File "/oname=${APP_EXE}" "${BUNDLE_DIR}/${APP_EXE}"
  File "/oname=${CLI_EXE}" "${BUNDLE_DIR}/${CLI_EXE}"
  File "/oname=${NOTICES_FILE}" "${BUNDLE_DIR}/${NOTICES_FILE}"
  File /r "${BUNDLE_DIR}/_internal"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateDirectory "$SMPROGRAMS"
  CreateShortcut "$SMPROGRAMS\${SHORTCUT_NAME}" "$INSTDIR\${MAIN_EXE}" "" "$INSTDIR\${MAIN_EXE}" 0
  CreateShortcut "$DESKTOP\${SHORTCUT_NAME}" "$INSTDIR\${MAIN_EXE}" "" "$INSTDIR\${MAIN_EXE}" 0

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${MAIN_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only what the installer put here: never RMDir /r $INSTDIR, which may be a folder the user chose
  ; and filled with other files.
  Delete "$SMPROGRAMS\${SHORTCUT_NAME}"
  Delete "$DESKTOP\${SHORTCUT_NAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${MAIN_EXE}"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${NOTICES_FILE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DetailPrint "您的工作簿和数据保存在 $LOCALAPPDATA\${APP_ID}，没有被删除。"
SectionEnd
