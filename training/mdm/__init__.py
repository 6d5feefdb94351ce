"""Matryoshka Diffusion Models (Gu et al., ICLR 2024) for small, CPU-trainable text-to-image bundles."""
