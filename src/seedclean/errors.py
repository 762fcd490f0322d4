"""Errors that are the user's to fix: shown as one clear line, never a traceback."""


class UserError(Exception):
    """A mistake in the command line, a config or rule file, or an input path.

    The message names the thing and says what to do; the CLI prints it and
    exits with status 2.
    """

    exit_status = 2


class FileProblem(UserError):
    """An input file could not be cleaned and the run was told to stop
    (``--strict``): exit status 1, like any run where files failed."""

    exit_status = 1


class InputFileError(Exception):
    """One input file cannot be normalized (not text, unknown encoding...).

    The run goes on with the other files; the problem is listed at the end.
    """

    def __init__(self, path: str, kind: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.kind = kind
        self.message = message
