"""`transcribe` and `summarize` on recordings, as a user runs them: a subprocess, a fresh HOME,
the real Whisper tiny.en, the scripted tiny gpt-oss for the minutes."""

import json

import pytest

from test_cli import cli, env  # noqa: F401 - the fixture
from tests import speech_data
from tiny_gpt_oss import write_tiny_gpt_oss

MINUTES = ("## Decisions\n|- Revised budget to the client |by Friday |[2]\n## Action items\n|- **Marta**: |send the "
           "revised budget |(due: Friday) |[2]\n")


@pytest.fixture(scope="module")
def phone_m4a(meeting_wav, tmp_path_factory):
    """The meeting as a phone records it: AAC in .m4a."""
    from copilot.core import audio

    return speech_data.encode(audio.decode(meeting_wav).samples, tmp_path_factory.mktemp("phone") / "call.m4a")


def test_transcribe_prints_timed_lines(env, tmp_path, phone_m4a, whisper_tiny):  # noqa: F811
    r = cli(["transcribe", str(phone_m4a), "--asr-model", str(whisper_tiny)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) >= 3
    assert lines[0].startswith("[00:00:0") and "morning" in lines[0].lower()
    assert "Friday" in r.stdout
    assert "Transcribing call.m4a" in r.stderr and "100%" in r.stderr
    assert list((tmp_path / "home").iterdir()) == []  # nothing written outside --basedir


@pytest.mark.parametrize("fmt, head", [("vtt", "WEBVTT\n\n00:00:0"), ("srt", "1\n00:00:0")])
def test_transcribe_subtitles(env, tmp_path, meeting_wav, whisper_tiny, fmt, head):  # noqa: F811
    r = cli(["transcribe", str(meeting_wav), "--asr-model", str(whisper_tiny), "--format", fmt], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(head)


def test_transcribe_json(env, tmp_path, meeting_wav, whisper_tiny):  # noqa: F811
    r = cli(["transcribe", str(meeting_wav), "--asr-model", str(whisper_tiny), "--format", "json",
             "--language", "en", "--threads", "1"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["language"] == "en" and data["duration"] > 15
    assert all(s["end"] > s["start"] for s in data["segments"])


def test_summarize_a_recording_cites_the_moment(env, tmp_path, phone_m4a, whisper_tiny):  # noqa: F811
    words = [w.replace(" ", "Ġ").replace("\n", "Ċ") for w in MINUTES.split("|")]
    model = write_tiny_gpt_oss(tmp_path / "minutes.gguf", script=("<|channel|>", "final", "<|message|>", *words,
                                                                   "<|return|>"))
    r = cli(["summarize", str(phone_m4a), "--json", "--asr-model", str(whisper_tiny), "--asr-language", "en",
             "--reasoning", "low", "--model", str(model)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    (evidence,) = data["action_items"][0]["evidence"]
    assert evidence["line"] == 2 and "Friday" in evidence["quote"]
    assert 3.0 < evidence["start_time"] < 8.0  # when Marta's line was said
    assert data["action_items"][0]["verified"] is True


@pytest.mark.parametrize("make, args, code, message", [
    ("speech", [], 3, "no speech model yet"),
    ("speech", ["--asr-model", "{tmp}"], 3, "not a complete speech model"),
    ("speech", ["--asr-model", "{tiny}", "--language", "es"], 3, "English only"),
    ("silence", ["--asr-model", "{tiny}"], 4, "no speech was heard"),
    ("video", ["--asr-model", "{tiny}"], 4, "no sound track"),
    ("empty", ["--asr-model", "{tiny}"], 4, "empty (0 bytes)"),
])
def test_transcribe_errors(env, tmp_path, meeting_wav, whisper_tiny, make, args, code, message):  # noqa: F811
    files = {"speech": lambda: meeting_wav,
             "silence": lambda: speech_data.encode(speech_data.noise(5), tmp_path / "quiet.ogg"),
             "video": lambda: speech_data.video_without_sound(tmp_path / "screen.mp4"),
             "empty": lambda: (tmp_path / "none.mp3").write_bytes(b"") or tmp_path / "none.mp3"}
    args = [a.format(tmp=tmp_path, tiny=whisper_tiny) for a in args]
    r = cli(["transcribe", str(files[make]()), *args], env, tmp_path)
    assert r.returncode == code, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr


@pytest.fixture
def whisper_hub(whisper_tiny):
    """The fake Hub serving tiny.en's files under whisper-small's name and pinned revision."""
    from copilot.core.models.catalog import WHISPER_SMALL
    from fake_hub import FakeHub, HubFile

    files = {name: HubFile((whisper_tiny / name).read_bytes()) for name in WHISPER_SMALL.filenames}
    server = FakeHub(WHISPER_SMALL.repo_id, files, commit=WHISPER_SMALL.revision).start()
    yield server
    server.stop()


def test_download_the_speech_model_then_transcribe_with_it(env, tmp_path, whisper_hub, meeting_wav):  # noqa: F811
    hub_env = {**env, "HF_ENDPOINT": whisper_hub.url}
    r = cli(["models", "download", "whisper-small"], hub_env, tmp_path)
    assert r.returncode == 0, r.stderr
    folder = tmp_path / "base" / "data" / "models" / "speech" / "whisper-small"
    assert r.stdout.strip() == str(folder)
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(
        ["model.bin", "config.json", "tokenizer.json", "vocabulary.txt"])
    r = cli(["models", "list", "--json"], hub_env, tmp_path)
    row = next(x for x in json.loads(r.stdout)["catalog"] if x["name"] == "whisper-small")
    assert row["state"] == "downloaded" and row["path"] == str(folder)
    # found without --asr-model: the downloaded default
    r = cli(["transcribe", str(meeting_wav)], {**env, "HF_ENDPOINT": "http://127.0.0.1:9"}, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Friday" in r.stdout


def test_import_a_speech_model_folder(env, tmp_path, whisper_tiny, meeting_wav):  # noqa: F811
    r = cli(["models", "import", str(whisper_tiny)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "transcribes with the speech model" in r.stdout
    r = cli(["transcribe", str(meeting_wav), "--format", "srt"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("1\n")
    r = cli(["models", "import", str(tmp_path)], env, tmp_path)
    assert r.returncode == 3 and "not a complete speech model" in r.stderr
