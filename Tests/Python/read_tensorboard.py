"""Reads an nntop --tensorboard directory with TensorBoard's own event reader.

Usage: read_tensorboard.py DIR

Prints JSON: {"scalars": {tag: [[step, value], ...]},
              "histograms": {tag: [[step, min, max, num, sum of bucket counts, buckets], ...]}}
"""
import json
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

accumulator = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "histograms": 0})
accumulator.Reload()
tags = accumulator.Tags()
print(json.dumps({
    "scalars": {t: [[e.step, e.value] for e in accumulator.Scalars(t)] for t in tags["scalars"]},
    "histograms": {
        t: [[e.step, e.histogram_value.min, e.histogram_value.max, e.histogram_value.num,
             sum(e.histogram_value.bucket), len(e.histogram_value.bucket)] for e in accumulator.Histograms(t)]
        for t in tags["histograms"]
    },
}))
