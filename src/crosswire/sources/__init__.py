"""Live sources -> RawDocument: pages fetched politely and safely (``fetch``, with robots.txt in
``robots`` and the SSRF guard in ``guard`` and ``transport``), RSS/Atom feeds (``feeds``), web
archives (``warc``), the sources file and poll schedule of watch mode (``listing``, ``schedule``).
The use cases that drive them are in ``crosswire.service.sources`` and ``.watch``; the state they
keep is in ``crosswire.store.sources``. See docs/sources.md."""
