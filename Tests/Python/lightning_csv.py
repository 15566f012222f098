"""A real Lightning fit logging to CSVLogger, slow enough to watch: a step
logs train_loss (the file is flushed every 5 steps); at step 20 it waits
until the file CONTINUE exists; the epoch's validation then adds val_loss,
and Lightning rewrites metrics.csv whole with the new column.

    lightning_csv.py SAVE_DIR CONTINUE
"""

import os
import sys
import time

import lightning.pytorch as pl
import torch
from lightning.pytorch.loggers import CSVLogger
from torch import nn

save_dir, go_on = sys.argv[1], sys.argv[2]


class Model(pl.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Linear(3, 1)

    def training_step(self, batch, index):
        x, y = batch
        loss = nn.functional.mse_loss(self.net(x), y)
        self.log("train_loss", loss)
        time.sleep(0.02)
        return loss

    def on_train_batch_end(self, outputs, batch, index) -> None:
        if self.global_step == 20:
            while not os.path.exists(go_on):
                time.sleep(0.02)

    def validation_step(self, batch, index):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self.net(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


x = torch.randn(640, 3)
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True)), batch_size=16)
pl.Trainer(
    max_epochs=1, logger=CSVLogger(save_dir, name="run", version=0, flush_logs_every_n_steps=5), log_every_n_steps=1,
    enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
).fit(Model(), data, data)
