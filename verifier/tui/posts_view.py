"""The posts view (tab): the live blog as read, each claim marked in its status colour.

A fact-checker often wants the page, not a list: claims read in context, in
page order. j/k walk the claims, s/u/d/r tag them here too, and tab goes back
to the list with the claim that was under the cursor selected.
"""

from __future__ import annotations

from typing import Callable

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from verifier.models import STATUSES, Post
from verifier.text import one_line, printable
from verifier.triage import TriageSession
from verifier.tui.detail import marked_body
from verifier.tui.keybar import KeyBar

WINDOW = 30  # posts mounted at once: a season-long blog holds thousands


class PostsScreen(Screen[str | None]):
    COMPONENT_CLASSES = {f"posts--{s}" for s in STATUSES} | {"posts--current"}
    BINDINGS = [
        Binding("tab,escape", "back", "Claims", id="posts_back", tooltip="back to the claims list"),
        Binding("j,down", "move(1)", "Next claim", id="posts_next", tooltip="next claim in reading order"),
        Binding("k,up", "move(-1)", "Prev claim", id="posts_prev", tooltip="previous claim in reading order"),
        Binding("s", "tag('sourced')", "Sourced", id="posts_tag_sourced", tooltip="sourced; next claim"),
        Binding("u", "tag('unverified')", "Unverified", id="posts_tag_unverified", tooltip="unverified; next claim"),
        Binding("d", "tag('disputed')", "Disputed", id="posts_tag_disputed", tooltip="disputed; next claim"),
        Binding("i", "tag('not-a-claim')", "Not a claim", id="posts_tag_not_a_claim", tooltip="not a claim; next"),
        Binding("r", "tag('unreviewed')", "Reset", id="posts_tag_reset", tooltip="back to unreviewed"),
        Binding("left_square_bracket", "shift(-1)", "Newer posts", id="posts_newer",
                tooltip="newer posts (up the page)"),
        Binding("right_square_bracket", "shift(1)", "Older posts", id="posts_older",
                tooltip="older posts (down the page)"),
    ]
    KEYS = ("posts_tag_sourced", "posts_tag_unverified", "posts_tag_disputed", "posts_tag_not_a_claim",
            "posts_next", "posts_prev", "posts_newer", "posts_older", "posts_back", "help", "quit")

    def __init__(self, session: TriageSession, claim_id: str, tag: Callable[[list[str], str], bool],
                 readonly: bool = False, label: Callable[[str], str] = str) -> None:
        super().__init__()
        self.session = session
        self.store = session.store
        self.tag = tag  # writes through the main screen, so its list and counters follow
        self.readonly = readonly
        self.label = label
        self.claim_id = claim_id
        self.start = 0

    def compose(self) -> ComposeResult:
        yield Static(id="posts-title")
        yield VerticalScroll(id="posts")
        yield KeyBar(self.KEYS, describe=self._describe)

    def _describe(self, binding: Binding) -> str:
        if binding.action.startswith("tag('"):
            return self.label(binding.action[5:-2]).capitalize()
        return binding.description

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"posts--{name}", partial=True)

    def _posts(self) -> list[Post]:
        claim = self.store.claim_map()[self.claim_id]
        post = self.store.post(claim.post_id)
        return self.session.source_posts(post.source_id) if post else []

    def _reading_order(self) -> list[str]:
        """Claim ids of the mounted posts, in page order."""
        session = self.session
        return [c.id for p in self._window() for c in session.post_claims(p.id)]

    def _window(self) -> list[Post]:
        return self._posts()[self.start:self.start + WINDOW]

    async def on_mount(self) -> None:
        posts = self._posts()
        post_id = self.store.claim_map()[self.claim_id].post_id
        at = next((i for i, p in enumerate(posts) if p.id == post_id), 0)
        self.start = max(0, min(at - WINDOW // 2, len(posts) - WINDOW))
        await self._mount_window()

    async def _mount_window(self) -> None:
        box = self.query_one("#posts", VerticalScroll)
        await box.remove_children()
        await box.mount_all(Static(self._render_post(p), id=f"post-{p.id}", classes="post")
                            for p in self._window())
        self._update_title()
        self.call_after_refresh(self._scroll_to_current)

    def _update_title(self) -> None:
        posts = self._posts()
        store = self.store
        claim = store.claim_map()[self.claim_id]
        post = store.post(claim.post_id)
        source = store.source(post.source_id) if post else None
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(one_line(source.title or source.path if source else "posts", 40), style="bold")
        end = min(len(posts), self.start + WINDOW)
        t.append(f"   posts {self.start + 1}-{end} of {len(posts)}", style="dim")
        t.append("   claim: ", style="dim")
        status = store.status(self.claim_id)
        t.append(self.label(status), style=self._style(status))
        self.query_one("#posts-title", Static).update(t)

    def _render_post(self, post: Post) -> Text:
        store = self.store
        out = Text()
        out.append(printable(post.headline or "(no headline)"), style="bold")
        out.append(f"\n{printable(post.published or post.timestamp_raw or '')}  {printable(post.byline or '')}\n",
                   style="dim")
        marks = []
        for c in self.session.post_claims(post.id):
            style = self._style(store.status(c.id))
            if c.id == self.claim_id:
                style = style + self._style("current")
            marks.append((c.span[0], c.span[1], style))
        out.append_text(marked_body(post.body, marks))
        return out

    def _redraw_post(self, post_id: str) -> None:
        post = self.store.post(post_id)
        if post is None:
            return
        for widget in self.query(f"#post-{post_id}"):
            widget.update(self._render_post(post))
            widget.set_class(post_id == self.store.claim_map()[self.claim_id].post_id, "current")

    def _scroll_to_current(self) -> None:
        post_id = self.store.claim_map()[self.claim_id].post_id
        for widget in self.query(f"#post-{post_id}"):
            widget.add_class("current")
            self.query_one("#posts", VerticalScroll).scroll_to_widget(widget, animate=False, top=True)

    def _select(self, claim_id: str) -> None:
        old_post = self.store.claim_map()[self.claim_id].post_id
        self.claim_id = claim_id
        new_post = self.store.claim_map()[claim_id].post_id
        self._redraw_post(old_post)
        if new_post != old_post:
            self._redraw_post(new_post)
            self._scroll_to_current()
        self._update_title()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "tag" and self.readonly else True

    def action_move(self, delta: int) -> None:
        order = self._reading_order()
        if not order:
            return
        at = order.index(self.claim_id) if self.claim_id in order else 0
        self._select(order[max(0, min(len(order) - 1, at + delta))])

    def action_tag(self, status: str) -> None:
        if self.tag([self.claim_id], status):
            self._redraw_post(self.store.claim_map()[self.claim_id].post_id)
            self.action_move(1)

    async def action_shift(self, direction: int) -> None:
        posts = self._posts()
        start = max(0, min(self.start + direction * (WINDOW // 2), max(0, len(posts) - WINDOW)))
        if start == self.start:
            return
        self.start = start
        window = self._window()
        order = [c.id for p in window for c in self.session.post_claims(p.id)]
        if self.claim_id not in order and order:
            self.claim_id = order[0] if direction > 0 else order[-1]
        await self._mount_window()

    def action_back(self) -> None:
        self.dismiss(self.claim_id)
