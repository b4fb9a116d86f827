"""Linking duplicate claims across posts and flagging where they disagree."""

from verifier.link.linker import Decisions, Linked, finalize, link_new, recluster, relink

__all__ = ["Decisions", "Linked", "finalize", "link_new", "recluster", "relink"]
