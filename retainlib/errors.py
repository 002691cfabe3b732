"""Exceptions raised by retainlib.

Every error a user can cause derives from :class:`RetainlibError`, so callers
(the CLI, the report runner) can catch one class and show its one-sentence
message instead of a traceback.
"""

from __future__ import annotations

import reprlib


def one_line(exc: BaseException | str) -> str:
    r"""A message on exactly one line, for a terminal, a log or a CSV cell.

    Line breaks and other control characters (in a file name someone gave,
    say) are shown as escapes rather than starting a new line.

    >>> print(one_line(ValueError("file 'a\nb.csv' not found\n")))
    file 'a\nb.csv' not found
    """
    text = str(exc).strip()
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


_EXCERPT = reprlib.Repr()  # keyword arguments need Python 3.12
for _name, _limit in {"maxlevel": 2, "maxtuple": 3, "maxlist": 3, "maxdict": 3, "maxset": 3,
                      "maxfrozenset": 3, "maxstring": 40, "maxother": 40, "maxlong": 40}.items():
    setattr(_EXCERPT, _name, _limit)


def excerpt(value: object) -> str:
    """A short, cut ``repr`` of a value someone gave, safe to quote in a message.

    The representation is bounded however large or deeply nested the value is (a
    YAML alias bomb expands to gigabytes), so a message never grows with the input.

    >>> excerpt([[1, 2, 3, 4]] * 1000)
    '[[1, 2, 3, ...], [1, 2, 3, ...], [1, 2, 3, ...], ...]'
    >>> excerpt("x" * 100)
    "'xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx'"
    """
    return one_line(_EXCERPT.repr(value))


class RetainlibError(Exception):
    """Root of every error retainlib raises on purpose."""


class DataError(RetainlibError, ValueError):
    """Input data (a file, a column, a row, a frame) cannot be used as given."""


class ConfigError(RetainlibError, ValueError):
    """A client or batch configuration is invalid."""


class ConvergenceError(RetainlibError, RuntimeError):
    """A model fit did not converge.

    Parameters
    ----------
    message : str
        What failed and a checklist of what to try.
    result : object, optional
        The optimizer's result (``scipy.optimize.OptimizeResult``) for inspection.
    """

    def __init__(self, message: str, result: object = None) -> None:
        super().__init__(message)
        self.result = result


class NotFittedError(RetainlibError, AttributeError):
    """A model was used for prediction before ``fit`` was called."""


class ReportError(RetainlibError, RuntimeError):
    """A report notebook failed to execute or render."""


class OutputError(RetainlibError):
    """An output cannot be written, or would replace something retainlib did not write."""


class RetainlibWarning(UserWarning):
    """A data or model issue worth the analyst's attention that does not stop the analysis."""


class DateOrderWarning(RetainlibWarning):
    """Dates that are impossible in the requested day/month order would parse in the other.

    Usually the file writes the day first and the config (or ``dayfirst``)
    says month first, or the other way round.
    """
