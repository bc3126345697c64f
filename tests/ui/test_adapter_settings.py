"""Settings ▸ Model ▸ Adapter: a LoRA adapter chosen, checked against the model before it is
kept, and loaded with the model at its scale (real llama.cpp, adapters the suite generates)."""

from __future__ import annotations

from dataclasses import replace

from copilot.core.settings import Settings
from copilot.ui.settings_dialog import SettingsDialog
from lora_data import write_lora
from ui.test_main_window import make_window


def test_the_adapter_is_checked_when_chosen(qtbot, tmp_path, tiny_gpt_oss, smol_path):
    good = tmp_path / "mail-lora.gguf"
    write_lora(good, tiny_gpt_oss, rank=2)
    other = tmp_path / "smol-lora.gguf"
    write_lora(other, smol_path, targets=("blk.0.attn_q.weight",), rank=2)
    dialog = SettingsDialog(Settings(model_path=str(tiny_gpt_oss)), managed=())
    qtbot.addWidget(dialog)
    assert "No adapter" in dialog.adapter_note.text()
    dialog.adapter_path.setText(str(good))
    assert dialog.check_adapter()
    assert "A LoRA adapter for gpt-oss: rank 2, 1 matrices adapted" in dialog.adapter_note.text()
    dialog.adapter_scale.setValue(0.5)
    s = dialog.settings()
    assert (s.adapter_path, s.adapter_scale) == (str(good), 0.5)
    dialog.adapter_path.setText(str(other))  # made for SmolLM2 (llama), not for this model
    assert not dialog.check_adapter()
    assert "llama" in dialog.adapter_note.text() and "gpt-oss" in dialog.adapter_note.text()
    dialog.adapter_path.setText(str(tiny_gpt_oss))  # a model, not an adapter
    assert not dialog.check_adapter() and "adapter" in dialog.adapter_note.text()
    dialog.model_path.setText("")  # no model chosen and no default: nothing to check against
    dialog.adapter_path.setText(str(good))
    assert not dialog.check_adapter() and "model first" in dialog.adapter_note.text()


def test_the_model_loads_with_its_adapter(qtbot, tmp_path, tiny_gpt_oss):
    adapter = tmp_path / "mail-lora.gguf"
    write_lora(adapter, tiny_gpt_oss, rank=2)
    w = make_window(qtbot, tmp_path, tiny_gpt_oss, settings=Settings(n_ctx=2048, adapter_path=str(adapter),
                                                                      adapter_scale=0.5))
    config = w.model_config()
    assert config.lora_path == adapter and config.lora_scale == 0.5
    with qtbot.waitSignal(w.runner.sig_loaded, timeout=60_000) as loaded:
        w.load_model()
    info = loaded.args[0]
    assert info.adapter == "mail-lora.gguf" and info.adapter_scale == 0.5
    # no adapter: none applied
    w.settings = replace(w.settings, adapter_path="")
    assert w.model_config().lora_path is None
    w.runner.shutdown()
    w.store.close()
