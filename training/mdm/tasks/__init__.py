"""What one training loop (training/train.py) needs to know of the thing it trains: a task builds the
model, draws batches as per-level targets, and names its own checkpoint keys (core's tasks/ in Python)."""
