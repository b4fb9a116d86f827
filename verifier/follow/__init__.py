"""Following live sources: a live-blog page, an RSS/Atom feed or a local file.

``Follower.poll_once()`` fetches every source that is due, reads what changed
into posts and claims (as re-ingesting a later capture does), and returns a
``FollowResult`` (new, edited and retired claim ids, one log line per event)
that the CLI prints and the workbench shows. Nothing here draws anything.
Modules: fetch (HTTP), feeds (RSS/Atom), read (bytes → posts), follower.
"""
