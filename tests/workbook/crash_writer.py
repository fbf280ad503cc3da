"""Writer process for the crash test: answers items and imports photos until killed, acknowledging each change.

Usage: python crash_writer.py WORKBOOK TRIAL. Prints READY, then after each call has returned one line:
"A <item_id> <value>" for an answer, "P <sha256 of the original>" for a photo.
"""

from __future__ import annotations

import hashlib
import io
import sys

from selfcheck.workbook.service import Workbook


def base_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((400, 300), 30).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def main() -> None:
    path, trial = sys.argv[1], int(sys.argv[2])
    jpeg = base_jpeg()
    wb = Workbook.open(path, actor=f"写入进程{trial}")
    items = [item.id for checklist in wb.inspections.checklists(1) for item in checklist.all_items()]
    print("READY", flush=True)
    n = 0
    while True:
        item = items[n % len(items)]
        value = str(trial * 100000 + n)
        wb.answers.set(1, item, value)
        print(f"A {item} {value}", flush=True)
        if n % 4 == 3:
            # Bytes after the JPEG end marker are ignored by decoders but make every original distinct.
            data = jpeg + f"trial {trial} photo {n}".encode()
            wb.photos.add_bytes(1, item, data, f"t{trial}-{n}.jpg")
            print(f"P {hashlib.sha256(data).hexdigest()}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
