import dataclasses
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from copilot.core.models import verify
from copilot.core.models.gguf_header import ModelFileError, TensorInfo, inspect_gguf
from copilot.core.models.verify import (
    VerifyCancelled,
    architecture_ok,
    check_file,
    check_loadable,
    expected_sha256_from_location,
    known_tensor_types,
    read_header_leniently,
    sha256_file,
)
from tiny_gpt_oss import N_LAYER, write_tiny_gpt_oss

# What Ollama's own gpt-oss converter writes (see verify's docstring for the sources).
OLLAMA_LIKE = dict(
    arch="gptoss",
    rename={".attn_output.": ".attn_out.", "post_attention_norm": "ffn_norm", "attn_sinks.weight": "attn_sinks"},
    tensor_types={f"blk.{i}.ffn_down_exps.weight": 4 for i in range(N_LAYER)},
)
QKV_BIASES = tuple(f"blk.{i}.attn_{x}.bias" for i in range(N_LAYER) for x in "qkv")

# name -> (write_tiny_gpt_oss options, words the refusal must contain)
REFUSED = {
    "missing-sinks": (dict(drop_tensors=["blk.1.attn_sinks.weight"]), ["lacks parts", "blk.1.attn_sinks.weight"]),
    "missing-output": (dict(drop_tensors=["output.weight"]), ["lacks parts", "output.weight"]),
    "extra-tensor": (dict(rename={"blk.1.attn_q.bias": "blk.1.attn_qq.bias"}), ["does not expect", "attn_qq"]),
    "ollama-names": (dict(rename={".attn_output.": ".attn_out."}), ["Ollama", "download the GGUF file"]),
    "ollama-arch": (dict(arch="gptoss"), ["Ollama"]),
    "ollama-type-4": (dict(tensor_types={"blk.0.ffn_down_exps.weight": 4}), ["Ollama"]),
    "ollama-like": (OLLAMA_LIKE, ["Ollama"]),
    "removed-type": (dict(tensor_types={"blk.0.ffn_down_exps.weight": 31}), ["Q4_0_4_4", "no longer reads"]),
}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants")
    out = {name: write_tiny_gpt_oss(folder / f"{name}.gguf", **opts) for name, (opts, _) in REFUSED.items()}
    out["no-qkv-bias"] = write_tiny_gpt_oss(folder / "no-qkv-bias.gguf", drop_tensors=QKV_BIASES)
    return out


def test_tiny_gpt_oss_is_loadable(tiny_gpt_oss):
    info = inspect_gguf(tiny_gpt_oss)
    check_loadable(info)
    assert check_file(tiny_gpt_oss).tensors == info.tensors


def test_other_architectures_only_need_known_types(smol_path):
    info = check_file(smol_path)
    assert info.architecture == "llama"
    assert not architecture_ok(info)


def test_qkv_biases_are_optional_for_this_loader(variants):
    # llama.cpp's gpt-oss loader creates them as "not required" (and the subprocess test loads this file)
    check_file(variants["no-qkv-bias"])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_variants(variants, name):
    with pytest.raises(ModelFileError) as caught:
        check_file(variants[name])
    for words in REFUSED[name][1]:
        assert words in str(caught.value)


def test_ollama_type_explained_although_the_header_check_refuses_first(variants):
    with pytest.raises(ModelFileError, match="unknown"):
        inspect_gguf(variants["ollama-like"])  # gguf_header knows no type 4...
    lenient = read_header_leniently(variants["ollama-like"])  # ...so verify reads the header leniently
    assert lenient.architecture == "gptoss"
    assert {t.type for t in lenient.tensors} == {0, 4}
    assert "blk.0.attn_sinks" in {t.name for t in lenient.tensors}
    with pytest.raises(ModelFileError, match="made for Ollama"):
        check_loadable(lenient)


def test_read_header_leniently_gives_up_quietly(tmp_path, tiny_gpt_oss):
    (tmp_path / "text").write_bytes(b"hello")
    (tmp_path / "cut.gguf").write_bytes(tiny_gpt_oss.read_bytes()[:200])
    assert read_header_leniently(tmp_path / "text") is None
    assert read_header_leniently(tmp_path / "cut.gguf") is None
    assert read_header_leniently(tmp_path / "missing") is None


def test_architecture_ok_spellings(tiny_gpt_oss):
    assert architecture_ok(inspect_gguf(tiny_gpt_oss))
    assert architecture_ok("gptoss") and architecture_ok("GPT_OSS")
    assert not architecture_ok("llama")
    assert architecture_ok("llama", wanted="llama")


def test_known_types_come_from_the_installed_llama_cpp():
    from llama_cpp import llama_cpp

    known = known_tensor_types()
    assert {0, 1, 2, 8, 12, 30, 39} <= known  # F32 F16 Q4_0 Q8_0 Q4_K BF16 MXFP4
    assert not known & {4, 5, 31, 32, 33, 36, 37, 38}  # removed from ggml
    assert max(known) < llama_cpp.GGML_TYPE_COUNT


def _with(info, **changes):
    """info with some tensors changed: name -> TensorInfo fields to replace (None drops it)."""
    tensors = []
    for t in info.tensors:
        change = changes.get(t.name, {})
        if change is not None:
            tensors.append(dataclasses.replace(t, **change))
    return dataclasses.replace(info, tensors=tuple(tensors))


def test_type_unknown_to_this_llama_cpp(tiny_gpt_oss):
    info = _with(inspect_gguf(tiny_gpt_oss), **{"blk.0.ffn_up_exps.weight": {"type": 99}})
    with pytest.raises(ModelFileError, match="does not know"):
        check_loadable(info)


def test_removed_type_in_another_architecture(smol_path):
    info = inspect_gguf(smol_path)
    info = _with(info, **{info.tensors[0].name: {"type": 4}})
    with pytest.raises(ModelFileError, match="Q4_2"):
        check_loadable(info)


def test_wrong_shape(tiny_gpt_oss):
    info = _with(inspect_gguf(tiny_gpt_oss), **{"blk.1.ffn_gate_inp.weight": {"shape": (64, 5)}})
    with pytest.raises(ModelFileError, match="wrong size"):
        check_loadable(info)


def test_fused_qkv_is_accepted(tiny_gpt_oss):
    drop = {f"blk.{i}.attn_{x}.weight": None for i in range(N_LAYER) for x in "qkv"}
    separate = _with(inspect_gguf(tiny_gpt_oss), **drop)
    with pytest.raises(ModelFileError, match="lacks"):
        check_loadable(separate)
    fused = tuple(TensorInfo(f"blk.{i}.attn_qkv.weight", (64, 128), 0, 0, 0) for i in range(N_LAYER))
    check_loadable(dataclasses.replace(separate, tensors=separate.tensors + fused))  # with the separate biases


def test_split_first_part_needs_no_missing_tensors(tiny_gpt_oss):
    info = inspect_gguf(tiny_gpt_oss)
    part = _with(info, **{"output.weight": None})
    with pytest.raises(ModelFileError, match="lacks"):
        check_loadable(part)
    check_loadable(dataclasses.replace(part, metadata={**info.metadata, "split.count": 2}))


# ------------------------------------------------------------------ llama.cpp agrees

@pytest.mark.slow
def test_llama_cpp_refuses_what_check_loadable_refuses(variants, tiny_gpt_oss):
    """Each refused variant is one llama.cpp refuses too; llama.cpp may abort(), hence a subprocess."""
    names = ["missing-sinks", "extra-tensor", "ollama-like", "removed-type"]
    files = {"plain": tiny_gpt_oss, "no-qkv-bias": variants["no-qkv-bias"], **{n: variants[n] for n in names}}
    script = textwrap.dedent("""
        import sys, llama_cpp
        for name, path in zip(sys.argv[1::2], sys.argv[2::2]):
            try:
                llama_cpp.Llama(path, n_ctx=256, n_threads=1, verbose=False)
            except Exception as exc:
                print(name, "refused", type(exc).__name__, flush=True)
            else:
                print(name, "loaded", flush=True)
    """)
    args = [str(x) for pair in files.items() for x in pair]
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300)
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines.get("plain", "").startswith("loaded"), done.stdout + done.stderr
    assert lines.get("no-qkv-bias", "").startswith("loaded"), done.stdout + done.stderr
    for name in names:
        assert lines.get(name, "").startswith("refused"), (name, done.stdout, done.stderr)


# ------------------------------------------------------------------ hashing

@pytest.fixture
def blob(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 123))
    return path


@pytest.mark.parametrize("chunk", [1024 * 1024, 4096, 8 * 1024 * 1024])
def test_sha256_matches_hashlib(blob, chunk):
    assert sha256_file(blob, chunk=chunk) == hashlib.sha256(blob.read_bytes()).hexdigest()


def test_sha256_of_empty_file(tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    calls = []
    assert sha256_file(tmp_path / "empty", on_progress=lambda *a: calls.append(a)) == hashlib.sha256().hexdigest()
    assert calls == [(0, 0)]


def test_progress_is_throttled_and_ends_complete(blob, monkeypatch):
    clock = iter(i * 0.01 for i in range(100_000))  # each look at the clock: 10 ms later
    monkeypatch.setattr(verify, "_monotonic", lambda: next(clock))
    calls = []
    sha256_file(blob, chunk=4096, on_progress=lambda done, total: calls.append((done, total)))
    size = blob.stat().st_size
    chunks = -(-size // 4096)  # 769 chunks ≈ 7.7 s of fake time: at most ~10 reports a second
    assert len(calls) <= chunks * 0.01 * 10 + 2
    assert len(calls) >= 50
    assert calls[-1] == (size, size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert {t for _, t in calls} == {size}


def test_cancel(blob):
    asked = []

    def stop():
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(VerifyCancelled):
        sha256_file(blob, chunk=4096, should_stop=stop)
    assert len(asked) == 4
    with pytest.raises(VerifyCancelled):
        sha256_file(blob, should_stop=lambda: True)


# ------------------------------------------------------------------ hash from the storage name

def _hf_cache(root: Path, content: bytes, repo="models--ggml-org--gpt-oss-20b-GGUF", name="gpt-oss-20b.gguf"):
    sha = hashlib.sha256(content).hexdigest()
    blobs = root / repo / "blobs"
    snapshot = root / repo / "snapshots" / ("a" * 40)
    blobs.mkdir(parents=True)
    snapshot.mkdir(parents=True)
    (blobs / sha).write_bytes(content)
    (snapshot / name).symlink_to(Path("..", "..", "blobs", sha))  # relative, as huggingface_hub makes them
    return snapshot / name, sha


def test_expected_sha256_hugging_face_cache(tmp_path):
    link, sha = _hf_cache(tmp_path, b"weights")
    assert expected_sha256_from_location(link) == sha
    assert expected_sha256_from_location(link.resolve()) == sha


def test_expected_sha256_ollama(tmp_path):
    sha = hashlib.sha256(b"weights").hexdigest()
    (tmp_path / "blobs").mkdir()
    (tmp_path / "blobs" / f"sha256-{sha.upper()}").write_bytes(b"weights")
    assert expected_sha256_from_location(tmp_path / "blobs" / f"sha256-{sha.upper()}") == sha


@pytest.mark.parametrize("relative", [
    "models/gpt-oss-20b.gguf",  # an ordinary file
    "blobs/" + "b" * 64,  # 64 hex in blobs/, but not in a Hugging Face repo folder
    "models--org--name/blobs/" + "c" * 40,  # a git (sha1) blob: small files, not LFS
    "blobs/sha256-" + "d" * 63,
    "elsewhere/sha256-" + "e" * 64,
])
def test_expected_sha256_unknown(tmp_path, relative):
    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x")
    assert expected_sha256_from_location(path) is None
