"""Run the tasks waiting in django_tasks_db's table as one ``db_worker --batch`` pass does, inside a test."""

from __future__ import annotations


def run_queued_tasks(prefix: str = "core.tasks.") -> int:
    """Claim each ready task and run it through the worker's own ``run_task``; how many had this path prefix.

    (The command itself closes the connection between tasks, which a test's transaction cannot survive.)
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    count = 0
    while (result := DBTaskResult.objects.ready().filter(backend_name="default").get_locked()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        assert result.status == "SUCCESSFUL", result.traceback
        count += result.task_path.startswith(prefix)  # saving a model also queues Wagtail's reference index
    return count
