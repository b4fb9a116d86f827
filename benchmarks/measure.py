"""Shared by the benchmarks: percentiles of latency samples."""


def pct(xs: list[float], q: float) -> float:
    """The q-th quantile (0..1) of xs, nearest rank."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]
