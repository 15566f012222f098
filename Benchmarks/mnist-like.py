#!/usr/bin/env python3
"""Writes MNIST-shaped IDX files (60,000 random 28×28 images, 10 labels) into
the folder given, for throughput measurements on an MNIST-sized network when
the real files are not at hand. Seeded: the same bytes every time."""
import os
import random
import struct
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "."
n, side = 60000, 28
rng = random.Random(1234)
with open(os.path.join(folder, "train-images-idx3-ubyte"), "wb") as f:
    f.write(struct.pack(">HBBIII", 0, 0x08, 3, n, side, side))
    f.write(rng.randbytes(n * side * side))
with open(os.path.join(folder, "train-labels-idx1-ubyte"), "wb") as f:
    f.write(struct.pack(">HBBI", 0, 0x08, 1, n))
    f.write(bytes(rng.randrange(10) for _ in range(n)))
