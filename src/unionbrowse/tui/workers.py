"""What happens when background work fails: the reader is told in a notification, never shown a traceback."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState


def report_failure(node: DOMNode, event: Worker.StateChanged) -> None:
    """The one handler for every worker (each runs with ``exit_on_error=False``): a failure becomes a message."""
    if event.state != WorkerState.ERROR:
        return
    error = event.worker.error
    node.log.error(f"worker {event.worker.name!r} failed: {error!r}")
    what = (event.worker.description or event.worker.name or "background work").split("(")[0]
    # The error may quote the data folder (a title, a value): the app shows every notification as visible text.
    node.app.notify(f"{what} failed: {error}", title="Something went wrong", severity="error", timeout=10,
                    markup=False)  # fmt: skip
