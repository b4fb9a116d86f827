"""Following live sources: a live-blog page, an RSS/Atom feed or a local file.

``Follower.poll_once()`` fetches every source that is due, reads what changed
into posts and claims (as re-ingesting a later capture does), and returns a
``FollowResult`` (new, edited and retired claim ids, one log line per event)
that the CLI prints and the workbench shows. Nothing here draws anything.

Modules: fetch (HTTP: httpx, conditional requests, retries, limits), feeds
(RSS/Atom: feedparser), read (a fetched body or a file into posts, richest
form first), changes (what an edit changed, in words), staging (ingest, link
and quote checks on private copies, then one short commit), follower (the
schedule and the bookkeeping), waiting (watchfiles for followed files),
refresh (has the database changed on disk, for a read-only workbench).
"""
