#!/usr/bin/env bash
# Installs Debian packages with apt-get. When another apt or dpkg process (unattended-upgrades, a second terminal)
# holds the package locks, waits for it and says who it is waiting for, instead of failing at once with
# "Could not get lock". Used by `make run/test` and the Windows build.
#
# Usage: packaging/apt_install.sh PACKAGE...
# Environment: APT_LOCK_WAIT  seconds to wait for the locks (default 900)
#              APT_LOCK_FILES colon-separated lock files to watch (default: dpkg's and apt's own)
#              APT_GET        the apt-get command (default apt-get)
set -euo pipefail
WAIT="${APT_LOCK_WAIT:-900}"
IFS=: read -r -a LOCKS <<<"${APT_LOCK_FILES:-/var/lib/dpkg/lock-frontend:/var/lib/dpkg/lock:/var/lib/apt/lists/lock:/var/cache/apt/archives/lock}"
APT_GET="${APT_GET:-apt-get}"

# Prints "PID (command) holds FILE" for the first lock someone holds; nothing when all are free.
lock_holder() {
    python3 - "${LOCKS[@]}" <<'PYEOF'
import fcntl, os, struct, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        continue
    try:
        # struct flock on Linux x86-64/arm64: l_type, l_whence, l_start, l_len, l_pid (+ padding).
        query = struct.pack("@hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        l_type, _, _, _, pid = struct.unpack("@hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, query))
    except OSError:
        continue
    finally:
        os.close(fd)
    if l_type != fcntl.F_UNLCK:
        try:
            name = open(f"/proc/{pid}/comm", encoding="utf-8").read().strip()
        except OSError:
            name = "?"
        print(f"process {pid} ({name}) holds {path}")
        break
PYEOF
}

start=$(date +%s)
announced=""
while holder="$(lock_holder)" && [ -n "$holder" ]; do
    if [ $(( $(date +%s) - start )) -ge "$WAIT" ]; then
        echo "Gave up after ${WAIT} s waiting for another apt/dpkg run to finish: $holder" >&2
        exit 1
    fi
    if [ "$holder" != "$announced" ]; then
        echo "Waiting for another apt/dpkg run to finish before installing $*: $holder (up to ${WAIT} s)..." >&2
        announced="$holder"
    fi
    sleep 3
done

# The timeout also covers a run that starts between the check above and our own apt-get.
$APT_GET -o "DPkg::Lock::Timeout=$WAIT" update -qq
DEBIAN_FRONTEND=noninteractive $APT_GET -o "DPkg::Lock::Timeout=$WAIT" install -y -qq --no-install-recommends "$@"
