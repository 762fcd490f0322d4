"""The reference: read each file, ftfy.fix_text it, write it (issue 6's "five-line script")."""

import pathlib, sys, ftfy  # noqa: E401, I001 - kept as short as the script it stands for

src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for path in sorted(src.rglob("*.txt")):
    (dst / path.relative_to(src)).parent.mkdir(parents=True, exist_ok=True)
    (dst / path.relative_to(src)).write_text(ftfy.fix_text(path.read_text(encoding="utf-8")), encoding="utf-8")
