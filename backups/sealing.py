"""Keyed archives: every member encrypted and the manifest signed with keys derived from BACKUP_KEY.

BACKUP_KEY is one secret; HKDF-SHA256 with a random salt per archive derives two independent keys
from it, one for AES-256-GCM and one for HMAC-SHA256. A member is encrypted in chunks, each with its
own nonce (a random prefix per member, the chunk's number and a last-chunk flag) and the member's
name as associated data: a chunk cannot be edited, moved to another member, reordered or dropped
without its tag failing, and a member's plaintext is never used before its chunk is authenticated.
The HMAC over the manifest binds every member's checksum and size, so an edited, added or removed
member is refused before anything is read from it. Chunks keep memory flat for members of any size,
which the one-shot AESGCM and Fernet APIs would not.
"""

import base64
import hashlib
import hmac
import io
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CIPHER = "AES-256-GCM"
KDF = "HKDF-SHA256"
CHUNK = 256 * 1024
TAG = 16
NONCE_PREFIX = 7
SALT = 16
MIN_KEY_LENGTH = 32


class SealError(Exception):
    """A sealed member or manifest does not authenticate under this key."""


def _derive(secret, *, salt, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(secret.encode())


def key_id(secret):
    """A short name for a key that reveals nothing of it, so a message can say which key made an archive."""
    return _derive(secret, salt=b"", info=b"clinic-backup key id", length=6).hex()


class Sealer:
    """The keys of one archive: BACKUP_KEY and the archive's salt."""

    def __init__(self, secret, *, salt=None):
        self.salt = salt if salt is not None else os.urandom(SALT)
        self.key_id = key_id(secret)
        keys = _derive(secret, salt=self.salt, info=b"clinic-backup archive keys v1", length=64)
        self._aead = AESGCM(keys[:32])
        self._mac_key = keys[32:]

    @classmethod
    def from_header(cls, secret, header):
        if header.get("cipher") != CIPHER or header.get("kdf") != KDF:
            used = f"{header.get('cipher')}/{header.get('kdf')}"
            raise SealError(f"it is sealed with {used}, which this site does not use")
        try:
            salt = base64.b64decode(header["salt"], validate=True)
        except (KeyError, TypeError, ValueError) as error:
            raise SealError("its salt is missing or malformed") from error
        return cls(secret, salt=salt)

    def header(self):
        return {"cipher": CIPHER, "kdf": KDF, "salt": base64.b64encode(self.salt).decode(), "key_id": self.key_id}

    def sign(self, data):
        return hmac.new(self._mac_key, data, hashlib.sha256).hexdigest()

    def verify(self, data, signature):
        """Compared as bytes: a signature file may hold any text, and `compare_digest` refuses non-ASCII strings."""
        return hmac.compare_digest(self.sign(data).encode(), signature.strip().encode())

    def seal(self, name, source, target):
        """Encrypt the readable `source` into the writable `target`; returns the plaintext's size."""
        prefix = os.urandom(NONCE_PREFIX)
        target.write(prefix)
        size, number = 0, 0
        chunk = _read_full(source)
        while True:
            following = _read_full(source) if len(chunk) == CHUNK else b""
            last = not following
            target.write(self._aead.encrypt(_nonce(prefix, number, last), chunk, name.encode()))
            size += len(chunk)
            if last:
                return size
            chunk, number = following, number + 1

    def opened(self, name, stored):
        """The plaintext of a sealed member, read chunk by chunk, each authenticated before it is returned."""
        return io.BufferedReader(_OpenedMember(self._aead, name, stored), buffer_size=CHUNK)


def _read_full(source, size=CHUNK):
    """`size` bytes, or what is left: a short read must not be taken for the end of the member."""
    data = source.read(size)
    while data and len(data) < size and (more := source.read(size - len(data))):
        data += more
    return data


def _nonce(prefix, number, last):
    return prefix + struct.pack(">I?", number, last)


class _OpenedMember(io.RawIOBase):
    def __init__(self, aead, name, stored):
        self._aead, self._name, self._stored = aead, name.encode(), stored
        self._prefix = stored.read(NONCE_PREFIX)
        if len(self._prefix) != NONCE_PREFIX:
            raise SealError("it is too short to be sealed")
        self._number, self._done, self._pending = 0, False, b""
        self._block = _read_full(stored, CHUNK + TAG)

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self._pending and not self._done:
            self._next_chunk()
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def _next_chunk(self):
        block = self._block
        if len(block) < TAG:
            raise SealError("it ends before its last chunk")
        self._block = _read_full(self._stored, CHUNK + TAG) if len(block) == CHUNK + TAG else b""
        last = not self._block
        try:
            self._pending = self._aead.decrypt(_nonce(self._prefix, self._number, last), block, self._name)
        except InvalidTag as error:
            raise SealError("a chunk does not authenticate") from error
        self._number += 1
        self._done = last
