"""Linking duplicate claims across posts and flagging where they disagree."""

from verifier.link.linker import Linker, clusters_from, recluster, relink

__all__ = ["Linker", "clusters_from", "recluster", "relink"]
