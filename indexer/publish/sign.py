"""minisign signatures of a manifest, through py-minisign.

The files are minisign's own, so anyone can check a manifest with the tool:
`minisign -Vm manifest.json -P KEY`. Keys are made with `minisign -G`
(docs/publishing.md). We sign prehashed (BLAKE2b-512, algorithm `ED`), as
minisign 0.11 does by default, with a trusted comment naming the file and
the time; both signatures of a .minisig (the data's and the trusted
comment's) are checked on verifying.
"""

from __future__ import annotations

import base64
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import minisign

from indexer.errors import KeyFileError, SignatureError
from indexer.publish import PASSWORD_ENV

# A minisign public key: "Ed", its 8-byte id and 32 bytes of key, in base64.
_PUBLIC_KEY = re.compile(r"^RW[A-Za-z0-9+/]{54}$")


@dataclass(frozen=True)
class PublicKey:
    key: minisign.PublicKey
    key_id: str  # as minisign prints it: hex, upper case

    @property
    def base64(self) -> str:
        text: bytes = self.key.to_base64()
        return text.decode()


def _key_id(raw: bytes) -> str:
    # minisign shows the id as one little-endian 64-bit number.
    return raw[::-1].hex().upper()


def _id_of(key: minisign.PublicKey) -> str:
    # The key's encoding: "Ed", the 8-byte id, the 32-byte key.
    encoded: bytes = key.to_base64()
    return _key_id(base64.b64decode(encoded)[2:10])


def public_key(value: str) -> PublicKey:
    """A public key given as a minisign .pub file or as the key itself."""
    text = value.strip()
    try:
        if _PUBLIC_KEY.match(text):
            key = minisign.PublicKey.from_base64(text)
        else:
            try:
                data = Path(value).read_bytes()
            except OSError as e:
                raise KeyFileError(
                    f"--pubkey {value}: neither a minisign public key (RW…) nor a readable "
                    f"key file: {e.strerror}"
                ) from None
            lines = data.strip().splitlines()
            # A .pub file: a comment line and the key; a bare key is fine too.
            key = minisign.PublicKey.from_base64(lines[-1].strip() if lines else b"")
    except minisign.Error as e:
        raise KeyFileError(f"--pubkey {value}: not a minisign public key ({e})") from None
    return PublicKey(key, _id_of(key))


class SecretKey:
    """A minisign secret key, read and decrypted once (before any long work,
    so that a wrong key or password fails at once)."""

    def __init__(self, key_path: Path, password: str | None) -> None:
        self.path = key_path
        try:
            secret = minisign.SecretKey.from_file(key_path)
        except OSError as e:
            raise KeyFileError(f"--key {key_path}: {e.strerror}") from None
        except minisign.Error as e:
            raise KeyFileError(f"--key {key_path}: not a minisign secret key ({e})") from None
        if secret.is_encrypted():
            if password is None:
                raise KeyFileError(
                    f"--key {key_path} is encrypted: give its password in ${PASSWORD_ENV}"
                )
            try:
                secret.decrypt(password)
            except minisign.Error as e:
                raise KeyFileError(f"--key {key_path}: {e}") from None
        self._secret = secret
        self.public = secret.get_public_key()
        self.key_id = _id_of(self.public)

    def sign(self, data: bytes, trusted_comment: str) -> bytes:
        """The .minisig file of `data`."""
        signature = self._secret.sign(
            data,
            prehash=True,
            untrusted_comment=f"signature from nixpkgs-pyindex secret key {self.key_id}",
            trusted_comment=trusted_comment,
        )
        try:  # a damaged key file (its halves disagree) never signs a release
            self.public.verify(data, signature)
        except minisign.Error:
            raise KeyFileError(f"--key {self.path}: its signature does not verify") from None
        signed: bytes = bytes(signature)
        return signed + b"\n"

    def close(self) -> None:
        self._secret.wipe()


def trusted_comment(file_name: str) -> str:
    """What minisign writes: the time and the file (shown by `minisign -V`)."""
    return f"timestamp:{int(time.time())}\tfile:{os.path.basename(file_name)}\thashed"


def verify(data: bytes, signature: bytes, key: PublicKey, where: str) -> str:
    """Check `signature` (a .minisig file) of `data` with `key`; its trusted
    comment. SignatureError, naming what is wrong, otherwise."""
    try:
        parsed = minisign.Signature.from_bytes(signature)
    except minisign.Error as e:
        raise SignatureError(f"{where}: not a minisign signature ({e})") from None
    signed_by = _key_id(base64.b64decode(signature.splitlines()[1])[2:10])
    if signed_by != key.key_id:
        raise SignatureError(
            f"{where}: signed by key {signed_by}, not by the pinned key {key.key_id}"
        )
    try:
        key.key.verify(data, parsed)
    except minisign.Error:
        raise SignatureError(
            f"{where}: the signature does not match the manifest (altered in transit or at rest?)"
        ) from None
    comment: str = parsed.trusted_comment
    return comment
