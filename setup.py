"""Optional compiled speed-ups, one C module per stage.

Every ``src/seedclean/<stage>/_native.c`` is built as ``seedclean.<stage>._native``
when a C compiler and the Python headers are present. Each is optional: the
stage keeps a pure-Python definition of the same functions, used when the
module is missing (or when ``SEEDCLEAN_PURE=1``), and the tests check that
both give the same results. Everything else about the package is in
pyproject.toml.
"""

from pathlib import Path

from setuptools import Extension, setup


def _native_modules() -> list[Extension]:
    return [
        Extension(
            f"seedclean.{source.parent.name}._native",
            [source.as_posix()],
            optional=True,
            extra_compile_args=["-O2"],
        )
        for source in sorted(Path("src/seedclean").glob("*/_native.c"))
    ]


setup(ext_modules=_native_modules())
