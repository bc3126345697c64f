import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from copilot.core.models.discover import Found, default_locations, discover
from copilot.core.models.verify import sha256_file
from tiny_gpt_oss import N_LAYER, write_tiny_gpt_oss

HF_REPO = "models--ggml-org--gpt-oss-20b-GGUF"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ollama_blob(models: Path, source: Path, *, link: bool = False, sha: str | None = None) -> str:
    sha = sha or _sha(source)
    blob = models / "blobs" / f"sha256-{sha}"
    blob.parent.mkdir(parents=True, exist_ok=True)
    if not blob.exists():
        blob.symlink_to(source) if link else shutil.copyfile(source, blob)
    return sha


def _ollama_manifest(models: Path, name: str, tag: str, sha: str, *, host="registry.ollama.ai", namespace="library"):
    path = models / "manifests" / host / namespace / name / tag
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": "sha256:" + "0" * 64},
        "layers": [
            {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:" + "1" * 64, "size": 10},
            {"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{sha}", "size": 1},
        ],
    }))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The tiny gpt-oss and broken relatives, written once for the module."""
    d = tmp_path_factory.mktemp("discover-src")
    return {
        "good": write_tiny_gpt_oss(d / "good.gguf"),
        # a different seed: a second good file with other bytes (and so another hash)
        "good2": write_tiny_gpt_oss(d / "good2.gguf", seed=1, script=("Ġmundo",)),
        "ollama": write_tiny_gpt_oss(
            d / "ollama.gguf", arch="gptoss",
            rename={".attn_output.": ".attn_out.", "post_attention_norm": "ffn_norm",
                    "attn_sinks.weight": "attn_sinks"},
            tensor_types={f"blk.{i}.ffn_down_exps.weight": 4 for i in range(N_LAYER)},
        ),
        "no-sinks": write_tiny_gpt_oss(d / "no-sinks.gguf", drop_tensors=["blk.0.attn_sinks.weight"]),
    }


@pytest.fixture(scope="module")
def machine(tmp_path_factory, files, smol_path):
    """A home folder with models from every program, some shared, some broken."""
    home = tmp_path_factory.mktemp("home")

    # Hugging Face cache: snapshot symlinks into blobs named by their sha256; two revisions, one blob
    hub = home / ".cache" / "huggingface" / "hub"
    blobs = hub / HF_REPO / "blobs"
    blobs.mkdir(parents=True)
    hf_sha = _sha(files["good"])
    shutil.copyfile(files["good"], blobs / hf_sha)
    for rev in ("a" * 40, "b" * 40):
        snap = hub / HF_REPO / "snapshots" / rev
        snap.mkdir(parents=True)
        (snap / "gpt-oss-20b-mxfp4.gguf").symlink_to(Path("..", "..", "blobs", hf_sha))
    (hub / HF_REPO / "refs").mkdir()
    (hub / HF_REPO / "refs" / "main").write_text("b" * 40)
    smol_repo = hub / "models--HuggingFaceTB--SmolLM2-135M-Instruct-GGUF"
    (smol_repo / "blobs").mkdir(parents=True)
    (smol_repo / "blobs" / ("5" * 64)).symlink_to(smol_path)  # a llama model: never offered
    (smol_repo / "snapshots" / ("c" * 40)).mkdir(parents=True)
    (smol_repo / "snapshots" / ("c" * 40) / "smol.gguf").symlink_to(Path("..", "..", "blobs", "5" * 64))

    # LM Studio: publisher/repo/file; a broken gpt-oss, SmolLM2, a folder symlink loop
    lms = home / ".lmstudio" / "models"
    (lms / "lmstudio-community" / "gpt-oss-20b-GGUF").mkdir(parents=True)
    lms_file = lms / "lmstudio-community" / "gpt-oss-20b-GGUF" / "gpt-oss-20b-MXFP4.gguf"
    shutil.copyfile(files["good2"], lms_file)
    (lms / "someone" / "gpt-oss-20b-trimmed").mkdir(parents=True)
    shutil.copyfile(files["no-sinks"], lms / "someone" / "gpt-oss-20b-trimmed" / "trimmed.gguf")
    (lms / "HuggingFaceTB" / "SmolLM2").mkdir(parents=True)
    (lms / "HuggingFaceTB" / "SmolLM2" / "smol.gguf").symlink_to(smol_path)
    (lms / "HuggingFaceTB" / "loop").symlink_to(lms, target_is_directory=True)
    deep = lms / "a" / "b" / "c" / "d" / "e"
    deep.mkdir(parents=True)
    shutil.copyfile(files["good"], deep / "too-deep-gpt-oss.gguf")  # below the depth we look at

    # Jan (0.6+ layout): the same file as LM Studio's, hard-linked; and a model imported in place
    jan = home / ".local" / "share" / "Jan" / "data" / "llamacpp" / "models"
    (jan / "gpt-oss-20b").mkdir(parents=True)
    os.link(lms_file, jan / "gpt-oss-20b" / "model.gguf")
    outside = home / "Downloads" / "gpt-oss-copy.gguf"
    outside.parent.mkdir()
    shutil.copyfile(files["good"], outside)
    (jan / "my-gpt-oss").mkdir()
    (jan / "my-gpt-oss" / "model.yml").write_text(f"model_path: {outside}\nname: my-gpt-oss\nsize_bytes: 1\n")

    # Ollama: gpt-oss:20b and :latest share a good blob; gpt-oss:120b is in Ollama's own format;
    # gpt-oss:broken is not a GGUF at all; llama3.2 is SmolLM2; one manifest tries to escape blobs/
    ollama = home / ".ollama" / "models"
    good_sha = _ollama_blob(ollama, files["good2"])
    _ollama_manifest(ollama, "gpt-oss", "20b", good_sha)
    _ollama_manifest(ollama, "gpt-oss", "latest", good_sha)
    bad_sha = _ollama_blob(ollama, files["ollama"])
    _ollama_manifest(ollama, "gpt-oss", "120b", bad_sha)
    junk = home / "junk.bin"
    junk.write_bytes(b"not a model\n" * 100)
    _ollama_manifest(ollama, "gpt-oss", "broken", _ollama_blob(ollama, junk))
    _ollama_manifest(ollama, "llama3.2", "latest", _ollama_blob(ollama, smol_path, link=True, sha="6" * 64))
    _ollama_manifest(ollama, "gpt-oss", "evil", "../../../etc/passwd")
    _ollama_manifest(ollama, "gpt-oss", "gone", "f" * 64)  # listed, blob not downloaded

    # our own models folder: a truncated download
    ours = home / "app" / "models"
    ours.mkdir(parents=True)
    (ours / "gpt-oss-20b-mxfp4.gguf").write_bytes(files["good"].read_bytes()[:-1000])
    return {"home": home, "hub": hub, "hf_sha": hf_sha, "lms_file": lms_file, "outside": outside,
            "ollama": ollama, "good_sha": good_sha, "bad_sha": bad_sha, "ours": ours, "smol": smol_path}


def _locations(machine):
    """Linux places under the fake home only (a real /usr/share/ollama must never leak in)."""
    home = machine["home"]
    locs = default_locations(home=home, env={}, platform="linux", models_dir=machine["ours"])
    return [(source, path) for source, path in locs if home in path.parents]


@pytest.fixture(scope="module")
def found(machine):
    return discover(_locations(machine))


def _by_label(found):
    labels = [f.label for f in found]
    assert len(labels) == len(set(labels)), labels
    return {f.label: f for f in found}


def test_everything_found_once(found):
    assert set(_by_label(found)) == {
        "ggml-org/gpt-oss-20b-GGUF (Hugging Face cache)",
        "lmstudio-community/gpt-oss-20b-GGUF (LM Studio)",  # Jan's hard link to it is not listed again
        "someone/gpt-oss-20b-trimmed (LM Studio)",
        "my-gpt-oss (Jan)",
        "Ollama gpt-oss:20b",  # same bytes as LM Studio's, but a copy: a file of its own (and :latest shares it)
        "Ollama gpt-oss:120b",
        "Ollama gpt-oss:broken",
        "gpt-oss-20b-mxfp4.gguf (Private Copilot models folder)",
    }


def test_usable_and_reasons(found):
    by = _by_label(found)
    usable = {label for label, f in by.items() if f.usable}
    assert usable == {
        "ggml-org/gpt-oss-20b-GGUF (Hugging Face cache)", "lmstudio-community/gpt-oss-20b-GGUF (LM Studio)",
        "my-gpt-oss (Jan)", "Ollama gpt-oss:20b",
    }
    assert all(f.reason == "" for f in found if f.usable)
    assert "made for Ollama" in by["Ollama gpt-oss:120b"].reason
    assert "download the GGUF file" in by["Ollama gpt-oss:120b"].reason
    assert "not a GGUF model file" in by["Ollama gpt-oss:broken"].reason
    assert "lacks parts" in by["someone/gpt-oss-20b-trimmed (LM Studio)"].reason
    assert "truncated" in by["gpt-oss-20b-mxfp4.gguf (Private Copilot models folder)"].reason


def test_order_usable_first_then_largest(found):
    keys = [(not f.usable, -f.size) for f in found]
    assert keys == sorted(keys)
    assert found[0].usable and not found[-1].usable


def test_paths_sizes_and_hashes(found, machine):
    by = _by_label(found)
    hf = by["ggml-org/gpt-oss-20b-GGUF (Hugging Face cache)"]
    assert hf.source == "huggingface"
    assert hf.path == machine["hub"] / HF_REPO / "blobs" / machine["hf_sha"]  # the real file, not the link
    assert hf.expected_sha256 == machine["hf_sha"] == sha256_file(hf.path)
    assert hf.size == hf.path.stat().st_size

    ollama = by["Ollama gpt-oss:20b"]
    assert ollama.source == "ollama"
    assert ollama.path.name == f"sha256-{machine['good_sha']}"
    assert ollama.expected_sha256 == machine["good_sha"] == sha256_file(ollama.path)
    assert by["Ollama gpt-oss:120b"].expected_sha256 == machine["bad_sha"]

    lms = by["lmstudio-community/gpt-oss-20b-GGUF (LM Studio)"]
    assert (lms.source, lms.expected_sha256) == ("lmstudio", None)
    jan = by["my-gpt-oss (Jan)"]
    assert (jan.source, jan.path) == ("jan", machine["outside"])
    assert by["gpt-oss-20b-mxfp4.gguf (Private Copilot models folder)"].source == "models-folder"


def test_llama_models_are_not_offered(found, machine):
    assert machine["smol"].resolve() not in {f.path for f in found}
    assert not any("smol" in f.label.lower() or "llama3.2" in f.label for f in found)


def test_hard_link_reported_once_under_the_first_place(machine):
    lms_first = discover(_locations(machine))
    jan_first = discover([loc for loc in _locations(machine) if loc[0] == "jan"]
                         + [loc for loc in _locations(machine) if loc[0] != "jan"])
    same = machine["lms_file"]
    assert [f.label for f in lms_first if f.path.samefile(same)] == ["lmstudio-community/gpt-oss-20b-GGUF (LM Studio)"]
    assert [f.label for f in jan_first if f.path.samefile(same)] == ["gpt-oss-20b (Jan)"]


def test_models_dir_argument_comes_first(machine):
    found = discover([("ollama", machine["ollama"])], models_dir=machine["ours"])
    assert {f.source for f in found} == {"ollama", "models-folder"}


def test_same_repo_two_files_get_distinct_labels(tmp_path, files):
    repo = tmp_path / "lms" / "unsloth" / "gpt-oss-20b-GGUF"
    repo.mkdir(parents=True)
    shutil.copyfile(files["good"], repo / "gpt-oss-20b-Q4_K_M.gguf")
    shutil.copyfile(files["good2"], repo / "gpt-oss-20b-F16.gguf")
    labels = {f.label for f in discover([("lmstudio", tmp_path / "lms")])}
    assert labels == {
        "unsloth/gpt-oss-20b-GGUF (LM Studio) · gpt-oss-20b-Q4_K_M.gguf",
        "unsloth/gpt-oss-20b-GGUF (LM Studio) · gpt-oss-20b-F16.gguf",
    }


def test_max_files_bounds_the_work(machine):
    assert len(discover(_locations(machine), max_files=1)) <= 1
    assert discover(_locations(machine), max_files=0) == []


def test_missing_and_odd_locations_are_quiet(tmp_path, files):
    (tmp_path / "a-file").write_text("x")
    assert discover([("ollama", tmp_path / "nowhere"), ("lmstudio", tmp_path / "a-file"),
                     ("huggingface", tmp_path / "nowhere"), ("jan", tmp_path)]) == []


def test_non_gguf_names_and_later_split_parts_are_skipped(tmp_path, files):
    shutil.copyfile(files["good"], tmp_path / "gpt-oss-20b.bin")
    shutil.copyfile(files["good"], tmp_path / "gpt-oss-20b-00002-of-00002.gguf")
    shutil.copyfile(files["good2"], tmp_path / "gpt-oss-20b-00001-of-00002.gguf")
    found = discover([("models-folder", tmp_path)])
    assert [f.path.name for f in found] == ["gpt-oss-20b-00001-of-00002.gguf"]


def test_found_is_frozen(found):
    with pytest.raises(AttributeError):
        found[0].usable = False  # type: ignore[misc]
    assert isinstance(found[0], Found)


# ------------------------------------------------------------------ default locations

def test_default_locations_linux(tmp_path):
    home = tmp_path
    locs = default_locations(home=home, env={}, platform="linux")
    assert locs == [
        ("huggingface", home / ".cache/huggingface/hub"),
        ("lmstudio", home / ".lmstudio/models"),
        ("lmstudio", home / ".cache/lm-studio/models"),
        ("jan", home / "jan/models"),
        ("jan", home / ".local/share/Jan/data/llamacpp/models"),
        ("jan", home / ".local/share/Jan/data/models"),
        ("ollama", home / ".ollama/models"),
        ("ollama", Path("/usr/share/ollama/.ollama/models")),
    ]


def test_default_locations_macos_and_windows(tmp_path):
    mac = dict(default_locations(home=tmp_path, env={}, platform="darwin"))
    assert ("jan", tmp_path / "Library/Application Support/Jan/data/llamacpp/models") in \
        default_locations(home=tmp_path, env={}, platform="darwin")
    assert "/usr/share" not in str(mac)
    win = default_locations(home=tmp_path, env={"APPDATA": str(tmp_path / "Roaming")}, platform="win32")
    assert ("jan", tmp_path / "Roaming/Jan/data/llamacpp/models") in win
    assert ("ollama", tmp_path / ".ollama/models") in win


@pytest.mark.parametrize("env, hub", [
    ({"HF_HUB_CACHE": "/x/hub", "HF_HOME": "/y"}, "/x/hub"),
    ({"HF_HOME": "/y"}, "/y/hub"),
    ({"XDG_CACHE_HOME": "/z"}, "/z/huggingface/hub"),
    ({"HF_HUB_CACHE": "~/elsewhere"}, "HOME/elsewhere"),
])
def test_default_locations_hugging_face_env(tmp_path, env, hub):
    locs = default_locations(home=tmp_path, env=env, platform="linux")
    assert [p for s, p in locs if s == "huggingface"] == [Path(hub.replace("HOME", str(tmp_path)))]


def test_default_locations_env_and_settings(tmp_path):
    (tmp_path / ".lmstudio").mkdir()
    (tmp_path / ".lmstudio" / "settings.json").write_text(json.dumps({"downloadsFolder": "/big/disk/models"}))
    (tmp_path / ".lmstudio-home-pointer").write_text("/opt/lmstudio\n")
    locs = default_locations(home=tmp_path, env={"OLLAMA_MODELS": "/srv/ollama", "XDG_DATA_HOME": "/data"},
                             platform="linux", models_dir=tmp_path / "ours")
    assert locs[0] == ("models-folder", tmp_path / "ours")
    assert [p for s, p in locs if s == "lmstudio"] == [
        Path("/opt/lmstudio/models"), tmp_path / ".lmstudio/models", tmp_path / ".cache/lm-studio/models",
        Path("/big/disk/models"),
    ]
    assert ("jan", Path("/data/Jan/data/llamacpp/models")) in locs
    assert [p for s, p in locs if s == "ollama"][0] == Path("/srv/ollama")


def test_discover_default_locations_reads_only_the_named_folders(machine, monkeypatch):
    # home itself (and its Downloads) is never walked: only the named folders below it
    import copilot.core.models.discover as discover_module

    walked = []
    real_walk = discover_module._walk

    def spy(root, *args, **kwargs):
        walked.append(Path(root))
        return real_walk(root, *args, **kwargs)

    monkeypatch.setattr(discover_module, "_walk", spy)
    discover(_locations(machine))
    home = machine["home"]
    assert home not in walked and home / "Downloads" not in walked
    assert all(any(str(w).startswith(str(p)) for _, p in _locations(machine)) for w in walked)
