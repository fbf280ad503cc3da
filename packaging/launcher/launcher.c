/*
 * SelfCheck.exe: starts the windowed program (SelfCheck-app.exe, beside it) and returns its exit code.
 *
 * The windowed program embeds Python, which sets up sys.stdout from whatever standard handles it inherits and
 * refuses to start when such a handle is unusable (under Wine, a redirect to a file gives one). A window program
 * never needs standard output, so this launcher gives it the NUL device for all three handles, whatever it was
 * started with, and lets it bring its window to the front.
 *
 * No C runtime: only kernel32 and user32, so the launcher carries no third-party code.
 * Build: x86_64-w64-mingw32-gcc -O2 -ffreestanding -nostdlib -fno-stack-protector -mno-stack-arg-probe
 *        -Wl,--subsystem,windows -Wl,--entry,launcher_main launcher.c resource.o -lkernel32 -luser32
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

static const wchar_t APP_NAME[] = L"SelfCheck-app.exe";

static SIZE_T wlen(const wchar_t *s) { SIZE_T n = 0; while (s[n]) n++; return n; }

static void wcopy(wchar_t *dst, const wchar_t *src) { while ((*dst++ = *src++)) {} }

static void zero(void *p, SIZE_T n) { volatile unsigned char *b = p; while (n--) *b++ = 0; }

/* The command line after the program name (quoted or not), as CommandLineToArgvW would split it. */
static const wchar_t *arguments(const wchar_t *cmd) {
    if (*cmd == L'"') {
        cmd++;
        while (*cmd && *cmd != L'"') cmd++;
        if (*cmd) cmd++;
    } else {
        while (*cmd && *cmd != L' ' && *cmd != L'\t') cmd++;
    }
    while (*cmd == L' ' || *cmd == L'\t') cmd++;
    return cmd;
}

static HANDLE open_nul(DWORD access) {
    SECURITY_ATTRIBUTES inherit;
    zero(&inherit, sizeof inherit);
    inherit.nLength = sizeof inherit;
    inherit.bInheritHandle = TRUE;
    return CreateFileW(L"NUL", access, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, NULL);
}

static void fail(const wchar_t *text) {
    MessageBoxW(NULL, text, L"学校专项自查", MB_ICONERROR | MB_OK);
    ExitProcess(1);
}

void launcher_main(void) {
    HANDLE heap = GetProcessHeap();
    DWORD size = 32768;
    wchar_t *exe = HeapAlloc(heap, HEAP_ZERO_MEMORY, (size + 32) * sizeof(wchar_t));
    if (!exe) ExitProcess(1);
    DWORD n = GetModuleFileNameW(NULL, exe, size);
    if (n == 0 || n >= size) fail(L"无法确定程序所在的文件夹。");
    wchar_t *name = exe;
    for (wchar_t *p = exe; *p; p++) if (*p == L'\\' || *p == L'/') name = p + 1;
    wcopy(name, APP_NAME);

    const wchar_t *args = arguments(GetCommandLineW());
    SIZE_T length = wlen(exe) + wlen(args) + 4;
    wchar_t *cmd = HeapAlloc(heap, HEAP_ZERO_MEMORY, length * sizeof(wchar_t));
    if (!cmd) ExitProcess(1);
    wchar_t *out = cmd;
    *out++ = L'"';
    wcopy(out, exe);
    out += wlen(exe);
    *out++ = L'"';
    *out++ = L' ';
    wcopy(out, args);

    STARTUPINFOW si;
    zero(&si, sizeof si);
    si.cb = sizeof si;
    STARTUPINFOW mine;
    zero(&mine, sizeof mine);
    mine.cb = sizeof mine;
    GetStartupInfoW(&mine);
    si.dwFlags = STARTF_USESTDHANDLES | (mine.dwFlags & STARTF_USESHOWWINDOW);
    si.wShowWindow = mine.wShowWindow;
    si.hStdInput = open_nul(GENERIC_READ);
    si.hStdOutput = open_nul(GENERIC_WRITE);
    si.hStdError = open_nul(GENERIC_WRITE);

    PROCESS_INFORMATION pi;
    zero(&pi, sizeof pi);
    AllowSetForegroundWindow(ASFW_ANY);
    if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        fail(L"无法启动学校专项自查（SelfCheck-app.exe）。请重新安装本程序。");
    CloseHandle(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    ExitProcess(code);
}
