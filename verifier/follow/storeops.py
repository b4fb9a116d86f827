"""Writes the follower needs that are narrower than the store interface's.

``update_clusters`` puts a few changed clusters and drops removed ones. The
interface has only ``set_clusters`` (replace every cluster, type-check each,
reset every claim's cluster id): O(database) per poll. A backend that offers
``update_clusters(clusters, removed)`` (the same, for the given clusters
only) is used; otherwise the whole set is written, as before.
"""

from __future__ import annotations

from typing import Iterable

from verifier.models import Cluster


def update_clusters(store, clusters: Iterable[Cluster], removed: Iterable[str]) -> None:
    clusters, removed = list(clusters), list(removed)
    if not clusters and not removed:
        return
    narrow = getattr(store, "update_clusters", None)
    if narrow is not None:
        narrow(clusters, removed)
        return
    gone = set(removed) | {cl.id for cl in clusters}
    store.set_clusters([cl for cl in store.iter_clusters() if cl.id not in gone] + clusters)
