"""The office's review desk (``fazhi-lint serve``): a local web application over a real store.

It checks an inbox (and files added in the page) with the same pipeline as ``fazhi-lint check``
(``checker.run``; ``jobs.py``, ``ingest.py``), keeps runs, units, reports, findings and the
reviewer's decisions in a store (SQLite by default, PostgreSQL by URL; ``schema.py``, ``migrate.py``,
``store.py``), recomputes the scores from the decisions (``review.py``), writes letters from them
(``letters.py``), pairs a unit's reports year by year (``history.py``), and serves pages and a JSON
API (``app.py``, ``pages.py``, ``api.py``) behind a guard (``security.py``: 127.0.0.1, access
token, CSRF, size limits). ``dump.py`` backs the store up and exports it as JSON.

Above ``run`` and ``outputs`` (it calls the pipeline and the letter writer); below ``cli``. The
modules are imported where they are used (``fazhi-lint db`` needs no web framework).
"""
