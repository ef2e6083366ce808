"""The persistent job queue (wachtrij): jobs are rows; any process may run them.

`queue` holds the table operations (enqueue, atomic claim, heartbeat, finish,
recovery of jobs whose worker died); `worker` the loop that runs them, used by the
App's worker thread, by `incasso worker` and by `incasso set process --wait`.
Handlers register per kind in `registry`. Nothing here imports Textual.
"""
