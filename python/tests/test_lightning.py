"""The Lightning callback: a real Trainer, watched and stopped through the commands file."""

import json
import os
import threading
import time

import pytest
import torch
from torch import nn

pl = pytest.importorskip("lightning.pytorch")

from nntop.lightning import Callback  # noqa: E402


class Regression(pl.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.net(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=0.01)


def test_the_callback_records_and_a_stop_ends_the_fit(tmp_path):
    run = tmp_path / "run"
    x = torch.randn(512, 3)
    data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True)), batch_size=16)
    trainer = pl.Trainer(
        max_epochs=1000, callbacks=[Callback(run=run, sample_every=1)], logger=False, enable_checkpointing=False,
        enable_progress_bar=False, enable_model_summary=False, accelerator="cpu",
    )

    def stop_soon() -> None:
        log = run / "log.jsonl"
        while not log.exists() or log.read_text().count('"sample"') < 5:
            time.sleep(0.02)
        fd = os.open(run / "commands.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(fd, b'{"id":1,"command":"stop"}\n')
        os.close(fd)

    threading.Thread(target=stop_soon, daemon=True).start()
    trainer.fit(Regression(), data)
    records = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    assert trainer.current_epoch < 1000, "the stop ended the fit"
    samples = [r for r in records if r["type"] == "sample" and r["layers"]]
    assert samples and all(layer["grad_norm"] is not None and layer["update_ratio"] is not None for layer in samples[0]["layers"])
    assert [r for r in records if r["type"] == "event" and r["event"] == "stop"][0]["command_id"] == 1
    assert records[-1]["type"] == "summary" and records[-1]["ending"] == "quit"
