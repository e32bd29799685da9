"""The desk's state (``Desk``: the store, the one loaded rule set, the checker thread, the settings)
and its opening. Kept apart from the web application so that ``fazhi-lint serve`` starts checking the
inbox before it imports the web framework."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass
class Desk:
    store: object                   # store.Store
    loaded: object                  # run.Loaded: the plugins and the one rule set of this desk
    request: object                 # run.RunRequest every check starts from
    checker: object = None          # jobs.Checker
    csrf: str = ""
    token: str = ""                 # access token ("" : none; required for a host other than 127.0.0.1)
    hosts: object = None            # Host header values answered (None: any)
    office: str = ""
    date: str = ""
    max_bytes: int = 64 * 1024 * 1024
    max_upload: int = 256 * 1024 * 1024

    @property
    def store_name(self) -> str:
        """The store as the footer names it: the file's name only, never the server's folders."""
        return os.path.basename(self.store.target) if self.store.is_sqlite else "PostgreSQL"


def open_desk(store, request, *, office="", date="", token="", hosts=None, max_upload=256 * 1024 * 1024) -> Desk:
    """Load the rule set once, start the checker thread and read the desk's CSRF token from the store."""
    from ..run import load
    from .jobs import Checker

    loaded = load(request)
    with store.read() as conn:
        csrf = store.setting(conn, "csrf_secret", "")
    desk = Desk(store=store, loaded=loaded, request=request, csrf=csrf, token=token, hosts=hosts, office=office,
                date=date, max_bytes=request.max_bytes, max_upload=max_upload)
    desk.checker = Checker(store, loaded, request)
    return desk
