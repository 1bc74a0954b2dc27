"""The networks: the tutorial's exact MLP, the CNN, building by name."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from model.config import NETWORK_NAMES
from model.errors import ConfigError
from model.networks import NETWORKS, ConvNet, Net, build_network


def test_net_is_the_tutorials_mlp() -> None:
    net = Net()
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(784, 128), (128, 64), (64, 10)]
    assert (
        sum(p.numel() for p in net.parameters()) == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    )


@pytest.mark.parametrize("name", NETWORK_NAMES)
def test_networks_map_images_to_ten_logits(name: str) -> None:
    net = build_network(name)
    assert net(torch.zeros(5, 28, 28)).shape == (5, 10)
    assert net(torch.zeros(5, 1, 28, 28)).shape == (5, 10)


def test_registry_matches_the_torch_free_list() -> None:
    assert tuple(NETWORKS) == NETWORK_NAMES


def test_cnn_rebuilds_from_its_arguments() -> None:
    net = build_network("cnn", channels=8, hidden=32)
    assert isinstance(net, ConvNet)
    assert net.features[0].out_channels == 8


def test_unknown_network_and_bad_arguments_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="unknown network 'resnet'"):
        build_network("resnet")
    with pytest.raises(ConfigError, match="bad arguments"):
        build_network("mlp", width=3)
