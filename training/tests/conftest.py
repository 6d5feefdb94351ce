import os
import sys

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# Tests share two cores with everything else; one thread avoids OpenMP barrier stalls under load.
torch.set_num_threads(1)
