"""The one error type the ``jazari`` command turns into a clear line and an exit status."""

__all__ = ["JazariError"]


class JazariError(Exception):
    """A problem the user can fix: bad input, a missing course, an unknown unit.

    The message is one line (or one line per problem) that names the file or the thing at
    fault and says what is wrong.
    """
