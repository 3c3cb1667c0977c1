"""A sealed member comes back byte for byte under its key and name, and any change to it is refused."""

import io

import pytest

from backups.sealing import CHUNK, NONCE_PREFIX, TAG, Sealer, SealError

KEY = "a-backup-key-of-forty-three-characters-xyz"


def sealed(sealer, name, data):
    target = io.BytesIO()
    assert sealer.seal(name, io.BytesIO(data), target) == len(data)
    return target.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 7])
def test_a_member_of_any_size_comes_back_as_it_was(size):
    sealer = Sealer(KEY)
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    assert sealer.opened("media/a.bin", io.BytesIO(sealed(sealer, "media/a.bin", data))).read() == data


def edited(stored):
    changed = bytearray(stored)
    changed[NONCE_PREFIX + 3] ^= 1
    return bytes(changed)


def last_chunk_dropped(stored):
    return stored[: NONCE_PREFIX + CHUNK + TAG]


def chunks_swapped(stored):
    first = stored[NONCE_PREFIX : NONCE_PREFIX + CHUNK + TAG]
    second = stored[NONCE_PREFIX + CHUNK + TAG : NONCE_PREFIX + 2 * (CHUNK + TAG)]
    return stored[:NONCE_PREFIX] + second + first + stored[NONCE_PREFIX + 2 * (CHUNK + TAG) :]


@pytest.mark.parametrize("change", [edited, last_chunk_dropped, chunks_swapped])
def test_an_edited_cut_or_reordered_member_is_refused(change):
    sealer = Sealer(KEY)
    stored = change(sealed(sealer, "media/a.bin", b"x" * (3 * CHUNK)))
    with pytest.raises(SealError):
        sealer.opened("media/a.bin", io.BytesIO(stored)).read()


def test_a_member_moved_under_another_name_or_read_with_another_key_is_refused():
    sealer = Sealer(KEY)
    stored = sealed(sealer, "database/auth_user.jsonl.gz", b"rows")
    with pytest.raises(SealError):
        sealer.opened("database/auth_group.jsonl.gz", io.BytesIO(stored)).read()
    other = Sealer("another-key-of-forty-three-characters-abcde", salt=sealer.salt)
    with pytest.raises(SealError):
        other.opened("database/auth_user.jsonl.gz", io.BytesIO(stored)).read()


def test_the_manifest_signature_depends_on_the_key_and_the_salt():
    sealer = Sealer(KEY)
    signature = sealer.sign(b"manifest")
    assert sealer.verify(b"manifest", signature)
    assert not sealer.verify(b"manifest ", signature)
    assert not Sealer(KEY).verify(b"manifest", signature)  # a new salt: other keys
    assert Sealer(KEY, salt=sealer.salt).verify(b"manifest", signature)


def test_a_signature_that_is_not_ascii_does_not_match():
    sealer = Sealer(KEY)
    assert not sealer.verify(b"manifest", "é" * 64)
    assert not sealer.verify(b"manifest", "\ufffd" * 64)
