"""GraphAdam is torch's Adam, step for step, while a one-cycle schedule moves lr and beta1."""

from __future__ import annotations

import torch

from model.graph_adam import GraphAdam
from model.networks import build_network
from model.schedule import ADAM_BETA2, OneCycle


def test_graph_adam_follows_torch_adam_under_a_one_cycle_schedule() -> None:
    schedule = OneCycle(max_lr=0.005, total_steps=30)
    torch.manual_seed(0)
    ours, theirs = build_network("cnn").double(), build_network("cnn").double()
    theirs.load_state_dict(ours.state_dict())
    start = schedule.at(0)
    lr, beta1 = (
        torch.tensor(start.lr, dtype=torch.float64),
        torch.tensor(start.momentum, dtype=torch.float64),
    )
    graph_adam = GraphAdam(ours.parameters(), lr=lr, beta1=beta1, beta2=ADAM_BETA2)
    adam = torch.optim.Adam(theirs.parameters(), lr=start.lr, betas=(start.momentum, ADAM_BETA2))
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    for step in range(30):
        hyper = schedule.at(step)
        lr.fill_(hyper.lr)
        beta1.fill_(hyper.momentum)
        for group in adam.param_groups:
            group["lr"], group["betas"] = hyper.lr, (hyper.momentum, ADAM_BETA2)
        x = torch.randn(16, 1, 28, 28, generator=generator, dtype=torch.float64)
        y = torch.randint(0, 10, (16,), generator=generator)
        for network, optimizer in ((ours, graph_adam), (theirs, adam)):
            optimizer.zero_grad(set_to_none=True)
            loss_fn(network(x), y).backward()
            optimizer.step()
    assert schedule.at(8).momentum < schedule.at(0).momentum - 0.05  # beta1 did move
    for mine, reference in zip(ours.parameters(), theirs.parameters(), strict=True):
        torch.testing.assert_close(mine, reference, rtol=1e-4, atol=1e-6)
    before = [p.detach().clone() for p in ours.parameters()]
    graph_adam.zero_grad(set_to_none=True)
    graph_adam.step()  # no gradients: nothing moves
    assert all(torch.equal(a, b) for a, b in zip(before, ours.parameters(), strict=True))
