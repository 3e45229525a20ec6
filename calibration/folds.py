"""Fold assignment for (nested) cross-validation: repeated, grouped, deterministic."""

from __future__ import annotations

import numpy as np

Split = tuple[np.ndarray, np.ndarray]


def kfold(groups: np.ndarray, k: int, seed: int) -> list[Split]:
    """k folds over items such that no group is split between train and test.

    Groups are shuffled with `seed` and dealt to folds largest first (the emptiest fold takes
    the next group), so fold sizes stay even when groups differ in size. Fewer groups than `k`
    gives one fold per group.
    """
    uniq, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(uniq))
    # Stable sort by size (descending) after shuffling: ties keep the random order.
    order = order[np.argsort(-counts[order], kind="stable")]
    k = max(2, min(k, len(uniq)))
    load = np.zeros(k)
    fold_of_group = np.empty(len(uniq), dtype=int)
    for g in order:
        f = int(np.argmin(load))
        fold_of_group[g] = f
        load[f] += counts[g]
    fold = fold_of_group[inverse]
    idx = np.arange(len(groups))
    return [(idx[fold != f], idx[fold == f]) for f in range(k) if (fold == f).any()]


def repeated(groups: np.ndarray, k: int, repeats: int, seed: int) -> list[list[Split]]:
    """`repeats` independent k-fold partitions (seeds seed, seed+1, …)."""
    return [kfold(groups, k, seed + r) for r in range(repeats)]
