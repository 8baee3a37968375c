"""Where stored bytes live: under DATA_ROOT, or in an S3-compatible store when STORAGE_URL is set.

Every stored file (a data file, a preview) is named by a key: its path relative to DATA_ROOT,
`<instrument>/<yyyy>/<session>/<name>` or `previews/<xx>/<sha256>.png`. Without STORAGE_URL the key
is a file under DATA_ROOT, as it always was. With `STORAGE_URL=s3://bucket/prefix` the key is the
object `prefix/<key>` in that bucket (through django-storages and boto3), and DATA_ROOT keeps only
what is local by nature: staging (`.uploads/`, `.staging/`), caches (`plots/`, `search/`) and the bounded
copies that readers need as files (`cache/objects/`, least recently used first out, STORAGE_CACHE_MB).
Every caller asks this module; none joins DATA_ROOT with a stored name itself.
"""
import os
import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lims.sessions import storage as files

PIECE = 1024 * 1024
CACHE_FOLDER = "cache/objects"
STAGING_FOLDER = ".staging"
RECENT_SECONDS = 60  # a cached copy used this recently is never evicted (a reader may be about to open it)


def remote() -> bool:
    """Whether stored bytes live in an object store (STORAGE_URL) rather than under DATA_ROOT."""
    return bool(settings.STORAGE_URL)


def parse_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://bucket/prefix`; anything else is a configuration error naming STORAGE_URL."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"STORAGE_URL {url!r} is not of the form s3://bucket/prefix")
    return parts.netloc, parts.path.strip("/")


@cache
def _store(url: str, endpoint: str):
    from storages.backends.s3 import S3Storage

    bucket, prefix = parse_url(url)
    return S3Storage(bucket_name=bucket, location=prefix, endpoint_url=endpoint or None, file_overwrite=True)


def _object(key: str):
    store = _store(settings.STORAGE_URL, settings.AWS_S3_ENDPOINT_URL)
    name = f"{store.location}/{key}" if store.location else key
    return store.bucket.Object(name)


def clean_key(key: str) -> str:
    """`key` as a relative POSIX path that stays inside the store; ValueError for anything else."""
    path = PurePosixPath(key)
    if not key or path.is_absolute() or any(part in ("", ".", "..") for part in key.split("/")):
        raise ValueError(f"not a stored file's key: {key!r}")
    return path.as_posix()


def key_of(path: Path) -> str:
    """The key of a path under DATA_ROOT (how the models name where a file goes)."""
    return Path(path).relative_to(settings.DATA_ROOT).as_posix()


def local_path(key: str) -> Path:
    """The file under DATA_ROOT that holds `key` when bytes are local."""
    return Path(settings.DATA_ROOT) / clean_key(key)


def put(source: Path, key: str, keep_source: bool = False) -> None:
    """Store the finished local file `source` as `key`, durably, replacing what was there.

    Returns only once the bytes are stored (on disk and synced, or the object written).
    """
    if not remote():
        files.place(source, local_path(key), keep_source=keep_source)
        return
    _object(clean_key(key)).upload_file(str(source))
    if not keep_source:
        files.remove(Path(source))


def staging_path(key: str) -> Path:
    """Where to write a file that becomes `key` (then `store_staged`): its place under DATA_ROOT, or
    DATA_ROOT/.staging/<key> with object storage."""
    if not remote():
        return local_path(key)
    return Path(settings.DATA_ROOT) / STAGING_FOLDER / clean_key(key)


def store_staged(key: str) -> None:
    """Store what was written at `staging_path(key)` (nothing to do when bytes are local)."""
    if remote():
        put(staging_path(key), key)


def copy_in(source: Path, key: str) -> None:
    """Store a copy of `source` (a file outside the installation: a share, a folder being imported) as `key`."""
    if not remote():
        target = local_path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        return
    _object(clean_key(key)).upload_file(str(source))


def remove(key: str) -> None:
    """Forget the bytes of `key`; nothing happens when there are none."""
    if not remote():
        files.remove(local_path(key))
        return
    _object(clean_key(key)).delete()


def size(key: str) -> int | None:
    """Size in bytes of the stored `key`, or None when nothing is stored under it."""
    if not remote():
        path = local_path(key)
        return path.stat().st_size if path.is_file() else None
    from botocore.exceptions import ClientError

    try:
        return _object(clean_key(key)).content_length
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def exists(key: str) -> bool:
    return size(key) is not None


def listing() -> Iterator[tuple[str, datetime]]:
    """Every key in the object store under the prefix, in key order, with when it was last written.

    Object storage only (the local areas under DATA_ROOT are walked by their readers); read a page
    of keys at a time, so memory does not grow with the bucket.
    """
    store = _store(settings.STORAGE_URL, settings.AWS_S3_ENDPOINT_URL)
    prefix = f"{store.location}/" if store.location else ""
    for summary in store.bucket.objects.filter(Prefix=prefix):
        key = summary.key[len(prefix):]
        if key and not key.endswith("/"):  # folder markers some tools write hold no file
            yield key, summary.last_modified


def open_stored(key: str):
    """A readable binary file object streaming the bytes of `key` (the caller closes it)."""
    if not remote():
        return open(local_path(key), "rb")
    return _object(clean_key(key)).get()["Body"]


def sha256_of(key: str) -> str:
    """Hex sha256 of the stored bytes of `key`, read a MiB at a time (from the store itself when remote)."""
    with open_stored(key) as handle:
        return files.sha256_of_stream(handle)


def chunks(key: str, piece: int = PIECE) -> Iterator[bytes]:
    """The bytes of `key`, a piece at a time, opened only when the first piece is wanted."""
    with open_stored(key) as handle:
        while data := handle.read(piece):
            yield data


def response_body(key: str):
    """What a response streams for `key`: the open file when local (the server may send it with
    sendfile), else its pieces from the store, a MiB at a time."""
    return open_stored(key) if not remote() else chunks(key)


def _cache_root() -> Path:
    return Path(settings.DATA_ROOT) / CACHE_FOLDER


def _evict(keep: Path) -> None:
    """Remove the least recently used cached copies until the cache fits STORAGE_CACHE_MB."""
    cap = settings.STORAGE_CACHE_MB * 1024 * 1024
    entries = []
    for path in _cache_root().rglob("*"):
        try:
            if path.is_file() and not path.name.endswith(".part"):
                stat = path.stat()
                entries.append((stat.st_mtime, stat.st_size, path))
        except FileNotFoundError:
            continue
    total = sum(entry[1] for entry in entries)
    now = time.time()
    for used, length, path in sorted(entries):
        if total <= cap:
            break
        if path == keep or now - used < RECENT_SECONDS:
            continue
        files.remove(path)
        total -= length


def readable_path(key: str) -> Path:
    """A local file holding the bytes of `key`, for readers that need a path (extractors, plots).

    Local storage: the stored file itself. Object storage: a copy in DATA_ROOT/cache/objects/,
    fetched once and kept while it is among the most recently used (STORAGE_CACHE_MB in all).
    FileNotFoundError when nothing is stored under `key`.
    """
    if not remote():
        return local_path(key)
    target = _cache_root() / clean_key(key)
    if target.is_file():
        os.utime(target)
        return target
    if not exists(key):
        raise FileNotFoundError(f"stored object is missing: {key}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        with open_stored(key) as source, open(partial, "wb") as handle:
            shutil.copyfileobj(source, handle, PIECE)
        os.replace(partial, target)
    finally:
        files.remove(partial)
    _evict(keep=target)
    return target
