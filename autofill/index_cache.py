"""A disk cache of the parsed knowledge base and its matcher index, so that small forms start fast.

Parsing the YAML, checking every claim and building the matcher's index cost about 0.2 s a
run. The cache (one file a knowledge-base folder, in the user's cache folder) is keyed by
the contents of every file the base is read from and by autofill's own code, written
atomically, and ignored when stale, unreadable or corrupt. Only a base without problems is
cached, so every error is still reported by a fresh load.

The cache holds a pickle, and unpickling runs whatever code the data names; so every cache
file is signed (HMAC-SHA256) with a random key kept only in the user's data folder (mode
0600), and nothing is unpickled unless its signature checks. A file planted in the cache
folder is ignored and rebuilt, whatever it holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
import pickle
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from autofill.models import KnowledgeBase

if TYPE_CHECKING:
    from autofill.matching import Matcher

FORMAT = 3
MAGIC = b"autofill knowledge cache 3\n"  # then the HMAC, the key line and the pickle
_SIGNATURE = hashlib.sha256().digest_size
KEEP = 8  # cache files kept, the most recently written first (one per knowledge-base folder)


@dataclass
class _Loaded:
    kb: KnowledgeBase | None  # None until the base that had no cache is parsed
    key: str
    path: Path
    # each product's matcher, pickled apart and unpickled when a fill asks for it: a cache holding
    # four products' matchers cost 0.1 s a run to load whole, one of them 0.03 s
    matchers: dict[str | None, Matcher | bytes] = field(default_factory=dict)


# The base load_knowledge returned last, with the matchers built for it: held strongly, so
# "is" identifies it safely.
_last: _Loaded | None = None


def load(root: Path, files: list[Path]) -> KnowledgeBase | None:
    """The cached base read from `files`, or None when there is none or it is out of date."""
    global _last
    key, path = _key(root, files), cache_file(root)
    _last = None
    try:
        data = path.read_bytes()
        signature, body = data[len(MAGIC) : len(MAGIC) + _SIGNATURE], data[len(MAGIC) + _SIGNATURE :]
        secret = signing_key()
        # nothing is unpickled before the signature proves autofill wrote the file
        if not data.startswith(MAGIC) or secret is None or not hmac.compare_digest(signature, _sign(secret, body)):
            raise ValueError("not signed by this user's key")
        stored, _, pickled = body.partition(b"\n")
        if stored != key.encode():
            raise ValueError("stale")
        kb, matchers = pickle.loads(pickled)
        if (
            not isinstance(kb, KnowledgeBase)
            or not isinstance(matchers, dict)
            or not all(isinstance(m, bytes) for m in matchers.values())
        ):
            raise ValueError("not a knowledge-base cache")
    except Exception:  # any unreadable cache is rebuilt
        _last = _Loaded(None, key, path)
        return None
    _last = _Loaded(kb, key, path, matchers)
    return kb


def remember(kb: KnowledgeBase) -> None:
    """Note the freshly parsed base that load() had no cache for, so its matcher is saved with it."""
    if _last is not None and _last.kb is None:
        _last.kb = kb


def prebuilt(kb: KnowledgeBase, product: str | None) -> Matcher | None:
    """The cached matcher for this base and product, if load() found one."""
    if _last is None or _last.kb is not kb:
        return None
    found = _last.matchers.get(product)
    if isinstance(found, bytes):
        try:
            found = _Unpickler(io.BytesIO(found), kb).load()
        except Exception:  # (signed by us, so only a changed class can fail: the matcher is rebuilt)
            found = None
        if found is not None:
            _last.matchers[product] = found
    return found


def save(kb: KnowledgeBase, product: str | None, matcher: Matcher) -> None:
    """Store a newly built matcher with its base (best effort: a cache that cannot be written is skipped)."""
    if _last is None or _last.kb is not kb:
        return  # a base not loaded from disk by load_knowledge (a test's, a filtered copy)
    _last.matchers[product] = matcher
    from autofill.atomic import write_bytes_atomic

    secret = signing_key()
    if secret is None:
        return  # a cache nobody can verify is never written
    matchers = {p: m if isinstance(m, bytes) else _dumps(m, kb) for p, m in _last.matchers.items()}
    body = _last.key.encode() + b"\n" + pickle.dumps((kb, matchers), pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError):
        _last.path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(_last.path, MAGIC + _sign(secret, body) + body)
        old = sorted(_last.path.parent.glob("knowledge-*.pickle"), key=_mtime, reverse=True)[KEEP:]
        for stale in old:
            stale.unlink(missing_ok=True)


def _dumps(matcher: Matcher, kb: KnowledgeBase) -> bytes:
    """A matcher pickled apart from its base: the base and its claims by reference, so that the
    matcher unpickled on its own holds the very objects load() returned."""
    stream = io.BytesIO()
    _Pickler(stream, kb).dump(matcher)
    return stream.getvalue()


class _Pickler(pickle.Pickler):
    def __init__(self, stream: io.BytesIO, kb: KnowledgeBase) -> None:
        super().__init__(stream, pickle.HIGHEST_PROTOCOL)
        self._refs = {id(kb): ("kb", 0), **{id(c): ("claim", n) for n, c in enumerate(kb.claims)}}

    def persistent_id(self, obj: object) -> tuple[str, int] | None:
        return self._refs.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream: io.BytesIO, kb: KnowledgeBase) -> None:
        super().__init__(stream)
        self._kb = kb

    def persistent_load(self, pid: tuple[str, int]) -> object:
        kind, number = pid
        return self._kb if kind == "kb" else self._kb.claims[number]


def cache_file(root: Path) -> Path:
    import platformdirs

    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("autofill")) / f"knowledge-{digest}.pickle"


def key_file() -> Path:
    """The cache's signing key: in the user's data folder, apart from the cache it signs."""
    import platformdirs

    return Path(platformdirs.user_data_dir("autofill")) / "cache.key"


def signing_key() -> bytes | None:
    """This user's cache-signing key, made on first use; None when it can be neither read nor made."""
    path = key_file()
    with contextlib.suppress(OSError):
        info = path.lstat()
        # a key others could read or write (or a link to one) signs nothing: it is replaced
        private = stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077
        if private and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)():
            secret = path.read_bytes()
            if len(secret) == _SIGNATURE:
                return secret
    secret = os.urandom(_SIGNATURE)
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(secret)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return None
    return secret


def _sign(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).digest()


def _key(root: Path, files: list[Path]) -> str:
    """A digest of the base's folder as given, its files (names and contents) and autofill's code
    and word lists."""
    digest = hashlib.sha256(f"format {FORMAT}\n{root}\n".encode())
    # the code and the word lists it reads (vocabulary.yaml shapes every phrasing's reading)
    code = sorted([*Path(__file__).parent.glob("*.py"), *Path(__file__).parent.glob("*.yaml")])
    for path in code:
        info = path.stat()
        digest.update(f"{path.name} {info.st_size} {info.st_mtime_ns}\n".encode())
    for path in files:
        with contextlib.suppress(OSError):  # a learned file that does not exist yet
            data = path.read_bytes()
            digest.update(f"{path} {len(data)}\n".encode())
            digest.update(data)
    return digest.hexdigest()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
