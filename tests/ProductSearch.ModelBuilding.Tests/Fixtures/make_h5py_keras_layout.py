"""Writes h5py-keras-layout.h5: a tiny file laid out the way Keras saves weights through h5py.

Run with Debian's python3-h5py (3.7): python3 make_h5py_keras_layout.py
layer_names is a fixed-length byte-string array (as in the published 2016 notop file),
weight_names is a list of bytes (h5py 3 stores it variable-length), and layers without
weights get an empty list, which h5py stores as a zero-length float64 array.
"""
import h5py
import numpy as np

LAYERS = ["input_1", "block1_conv1", "block1_pool"]

with h5py.File("h5py-keras-layout.h5", "w") as f:
    f.attrs["layer_names"] = np.array([name.encode("utf8") for name in LAYERS], dtype="S")
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.2.4"
    for name in LAYERS:
        group = f.create_group(name)
        if name == "block1_conv1":
            group.attrs["weight_names"] = [b"block1_conv1/kernel:0", b"block1_conv1/bias:0"]
            kernel = np.arange(3 * 3 * 3 * 2, dtype=np.float32).reshape(3, 3, 3, 2)
            group.create_dataset("block1_conv1/kernel:0", data=kernel)
            group.create_dataset("block1_conv1/bias:0", data=np.array([0.5, -0.5], dtype=np.float32))
        else:
            group.attrs["weight_names"] = []
