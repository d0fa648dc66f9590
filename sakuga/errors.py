"""Sakuga's exceptions.

    SakugaError                     every error Sakuga raises on purpose
    ├── SpecError                   an ArtSpec, style or use that is not valid
    │   └── DirectiveError          a prompt whose seed:/count:/… lines contradict each other
    ├── ImageError                  an image that cannot be used
    │   ├── EmptyImageError         zero-byte file
    │   ├── UnsupportedFormatError  wrong magic, or a format outside the allow-list
    │   ├── ImageTooLargeError      more pixels than the cap (decompression bombs)
    │   └── TruncatedImageError     a file that ends before its image does
    ├── MaskError                   a mask of the wrong size or kind
    ├── EngineError                 an engine failed to make pixels
    │   ├── EngineUnavailableError  the engine cannot run here (and says why)
    │   ├── UnsupportedTaskError    the engine does not do that task
    │   ├── ModelError              a model file that is missing or not allowed
    │   ├── CancelledError          the job was cancelled while it ran
    │   │   └── TimeLimitError      the job ran past the server's time limit
    │   ├── EngineAuthError         a hosted engine refused the credentials
    │   ├── EngineRequestError      a hosted engine rejected an argument (names it)
    │   ├── RateLimitError          a hosted engine's rate limit, with when to retry
    │   ├── ContentPolicyError      a hosted engine's moderation refused the request
    │   └── UpstreamError           a hosted engine failed or timed out after retries
    ├── OutputError                 a result that cannot be written where asked
    │   └── StorageFullError        no room left on the disk (or quota)
    └── LibraryError                something the library cannot do (a bad rating…)
        └── NotFoundError           an id or name the library does not have

Every message is one line a creator can act on.
"""

from __future__ import annotations


class SakugaError(Exception):
    """Base class of every error Sakuga raises on purpose."""


class SpecError(SakugaError, ValueError):
    """An ArtSpec, style or use that is not valid."""


class DirectiveError(SpecError):
    """A prompt whose own ``seed:``, ``count:``, ``style:``… lines contradict each other.

    Front ends report it as a usage error (the CLI exits 2).
    """


class ImageError(SakugaError):
    """An image that cannot be used."""


class EmptyImageError(ImageError):
    """A zero-byte file."""


class UnsupportedFormatError(ImageError):
    """Wrong magic bytes, or a format outside the allow-list."""


class ImageTooLargeError(ImageError):
    """More pixels than the cap allows (decompression bomb protection)."""


class TruncatedImageError(ImageError):
    """A file that ends before its image does, or whose data is corrupt."""


class MaskError(SakugaError, ValueError):
    """A mask of the wrong size or kind."""


class EngineError(SakugaError):
    """An engine failed to make pixels."""


class EngineUnavailableError(EngineError):
    """The engine cannot run on this machine; the message says what to do."""


class UnsupportedTaskError(EngineError):
    """The engine does not do the requested task."""


class ModelError(EngineError):
    """A model file that is missing, unreadable or of a kind Sakuga refuses to load."""


class OutputError(SakugaError):
    """A result that cannot be written where asked."""


class StorageFullError(OutputError):
    """No room left on the disk (or over quota): nothing was written."""


class CancelledError(EngineError):
    """The creator cancelled the job while it ran."""


class TimeLimitError(CancelledError):
    """The job ran past the server's time limit and was stopped (it failed)."""


class EngineAuthError(EngineError):
    """A hosted engine refused the credentials (the message names the setting to check)."""


class EngineRequestError(EngineError, ValueError):
    """A hosted engine rejected an argument; the message names the parameter."""


class RateLimitError(EngineError):
    """A hosted engine's rate limit was still hit after retries."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        #: Seconds the service asked to wait, when it said.
        self.retry_after = retry_after


class ContentPolicyError(EngineError):
    """A hosted engine's moderation refused the request; the message is the service's."""


class UpstreamError(EngineError):
    """A hosted engine failed (5xx), timed out or could not be reached, after retries."""


def failure_code(exc: BaseException) -> str:
    """What kind of failure ended a job, as a front end maps it to an answer (the
    OpenAI-compatible API's status and code): the service's moderation, its rate limit,
    an argument it rejected, its outage, the server's time limit, or any other."""
    for kind, code in (
        (ContentPolicyError, "moderation_blocked"),
        (RateLimitError, "rate_limit_exceeded"),
        (EngineRequestError, "invalid_request"),
        (EngineAuthError, "engine_auth"),
        (UpstreamError, "upstream_error"),
        (TimeLimitError, "time_limit"),
    ):
        if isinstance(exc, kind):
            return code
    return "engine_error"


class LibraryError(SakugaError):
    """Something asked of the library that it cannot do (unknown id, bad rating…)."""


class NotFoundError(LibraryError):
    """An id or name the library does not have (HTTP 404)."""
