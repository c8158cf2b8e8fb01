"""E-Divisive means: change points in one series (Matteson & James 2014).

"A Nonparametric Approach for Multiple Change Point Analysis of Multivariate
Data", JASA 109(505), 2014: hierarchical divisive estimation with the energy
distance. MongoDB's CI performance testing ("Change Point Detection in
Software Performance Testing", ICPE 2020) and its open-source descendant
Apache Otava (formerly Hunter) use it on per-commit benchmark results, as
this module does on handlecheck's history.

For a segment X = x[s:e] split at t into A = x[s:t] and B = x[t:e]
(|A| = m, |B| = n), the divergence is

    Q(t) = m n / (m + n) * ( 2/(m n) sum |a - b|^alpha
                             - 1/C(m,2) sum_{a<a'} |a - a'|^alpha
                             - 1/C(n,2) sum_{b<b'} |b - b'|^alpha )

with 0 < alpha < 2 (here 1, as MongoDB and Otava use it). Like them, the
split's right end is the segment's end (the paper also maximises over it).
The best split over all current segments is tested by permutation: the
points of each segment are shuffled within their segment, the best Q is
computed again, and p = (1 + #{permuted >= observed}) / (1 + permutations).
A split with p <= significance is kept and the search goes on in the pieces;
the first split that is not significant ends it.

Uses numpy only (Debian python3-numpy). The permutations come from a fixed
seed, so one series always gives the same change points.
"""
import numpy as np

DEFAULTS = {"significance": 0.005, "permutations": 999, "min_size": 3, "alpha": 1.0,
            "seed": 20140101}


def _prefix(d):
    """2-D prefix sums of distance matrices (..., n, n): S[..., i, j] = d[..., :i, :j].sum()."""
    s = np.zeros(d.shape[:-2] + (d.shape[-2] + 1, d.shape[-1] + 1))
    s[..., 1:, 1:] = d.cumsum(-2).cumsum(-1)
    return s


def _block(s, r0, r1, c0, c1):
    return s[..., r1, c1] - s[..., r0, c1] - s[..., r1, c0] + s[..., r0, c0]


def _split_statistic(s, start, end, min_size):
    """(Q per split, splits) of [start, end) with both sides >= min_size, from
    the prefix sums `s` (..., n+1, n+1); (None, None) if it is too short."""
    ts = np.arange(start + min_size, end - min_size + 1)
    if ts.size == 0:
        return None, None
    m = (ts - start).astype(float)
    n = (end - ts).astype(float)
    # Index arrays of one length, so a batch (..., T) never meets a (...,) term.
    st, en = np.full_like(ts, start), np.full_like(ts, end)
    between = _block(s, st, ts, ts, en)
    # Each within-segment block counts every pair twice (the matrix is symmetric).
    within_a = _block(s, st, ts, st, ts) / 2
    within_b = _block(s, ts, en, ts, en) / 2
    q = m * n / (m + n) * (2 * between / (m * n) - within_a / (m * (m - 1) / 2) -
                           within_b / (n * (n - 1) / 2))
    return q, ts


def _best_over(d, bounds, min_size):
    """The best split of any segment of one distance matrix: (Q, t, segment)."""
    s = _prefix(d)
    best = (None, None, None)
    for start, end in zip(bounds, bounds[1:]):
        q, ts = _split_statistic(s, start, end, min_size)
        if q is not None:
            i = int(np.argmax(q))
            if best[0] is None or q[i] > best[0]:
                best = (float(q[i]), int(ts[i]), (start, end))
    return best


def _best_permuted(d, orders, bounds, min_size):
    """The best Q of each permuted matrix d[order][:, order], batched."""
    batch = d[orders[:, :, None], orders[:, None, :]]
    s = _prefix(batch)
    best = np.full(len(orders), -np.inf)
    for start, end in zip(bounds, bounds[1:]):
        q, _ = _split_statistic(s, start, end, min_size)
        if q is not None:
            best = np.maximum(best, q.max(axis=-1))
    return best


def change_points(values, significance=DEFAULTS["significance"],
                  permutations=DEFAULTS["permutations"], min_size=DEFAULTS["min_size"],
                  alpha=DEFAULTS["alpha"], seed=DEFAULTS["seed"]):
    """The change points of `values`, in order: dicts with `index` (the first
    point of the new level), `q` (the divergence) and `p` (permutation test).

    min_size: the fewest points on either side of a change point, so the last
    min_size - 1 points of a history cannot hold one yet."""
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise ValueError("change_points: a one-dimensional series of finite numbers")
    if min_size < 2:
        raise ValueError("change_points: min_size must be at least 2 (a side needs a pair)")
    rng = np.random.default_rng(seed)
    d = np.abs(x[:, None] - x[None, :])**alpha
    bounds = [0, len(x)]
    found = []
    # Permuted matrices are built in batches; a test stops early once its p
    # can no longer reach the significance.
    batch = max(1, min(permutations, 200000 // max(1, len(x) * len(x))))
    while True:
        q, t, _ = _best_over(d, bounds, min_size)
        if q is None:
            break
        exceed, done = 0, 0
        while done < permutations:
            k = min(batch, permutations - done)
            orders = np.tile(np.arange(len(x)), (k, 1))
            for start, end in zip(bounds, bounds[1:]):
                # Every segment shuffled within itself, each row on its own.
                orders[:, start:end] = rng.permuted(orders[:, start:end], axis=1)
            exceed += int(np.count_nonzero(_best_permuted(d, orders, bounds, min_size) >= q))
            done += k
            if (1 + exceed) / (1 + permutations) > significance:
                break  # not significant whatever the rest gives
        p = (1 + exceed) / (1 + permutations)
        if p > significance:
            break
        found.append({"index": t, "q": q, "p": p})
        bounds = sorted(bounds + [t])
    return sorted(found, key=lambda c: c["index"])


def segments(n, points):
    """[(start, end)] of the levels that the change points cut 0..n into."""
    cuts = [0] + [c["index"] for c in points] + [n]
    return list(zip(cuts, cuts[1:]))
