"""Errors the CLI turns into one line on stderr and an exit code."""


class VerifierError(Exception):
    """Base class: the message is shown to the user as is."""

    exit_code = 1


class InputError(VerifierError):
    """Bad input from the user: a missing, binary or malformed file, a bad id."""

    exit_code = 2


class StoreError(VerifierError):
    """The database cannot be opened or written."""

    exit_code = 1


class CorruptDatabaseError(StoreError):
    exit_code = 2


class LockedError(StoreError):
    exit_code = 1
