"""publish and fetch: three files anyone can verify with minisign, installed
only when they are what the publisher signed.

Keys are made by Debian's minisign; the server is a real HTTP server on
127.0.0.1 (tests/helpers.py's FileServer). Every fetch that must fail is
checked to leave the installed index, and the manifest beside it, byte for
byte as they were, with no temporary file left beside them.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard

from indexer import Index
from indexer.publish import PASSWORD_ENV
from indexer.publish.fetch import sidecar
from indexer.publish.publish import publish
from indexer.store.ingest import RevisionInfo, dump_lines, ingest
from indexer.store.ledger import Ledger
from indexer.store.writer import Writer
from tests.helpers import FileServer, cli, edited

MINISIGN = shutil.which("minisign")
pytestmark = pytest.mark.skipif(MINISIGN is None, reason="minisign is not installed (scripts/test.sh installs it)")  # fmt: skip

T1 = datetime(2026, 12, 1, 6, tzinfo=timezone.utc)
T2 = datetime(2026, 12, 2, 6, tzinfo=timezone.utc)


# ---- keys, indexes, publications -----------------------------------------


@dataclass(frozen=True)
class KeyPair:
    public: Path
    secret: Path

    @property
    def public_text(self) -> str:
        return self.public.read_text().splitlines()[1]


def minisign(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:  # noqa: A002
    assert MINISIGN is not None
    return subprocess.run([MINISIGN, *args], capture_output=True, text=True, input=input, check=True)


def make_key(folder: Path, name: str, password: str | None = None) -> KeyPair:
    pair = KeyPair(folder / f"{name}.pub", folder / f"{name}.key")
    if password is None:
        minisign("-G", "-W", "-p", str(pair.public), "-s", str(pair.secret))
    else:
        minisign("-G", "-p", str(pair.public), "-s", str(pair.secret), input=f"{password}\n{password}\n")
    return pair


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KeyPair]:
    folder = tmp_path_factory.mktemp("keys")
    return {"ours": make_key(folder, "ours"), "other": make_key(folder, "other")}


def six_bumped(record: dict[str, Any]) -> dict[str, Any]:
    if record.get("attr") == "six" and record.get("version"):
        record = {**record, "version": "1.18.0", "name": str(record["name"]).replace("1.17.0", "1.18.0")}
    return record


def channel_index(path: Path, lines: list[bytes], days: int) -> Path:
    """An index of `days` daily revisions of channel "fixture" (six bumped on day 2)."""
    for day in range(1, days + 1):
        dump = lines if day == 1 else edited(lines, six_bumped)
        ingest(path, dump_lines(dump), RevisionInfo(rev=f"rev{day}", channel="fixture",
                                                    date=f"2026-12-0{day}T00:00:00Z"))  # fmt: skip
    return path


@dataclass(frozen=True)
class Publication:
    folder: Path
    db: Path

    def file(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()

    @property
    def manifest(self) -> dict[str, Any]:
        value: dict[str, Any] = orjson.loads(self.file("manifest.json"))
        return value


@pytest.fixture(scope="module")
def publications(
    fixture_lines: list[bytes], keys: dict[str, KeyPair], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Publication]:
    """"old": one revision, published at T1; "new": two, published at T2."""
    made = {}
    for name, days, when in (("old", 1, T1), ("new", 2, T2)):
        folder = tmp_path_factory.mktemp(name)
        db = channel_index(folder / "index.sqlite", fixture_lines, days)
        publish(db, folder / "public", keys["ours"].secret, now=when)
        made[name] = Publication(folder / "public", db)
    return made


@pytest.fixture
def server() -> Iterator[FileServer]:
    served = FileServer()
    try:
        yield served
    finally:
        served.stop()


def fetch(
    url: str, key: str, db: Path, *args: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]:
    run = cli("fetch", url, "--pubkey", key, "--db", str(db), "--json", *args)
    return run, (orjson.loads(run.stdout) if run.returncode == 0 else None)


def state(db: Path) -> dict[str, bytes | None]:
    """The installed index and its manifest, byte for byte, and every other
    file of its folder (a temporary file left behind shows here)."""
    files = {p.name: p.read_bytes() for p in db.parent.iterdir() if p.is_file()}
    return dict(sorted(files.items()))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- publish ---------------------------------------------------------------


def test_publish_writes_the_index_its_manifest_and_a_signature_minisign_verifies(
    publications: dict[str, Publication], keys: dict[str, KeyPair]
) -> None:
    new = publications["new"]
    assert sorted(p.name for p in new.folder.iterdir()) == [
        "index.sqlite.zst", "manifest.json", "manifest.json.minisig"]  # fmt: skip
    checked = minisign("-V", "-p", str(keys["ours"].public), "-m", str(new.folder / "manifest.json"))
    assert "Signature and comment signature verified" in checked.stdout
    assert "file:manifest.json" in checked.stdout  # the trusted comment
    m = new.manifest
    assert (m["format"], m["schema_version"], m["published_at"]) == (1, 2, "2026-12-02T06:00:00Z")
    assert m["newest"] == {"channel": "fixture", "rev": "rev2", "date": "2026-12-02T00:00:00Z"}
    [channel] = m["channels"]
    assert channel["name"] == "fixture"
    assert [r["rev"] for r in channel["revisions"]] == ["rev1", "rev2"]
    assert [s["name"] for s in channel["revisions"][0]["package_sets"]] == [
        "python312Packages", "python313Packages"]  # fmt: skip
    assert channel["revisions"][0]["package_sets"][1]["same_as"] == ["python3Packages"]
    compressed = new.file("index.sqlite.zst")
    unpacked = zstandard.ZstdDecompressor().decompress(compressed)
    assert m["file"] == {
        "name": "index.sqlite.zst", "size": len(compressed), "sha256": sha256(compressed),
        "uncompressed_size": len(unpacked), "uncompressed_sha256": sha256(unpacked),
    }  # fmt: skip
    assert len(compressed) < len(unpacked) / 4


def test_the_published_file_is_a_plain_vacuumed_index(
    publications: dict[str, Publication], tmp_path: Path
) -> None:
    new = publications["new"]
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(zstandard.ZstdDecompressor().decompress(new.file("index.sqlite.zst")))
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    with Index.open(copy) as index, Index.open(new.db) as original:
        assert [r.rev for r in index.revisions()] == [r.rev for r in original.revisions()]
        assert [c.version for c in index.candidates("six")] == ["1.18.0"]


@pytest.mark.parametrize(
    "signer, verifier",
    [("minisign", "nixpkgs-pyindex"), ("nixpkgs-pyindex", "minisign")],
)
def test_signatures_interoperate_with_minisign(
    signer: str, verifier: str, publications: dict[str, Publication], keys: dict[str, KeyPair],
    server: FileServer, tmp_path: Path,
) -> None:  # fmt: skip
    folder = tmp_path / "public"
    shutil.copytree(publications["old"].folder, folder)
    if signer == "minisign":
        (folder / "manifest.json.minisig").unlink()
        minisign("-S", "-s", str(keys["ours"].secret), "-m", str(folder / "manifest.json"))
    if verifier == "minisign":
        minisign("-V", "-p", str(keys["ours"].public), "-m", str(folder / "manifest.json"))
    else:
        server.serve_folder(folder)
        run, result = fetch(server.url, keys["ours"].public_text, tmp_path / "index.sqlite")
        assert run.returncode == 0, run.stderr
        assert result is not None and result["action"] == "installed"


def test_an_encrypted_key_signs_with_its_password(
    publications: dict[str, Publication], tmp_path: Path
) -> None:
    key = make_key(tmp_path, "locked", password="correct horse")
    db, out = str(publications["old"].db), str(tmp_path / "public")
    without = cli("publish", "--db", db, "-o", out, "--key", str(key.secret), env={PASSWORD_ENV: ""})
    wrong = cli("publish", "--db", db, "-o", out, "--key", str(key.secret), env={PASSWORD_ENV: "battery"})
    assert (wrong.returncode, without.returncode) == (2, 2)
    assert "wrong password" in wrong.stderr and len(wrong.stderr.splitlines()) == 1
    assert not (tmp_path / "public").exists() or not any((tmp_path / "public").iterdir())
    good = cli("publish", "--db", db, "-o", out, "--key", str(key.secret), env={PASSWORD_ENV: "correct horse"})
    assert good.returncode == 0, good.stderr
    minisign("-V", "-p", str(key.public), "-m", out + "/manifest.json")


def ledger_pending(db: Path) -> None:
    with Writer.open(db) as writer:
        Ledger(writer.conn, db).plan("fixture", [("rev3", "2026-12-03T00:00:00Z")])


def ledger_running(db: Path) -> None:
    with Writer.open(db) as writer:
        ledger = Ledger(writer.conn, db)
        ledger.plan("fixture", [("rev3", "2026-12-03T00:00:00Z")])
        ledger.running("fixture", "rev3")


def half_the_packages_fail(db: Path, lines: list[bytes]) -> None:
    """A newest revision in which every other package of a set does not evaluate."""
    seen = {"n": 0}

    def breaking(record: dict[str, Any]) -> dict[str, Any]:
        if record.get("status") != "ok" or record.get("set") != "python313Packages":
            return record
        seen["n"] += 1
        if seen["n"] % 2:
            return record
        return {"type": "attr", "set": record["set"], "attr": record["attr"], "status": "error",
                "error": {"kind": "throw", "message": "broken on purpose"}}  # fmt: skip

    ingest(db, dump_lines(edited(lines, breaking)), RevisionInfo(rev="rev3", channel="fixture"))


UNFIT: list[tuple[str, Callable[[Path, list[bytes]], None], str]] = [
    ("pending in the ledger", lambda db, _: ledger_pending(db), "rev3 is pending in the backfill ledger"),
    ("running in the ledger", lambda db, _: ledger_running(db), "rev3 is running in the backfill ledger"),
    ("a set lost half its packages", half_the_packages_fail, "python313Packages has"),
]  # fmt: skip


@pytest.mark.parametrize("case, make_unfit, says", UNFIT, ids=[c[0] for c in UNFIT])
def test_publish_refuses_an_unfit_index(
    case: str, make_unfit: Callable[[Path, list[bytes]], None], says: str,
    fixture_lines: list[bytes], keys: dict[str, KeyPair], tmp_path: Path,
) -> None:  # fmt: skip
    db = channel_index(tmp_path / "index.sqlite", fixture_lines, 2)
    make_unfit(db, fixture_lines)
    out = tmp_path / "public"
    run = cli("publish", "--db", str(db), "-o", str(out), "--key", str(keys["ours"].secret))
    assert run.returncode == 21, run.stderr
    assert says in run.stderr and len(run.stderr.splitlines()) == 1
    assert list(out.iterdir()) == []  # nothing published, nothing left behind
    if case.startswith("a set lost"):
        forced = cli("publish", "--db", str(db), "-o", str(out), "--key", str(keys["ours"].secret),
                     "--allow-shrink")  # fmt: skip
        assert forced.returncode == 0, forced.stderr


# ---- fetch -----------------------------------------------------------------


def test_a_good_fetch_then_a_fetch_with_nothing_to_do(
    publications: dict[str, Publication], keys: dict[str, KeyPair], server: FileServer,
    tmp_path: Path,
) -> None:  # fmt: skip
    new = publications["new"]
    server.serve_folder(new.folder, "pyindex/")
    db = tmp_path / "data" / "index.sqlite"
    run, first = fetch(server.url + "pyindex/", keys["ours"].public_text, db)
    assert run.returncode == 0, run.stderr
    assert first is not None and first["action"] == "installed"
    assert first["newest"]["rev"] == "rev2" and first["revisions"] == 2
    unpacked = zstandard.ZstdDecompressor().decompress(new.file("index.sqlite.zst"))
    assert db.read_bytes() == unpacked  # the published file, byte for byte
    assert sidecar(db).read_bytes() == new.file("manifest.json")
    assert Path(f"{sidecar(db)}.minisig").read_bytes() == new.file("manifest.json.minisig")
    minisign("-V", "-p", str(keys["ours"].public), "-m", str(sidecar(db)), "-x", f"{sidecar(db)}.minisig")
    assert sorted(state(db)) == ["index.sqlite", "index.sqlite.manifest.json",
                                 "index.sqlite.manifest.json.minisig"]  # fmt: skip
    # Every command reads it as it is, and leaves it so.
    with Index.open(db) as index:
        assert [c.version for c in index.candidates("six")] == ["1.18.0"]
    asked = cli("candidates", "pyyaml", "--db", str(db))
    assert asked.returncode == 0 and "python313Packages.pyyaml" in asked.stdout
    before = state(db)
    assert before["index.sqlite"] == unpacked and len(before) == 3  # read, and left as it was
    server.requests.clear()
    run, second = fetch(server.url + "pyindex/manifest.json", str(keys["ours"].public), db)
    assert run.returncode == 0, run.stderr
    assert second is not None and (second["action"], second["downloaded"]) == ("up-to-date", 0)
    assert server.requests == ["/pyindex/manifest.json", "/pyindex/manifest.json.minisig"]
    assert state(db) == before


def test_a_fetch_over_an_index_with_a_write_ahead_log(
    publications: dict[str, Publication], keys: dict[str, KeyPair], fixture_lines: list[bytes],
    tmp_path: Path,
) -> None:  # fmt: skip
    """A locally written index whose log still holds its last commit: the new
    file must not meet the old file's log."""
    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="local", channel="mine"))
    holder = sqlite3.connect(db)  # keeps the log from being folded in on close
    try:
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("update revisions set source = 'written last' where rev = 'local'")
        holder.commit()
        assert Path(f"{db}-wal").stat().st_size > 0
        run, result = fetch(str(publications["new"].folder), keys["ours"].public_text, db)
    finally:
        holder.close()
    assert run.returncode == 0, run.stderr
    with Index.open(db) as index:
        assert [r.rev for r in index.revisions()] == ["rev1", "rev2"]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.mark.parametrize("content", [b"my notes\n", b"SQLite format 3\x00" + bytes(84)], ids=["text", "another SQLite file"])
def test_fetch_replaces_only_an_index(
    content: bytes, publications: dict[str, Publication], keys: dict[str, KeyPair], tmp_path: Path
) -> None:
    db = tmp_path / "index.sqlite"
    db.write_bytes(content)
    run, _ = fetch(str(publications["old"].folder), keys["ours"].public_text, db)
    assert run.returncode == 8 and "not a nixpkgs-pyindex database" in run.stderr, run.stderr
    assert state(db) == {"index.sqlite": content}


@pytest.mark.parametrize("form", ["file URL", "path", "folder", "folder without a slash"])
def test_fetch_reads_a_publication_from_files(
    form: str, publications: dict[str, Publication], keys: dict[str, KeyPair], tmp_path: Path
) -> None:
    folder = publications["old"].folder
    location = {"file URL": (folder / "manifest.json").as_uri(),
                "path": str(folder / "manifest.json"), "folder": f"{folder}/",
                "folder without a slash": str(folder)}[form]  # fmt: skip
    run, result = fetch(location, keys["ours"].public_text, tmp_path / "index.sqlite")
    assert run.returncode == 0, run.stderr
    assert result is not None and result["action"] == "installed" and result["revisions"] == 1


def altered_manifest(p: Publication, keys: dict[str, KeyPair], server: FileServer) -> None:
    server.files["/manifest.json"] = p.file("manifest.json").replace(b'"rev2"', b'"rev9"', 1)


def signed_by_another_key(p: Publication, keys: dict[str, KeyPair], server: FileServer) -> None:
    server.files["/manifest.json.minisig"] = resigned(p.file("manifest.json"), keys["other"])


def resigned(manifest: bytes, key: KeyPair) -> bytes:
    """`manifest` signed by `key` with minisign itself."""
    folder = key.secret.parent / "resign"
    folder.mkdir(exist_ok=True)
    (folder / "manifest.json").write_bytes(manifest)
    minisign("-S", "-s", str(key.secret), "-m", str(folder / "manifest.json"))
    return (folder / "manifest.json.minisig").read_bytes()


def wrong_hash(p: Publication, keys: dict[str, KeyPair], server: FileServer) -> None:
    data = bytearray(p.file("index.sqlite.zst"))
    data[len(data) // 2] ^= 0xFF
    server.files["/index.sqlite.zst"] = bytes(data)


def fault(name: str) -> Callable[[Publication, dict[str, KeyPair], FileServer], None]:
    def apply(p: Publication, keys: dict[str, KeyPair], server: FileServer) -> None:
        server.faults["/index.sqlite.zst"] = name

    return apply


def newer_schema(p: Publication, keys: dict[str, KeyPair], server: FileServer) -> None:
    manifest = p.file("manifest.json").replace(b'"schema_version": 2', b'"schema_version": 3', 1)
    server.files["/manifest.json"] = manifest
    server.files["/manifest.json.minisig"] = resigned(manifest, keys["ours"])


def missing_signature(p: Publication, keys: dict[str, KeyPair], server: FileServer) -> None:
    server.faults["/manifest.json.minisig"] = "missing"


# (case, installed, served, what breaks it, exit code, the error says)
REFUSED: list[tuple[str, str, str, Callable[[Publication, dict[str, KeyPair], FileServer], None] | None, int, str]] = [
    ("a bad signature", "old", "new", altered_manifest, 19, "the signature does not match"),
    ("a signature by another key", "old", "new", signed_by_another_key, 19, "not by the pinned key"),
    ("no signature", "old", "new", missing_signature, 18, "manifest.json.minisig: HTTP 404"),
    ("a wrong hash", "old", "new", wrong_hash, 18, "sha256"),
    ("a truncated download", "old", "new", fault("truncated"), 18, "the manifest says"),
    ("the server dies mid-download", "old", "new", fault("dies"), 18, "index.sqlite.zst: cut off after"),
    ("a rollback to an older manifest", "new", "old", None, 20, "before the installed index's"),
    ("a manifest of a newer schema", "old", "new", newer_schema, 20, "schema version 3"),
]  # fmt: skip


@pytest.mark.parametrize(
    "case, installed, served, breaking, code, says", REFUSED, ids=[c[0] for c in REFUSED]
)
def test_a_refused_fetch_leaves_the_index_as_it_was(
    case: str, installed: str, served: str,
    breaking: Callable[[Publication, dict[str, KeyPair], FileServer], None] | None,
    code: int, says: str, publications: dict[str, Publication], keys: dict[str, KeyPair],
    server: FileServer, tmp_path: Path,
) -> None:  # fmt: skip
    db = tmp_path / "index.sqlite"
    run, _ = fetch(str(publications[installed].folder / "manifest.json"), keys["ours"].public_text, db)
    assert run.returncode == 0, run.stderr
    before = state(db)
    server.serve_folder(publications[served].folder)
    if breaking is not None:
        breaking(publications[served], keys, server)
    run, _ = fetch(server.url + "manifest.json", keys["ours"].public_text, db)
    assert run.returncode == code, run.stderr
    assert says in run.stderr, run.stderr
    assert len(run.stderr.splitlines()) == 1 and run.stderr.startswith("nixpkgs-pyindex: error: ")
    assert state(db) == before
    with Index.open(db) as index:
        index.revision()  # still an index that opens
    # With the fault gone, the same fetch succeeds (or, for a rollback, still refuses).
    server.faults.clear()
    server.serve_folder(publications[served].folder)
    run, result = fetch(server.url + "manifest.json", keys["ours"].public_text, db)
    assert run.returncode == (20 if served == "old" else 0), run.stderr


# ---- where the index lives -----------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of 600 KiB: room for one installed index and the new file
    compressed, not for the new one unpacked beside it."""
    disk = tmp_path / "small"
    disk.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)],
                           capture_output=True)  # fmt: skip
    if mount.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + mount.stderr.decode().strip())
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_disk_that_cannot_take_the_file(
    small_disk: Path, publications: dict[str, Publication], keys: dict[str, KeyPair],
    server: FileServer,
) -> None:  # fmt: skip
    db = small_disk / "index.sqlite"
    run, _ = fetch(str(publications["old"].folder / "manifest.json"), keys["ours"].public_text, db)
    assert run.returncode == 0, run.stderr
    before = state(db)
    server.serve_folder(publications["new"].folder)
    run, _ = fetch(server.url, keys["ours"].public_text, db)
    assert run.returncode == 14, run.stderr
    assert "No space left on device" in run.stderr and len(run.stderr.splitlines()) == 1
    assert state(db) == before


def test_an_unwritable_target(
    small_disk: Path, publications: dict[str, Publication], keys: dict[str, KeyPair],
    server: FileServer,
) -> None:  # fmt: skip
    db = small_disk / "index.sqlite"
    run, _ = fetch(str(publications["old"].folder / "manifest.json"), keys["ours"].public_text, db)
    assert run.returncode == 0, run.stderr
    before = state(db)
    # Read-only: even root cannot write there (a chmod would not stop root).
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    server.serve_folder(publications["new"].folder)
    run, _ = fetch(server.url, keys["ours"].public_text, db)
    assert run.returncode == 14, run.stderr
    assert "Read-only file system" in run.stderr and len(run.stderr.splitlines()) == 1
    assert state(db) == before
    # Nothing to do needs no write: the installed publication is up to date there.
    server.serve_folder(publications["old"].folder)
    run, result = fetch(server.url, keys["ours"].public_text, db)
    assert run.returncode == 0 and result is not None and result["action"] == "up-to-date"
    with Index.open(db) as index:  # read-only, as in the Nix store
        assert index.revision().rev == "rev1"
