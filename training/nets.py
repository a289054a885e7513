"""The small CNNs behind the learned checks: plain 3x3 conv stacks that run in a few ms on one CPU core."""

from __future__ import annotations

import torch
from torch import nn


def _conv(c_in: int, c_out: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class SmallNet(nn.Module):
    """`widths` stages, each a stride-2 conv then a stride-1 conv; global average pool; one sigmoid per head."""

    def __init__(self, widths: tuple[int, ...], n_heads: int, dropout: float = 0.2) -> None:
        super().__init__()
        layers, c_in = [], 3
        for width in widths:
            layers += [_conv(c_in, width, 2), _conv(width, width)]
            c_in = width
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(c_in, n_heads))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits; `probabilities` wraps this with the input scaling and sigmoid for export."""
        x = (x - 0.5) / 0.25
        return self.head(self.features(x).mean(dim=(2, 3)))


class Probabilities(nn.Module):
    """What ships: crop in [0, 1] -> P(rule broken) per head (any net giving logits: SmallNet, the lens net)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.net(x))


class TrunkNet(nn.Module):
    """A pretrained trunk (training/pretrained.py) with global average pooling and one sigmoid per head.

    The trunk's layers up to `frozen` keep their pretrained weights and batch statistics: with a few
    thousand faces, tuning its early, generic layers only adds noise (and time)."""

    def __init__(self, trunk: nn.Module, channels: int, n_heads: int, frozen: str | None,
                 dropout: float = 0.2) -> None:
        super().__init__()
        self.trunk = trunk
        names = list(trunk.layers)
        self.frozen = [trunk.layers[n] for n in names[: names.index(frozen) + 1 if frozen else 0]]
        for module in self.frozen:
            module.requires_grad_(False)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(channels, n_heads))

    def train(self, mode: bool = True) -> TrunkNet:
        super().train(mode)
        for module in self.frozen:
            module.eval()
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of a BGR crop in [0, 1]; the trunk wants RGB in [-1, 1]."""
        x = x.flip(1) * 2 - 1
        return self.head(self.trunk(x).mean(dim=(2, 3)))
