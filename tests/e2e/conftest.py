"""pytest wiring for the end-to-end tests; the machinery lives in harness.py."""

from harness import anyio_backend, connect  # noqa: F401  (fixtures)
