"""The I/O floor: read each file and write it back unchanged, in plain Python."""

import pathlib, sys  # noqa: E401, I001

src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for path in sorted(src.rglob("*.txt")):
    (dst / path.relative_to(src)).parent.mkdir(parents=True, exist_ok=True)
    (dst / path.relative_to(src)).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
