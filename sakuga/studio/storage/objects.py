"""A library's files in S3-compatible object storage (AWS S3, MinIO, SeaweedFS, R2…).

``SAKUGA_STORAGE_URL=s3://BUCKET[/PREFIX]`` points a library at a bucket; the endpoint
comes from ``SAKUGA_S3_ENDPOINT`` (left out: AWS itself), and the credentials from the
usual ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (or any source boto3 reads).
Keys are the files' content hashes (``PREFIX/ab/abcdef….png``), as on disk: a file is
written once, whole (a PUT is atomic), before any row names it, so no row points at a
missing object and an interrupted job leaves at worst an unreferenced object that
`Library.repair` removes once it is old enough.

When the store cannot be reached, every call says so in one line
(`StorageUnavailableError`): a job fails with that message, having written no row, and
the same job run again later succeeds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlparse

from sakuga.errors import NotFoundError, OutputError, SakugaError
from sakuga.install import install_hint
from sakuga.settings import settings
from sakuga.studio.storage.files import check_name

#: Seconds to wait for the store before a call fails (a job should fail, not hang).
TIMEOUT: Final = 10.0


class StorageUnavailableError(SakugaError):
    """The object store could not be reached or refused the call."""


def storage_url() -> str | None:
    """``SAKUGA_STORAGE_URL``, when set: where a library keeps its files."""
    return settings().storage_url


class ObjectStore:
    """Content-addressed image files in a bucket (see the module's docstring)."""

    def __init__(
        self,
        url: str,
        cache: Path,
        *,
        endpoint: str | None = None,
        client: Any = None,
    ) -> None:
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise OutputError(f"storage URL must be s3://BUCKET[/PREFIX], got {url!r}")
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        self.url = url
        self.cache = cache
        self.endpoint = endpoint or settings().s3_endpoint
        self._client = client or _client(self.endpoint)

    # ---- keys ---------------------------------------------------------------------

    def _key(self, digest: str, ext: str) -> str:
        name = check_name(digest, ext)
        return f"{self.prefix}/{name}" if self.prefix else name

    def location(self, digest: str, ext: str) -> str:
        return f"s3://{self.bucket}/{self._key(digest, ext)}"

    def local_path(self, digest: str, ext: str) -> Path | None:
        return None  # served from its bytes

    # ---- calls ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _calling(self, what: str) -> Iterator[None]:
        """One store call; any failure to reach it becomes one clear line."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "?")
            raise StorageUnavailableError(
                f"the object store refused to {what} ({code}) in s3://{self.bucket}"
            ) from None
        except BotoCoreError as exc:
            raise StorageUnavailableError(
                f"the object store at {self.endpoint or 'AWS S3'} is unavailable "
                f"({type(exc).__name__}): could not {what}"
            ) from None

    def write(self, digest: str, ext: str, data: bytes) -> None:
        """Store ``data`` under its hash, unless an object of that content is there."""
        if self.exists(digest, ext):
            return
        with self._calling("store a file"):
            self._client.put_object(
                Bucket=self.bucket,
                Key=self._key(digest, ext),
                Body=data,
                ContentType=f"image/{'jpeg' if ext == 'jpg' else ext}",
            )

    def read(self, digest: str, ext: str) -> bytes:
        with self._calling("read a file"):
            answer = self._client.get_object(Bucket=self.bucket, Key=self._key(digest, ext))
            return bytes(answer["Body"].read())

    def exists(self, digest: str, ext: str) -> bool:
        return self._head(digest, ext) is not None

    def modified(self, digest: str, ext: str) -> float:
        head = self._head(digest, ext)
        if head is None:
            raise FileNotFoundError(self.location(digest, ext))
        return float(head["LastModified"].timestamp())

    def _head(self, digest: str, ext: str) -> dict[str, Any] | None:
        """The object's metadata, or None when there is no such object."""
        from botocore.exceptions import ClientError

        with self._calling("look up a file"):
            try:
                head: dict[str, Any] = self._client.head_object(
                    Bucket=self.bucket, Key=self._key(digest, ext)
                )
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                    return None
                raise
            return head

    def remove(self, digest: str, ext: str) -> None:
        with self._calling("delete a file"):
            self._client.delete_object(Bucket=self.bucket, Key=self._key(digest, ext))

    def all_files(self) -> list[tuple[str, str]]:
        """(hash, ext) of every stored object under the prefix."""
        found: list[tuple[str, str]] = []
        start = f"{self.prefix}/" if self.prefix else ""
        with self._calling("list the files"):
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start
            )
            for page in pages:
                for item in page.get("Contents", ()):
                    name = item["Key"][len(start) :]
                    digest, _, ext = name.rpartition("/")[2].partition(".")
                    try:
                        check_name(digest, ext)
                    except NotFoundError:
                        continue
                    found.append((digest, ext))
        return found

    def temporary_leftovers(self) -> list[Path]:
        return []  # a PUT is whole or absent

    def free_bytes(self) -> int | None:
        return None  # a bucket has no free space to read

    def reachable(self) -> bool:
        """Whether the bucket answers (one HEAD call): for health checks."""
        try:
            with self._calling("reach the bucket"):
                self._client.head_bucket(Bucket=self.bucket)
        except StorageUnavailableError:
            return False
        return True

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """No lock spans machines: repair's age rule keeps a file whose row is not
        committed yet (see `Library.repair`)."""
        yield

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        yield False


def _client(endpoint: str | None) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise OutputError(f"object storage needs boto3: {install_hint('s3')}") from None
    config = Config(
        connect_timeout=TIMEOUT,
        read_timeout=TIMEOUT,
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path"},
    )
    # A session of its own: the default one keeps the credentials it first read.
    return boto3.session.Session().client("s3", endpoint_url=endpoint, config=config)
