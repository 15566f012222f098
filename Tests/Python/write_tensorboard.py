"""Writes a training run's scalars with torch.utils.tensorboard.SummaryWriter,
in two phases, as a run that restarts would: steps 1-20 from one writer,
then (once the file CONTINUE exists) steps 21-40 from a second writer into
the same folder, so the run is spread over several event files.

    write_tensorboard.py LOGDIR CONTINUE
"""

import math
import os
import sys
import time

from torch.utils.tensorboard import SummaryWriter

logdir, go_on = sys.argv[1], sys.argv[2]


def write(writer: SummaryWriter, steps: range) -> None:
    for step in steps:
        writer.add_scalar("Loss/train", 2.0 * math.exp(-step / 10), step)
        writer.add_scalar("Accuracy/train", 1 - math.exp(-step / 8), step)
        # TF2's form: a scalar tensor rather than a simple_value.
        writer.add_scalar("lr", 0.1 if step <= 30 else 0.05, step, new_style=True)
        writer.add_scalar("grad_norm/fc1", 0.5, step)
        writer.add_scalar("grad_norm/fc2", 1e-9, step)
        writer.add_scalar("throughput", 1000.0 + step, step)
        if step % 10 == 0:
            # A sub-folder per key: Loss_val/events.out.tfevents.*
            writer.add_scalars("Loss", {"val": 2.5 * math.exp(-step / 12)}, step)
    writer.flush()


first = SummaryWriter(logdir)
write(first, range(1, 21))
first.close()
while not os.path.exists(go_on):
    time.sleep(0.02)
time.sleep(1.1)  # a second writer: its file name (seconds since the epoch) differs
second = SummaryWriter(logdir)
write(second, range(21, 41))
second.close()
