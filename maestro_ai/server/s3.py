"""Track and upload folders in an S3-compatible bucket (AWS S3, MinIO, Ceph, moto), for servers
and workers on more than one machine: `--files s3://bucket/prefix`. The endpoint and the
credentials are boto3's own settings (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ... or ~/.aws).

A folder's location is s3://bucket/prefix/name; its files are the objects under it. Work that
needs files on disk (mastering, analysis, a variation) gets a temporary local copy, and what it
adds to the copy is uploaded back. A finished track is uploaded before the job is recorded as
done, so a track never appears half-stored.
"""
from __future__ import annotations

import mimetypes
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from starlette.responses import Response, StreamingResponse

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.server.files import LocalFiles, folder_files

CHUNK = 1 << 20


def split_url(url: str) -> tuple[str, str]:
    """(bucket, key prefix) of s3://bucket/prefix/.

    >>> split_url("s3://songs/maestro/tracks"), split_url("s3://songs")
    (('songs', 'maestro/tracks/'), ('songs', ''))
    """
    if not url.startswith("s3://") or not url[5:].split("/", 1)[0]:
        raise InvalidRequest(f"an S3 location is s3://bucket[/prefix], not {url!r:.60}")
    bucket, _, prefix = url[5:].partition("/")
    return bucket, (prefix.strip("/") + "/") if prefix.strip("/") else ""


class S3Files:
    """Folders under s3://bucket/prefix (checked at once: a bucket that cannot be reached is a
    clear error, not a failure at the first song)."""

    local = False  # a kept folder's local copy may go

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.bucket, self.prefix = split_url(url)
        self.client = boto3.client("s3")
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise InvalidRequest(f"cannot reach the bucket {self.bucket!r} ({url}): {str(exc).splitlines()[0]}") from None

    def describe(self) -> str:
        return self.url

    def _key(self, location: str) -> str:
        bucket, key = split_url(location)
        if bucket != self.bucket:
            raise InvalidRequest(f"{location} is not in this server's bucket {self.bucket!r}")
        return key

    def keep(self, folder: Path, name: str) -> str:
        """Upload a finished local folder as `name`; its location (the local folder stays: the
        caller removes it)."""
        for file in folder_files(folder):
            self.client.upload_file(str(folder / file), self.bucket, f"{self.prefix}{name}/{file}")
        return f"s3://{self.bucket}/{self.prefix}{name}"

    def names(self, location: str) -> list[str]:
        key = self._key(location)
        names = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=key):
            names += [item["Key"][len(key):] for item in page.get("Contents", [])]
        return sorted(names)

    def response(self, location: str, name: str) -> Response:
        answer = self.client.get_object(Bucket=self.bucket, Key=self._key(location) + name)
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StreamingResponse(answer["Body"].iter_chunks(CHUNK), media_type=kind,
                                 headers={"Content-Length": str(answer["ContentLength"]),
                                          "Content-Disposition": f'attachment; filename="{Path(name).name}"'})

    def read_bytes(self, location: str, name: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(location) + name)["Body"].read()

    @contextmanager
    def local_file(self, location: str, name: str) -> Iterator[Path]:
        folder = Path(tempfile.mkdtemp(prefix="maestro-s3-"))
        try:
            path = folder / Path(name).name
            self.client.download_file(self.bucket, self._key(location) + name, str(path))
            yield path
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @contextmanager
    def working_folder(self, location: str) -> Iterator[Path]:
        """A local copy of the folder; the files added or changed in it are uploaded after."""
        key = self._key(location)
        folder = Path(tempfile.mkdtemp(prefix="maestro-s3-"))
        try:
            before = {}
            for name in self.names(location):
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                self.client.download_file(self.bucket, key + name, str(folder / name))
                before[name] = (folder / name).stat().st_mtime_ns
            yield folder
            for name in folder_files(folder):
                if before.get(name) != (folder / name).stat().st_mtime_ns:
                    self.client.upload_file(str(folder / name), self.bucket, key + name)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def remove(self, location: str) -> None:
        for name in self.names(location):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(location) + name)


def file_store(url: str | None, work_dir: Path) -> LocalFiles | S3Files:
    """The file store a URL names: s3://bucket/prefix, else the local folder `work_dir`."""
    return S3Files(url) if url else LocalFiles(work_dir)
