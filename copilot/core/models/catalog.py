"""The models the app offers to download, and what the Hub says about them right now.

Sizes and checksums are not written here: they come from the Hub's file metadata when
the download is prepared, so a file that was re-uploaded is noticed instead of failing
verification with a checksum from an old release of this app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

GB = 1000**3


@dataclass(frozen=True)
class CatalogEntry:
    key: str  # what `private-copilot models download KEY` takes
    title: str
    repo_id: str
    filenames: tuple[str, ...]  # one file, or the parts of a split GGUF in order
    revision: str  # a commit: the app is tested against this file, not whatever "main" becomes
    approx_size: int  # bytes; only for the first screen, before the Hub is asked
    min_memory: int  # bytes of RAM + VRAM below which the model is not offered at all
    description: str

    @property
    def filename(self) -> str:
        """The file to load: llama.cpp finds the other parts of a split model beside it."""
        return self.filenames[0]


GPT_OSS_20B = CatalogEntry(
    key="gpt-oss-20b",
    title="gpt-oss-20b",
    repo_id="ggml-org/gpt-oss-20b-GGUF",
    filenames=("gpt-oss-20b-mxfp4.gguf",),
    revision="ef9b12f2ff56c69cf32153a02784e7a3c88bf524",
    approx_size=int(12.1 * GB),
    min_memory=16 * GB,
    description="OpenAI's open-weight model for everyday writing. Needs about 16 GB of memory.",
)

GPT_OSS_120B = CatalogEntry(
    key="gpt-oss-120b",
    title="gpt-oss-120b",
    repo_id="ggml-org/gpt-oss-120b-GGUF",
    filenames=tuple(f"gpt-oss-120b-mxfp4-0000{i}-of-00003.gguf" for i in (1, 2, 3)),
    revision="main",
    approx_size=int(63.4 * GB),
    # Offered only where it can run: an 80 GB GPU or a large unified memory (Apple).
    min_memory=80 * GB,
    description="The larger sibling: better answers, needs an 80 GB GPU or a Mac with 96 GB or more.",
)

CATALOG: tuple[CatalogEntry, ...] = (GPT_OSS_20B, GPT_OSS_120B)
DEFAULT = GPT_OSS_20B

# Speech models: faster-whisper (CTranslate2) folders, one download of several files. The CPU
# default is multilingual `small` run as int8: on a 4-core laptop it transcribes several times
# faster than real time, where large-v3-turbo's 32 encoder layers of width 1280 do not (the
# figures and the choice: docs/PERFORMANCE.md, bench/bench_asr.py). Turbo is for a GPU.
WHISPER_SMALL = CatalogEntry(
    key="whisper-small",
    title="Whisper small (speech)",
    repo_id="Systran/faster-whisper-small",
    filenames=("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"),
    revision="536b0662742c02347bc0e980a01041f333bce120",
    approx_size=int(0.484 * GB),
    min_memory=0,
    description="Turns meeting recordings into text, in English, Spanish and 90 more languages. 484 MB.",
)

WHISPER_TURBO = CatalogEntry(
    key="whisper-large-v3-turbo",
    title="Whisper large-v3-turbo (speech)",
    repo_id="mobiuslabsgmbh/faster-whisper-large-v3-turbo",
    filenames=("model.bin", "config.json", "preprocessor_config.json", "tokenizer.json", "vocabulary.json"),
    revision="0a363e9161cbc7ed1431c9597a8ceaf0c4f78fcf",
    approx_size=int(1.62 * GB),
    min_memory=0,
    description="More accurate transcripts, for a computer with a GPU (slow on a laptop's CPU). 1.6 GB.",
)

SPEECH_CATALOG: tuple[CatalogEntry, ...] = (WHISPER_SMALL, WHISPER_TURBO)
SPEECH_DEFAULT = WHISPER_SMALL


def is_speech(e: CatalogEntry) -> bool:
    return e in SPEECH_CATALOG


def speech_downloaded(e: CatalogEntry, speech_models) -> bool:
    """Whether every file of speech model ``e`` is in its folder under ``speech_models``."""
    folder = speech_models / e.key
    return all((folder / n).is_file() for n in e.filenames)


def entry(key: str) -> CatalogEntry:
    for e in CATALOG + SPEECH_CATALOG:
        if e.key == key:
            return e
    raise KeyError(f"unknown model {key!r}; choose one of: {', '.join(e.key for e in CATALOG + SPEECH_CATALOG)}")


def offered(usable_memory: int) -> list[CatalogEntry]:
    """The entries worth offering on a machine with ``usable_memory`` bytes for the model.

    gpt-oss-20b is always offered (the fit check then says how well it runs); the bigger
    ones only where they can fit, so nobody downloads 63 GB to learn it will not run.
    """
    return [e for e in CATALOG if e is DEFAULT or usable_memory >= e.min_memory]


def hub_endpoint() -> str:
    """The Hub's address: $HF_ENDPOINT (a mirror, or the tests' fake) or huggingface.co.

    Read at each call, not at import like huggingface_hub's constant, so a mirror set
    after start-up is honoured.
    """
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
