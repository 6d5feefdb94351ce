"""Re-lists a bundle's files in its manifest after a hand edit (a corrected model card, an added
evaluation sheet), so the engine's size + sha256 check passes without re-exporting the weights:

    python3 -m training.mdm.rehash models/emoji-64

Every regular file beside manifest.json is listed, except the npm packaging of a shipped bundle
(package.json, README.md: models/<id>/ is also the package @matryoshka/model-<id>, whose version
may change without the bundle changing); nothing else in the manifest changes. The manifest is
replaced atomically.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from typing import Dict


NOT_LISTED = {"manifest.json", "package.json", "README.md"}


def file_entry(path: str) -> Dict[str, object]:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return {"sha256": h.hexdigest(), "bytes": os.path.getsize(path)}


def rehash(bundle: str) -> Dict[str, dict]:
    path = os.path.join(bundle, "manifest.json")
    with open(path, encoding="utf-8") as f:
        man = json.load(f)
    names = sorted(n for n in os.listdir(bundle) if n not in NOT_LISTED and not n.startswith(".")
                   and os.path.isfile(os.path.join(bundle, n)))
    man["files"] = {n: file_entry(os.path.join(bundle, n)) for n in names}
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(man, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    return man["files"]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bundle")
    args = ap.parse_args(argv)
    files = rehash(args.bundle)
    print(f"{args.bundle}: {len(files)} files, {sum(f['bytes'] for f in files.values()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
