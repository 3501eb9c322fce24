"""core.imports, whatever the kind: a confirmation that fails leaves nothing behind, a bug is a sentence."""

import pytest

from core import imports
from core.models import ImportJob, PendingUpload
from people.models import CommunityCentre
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind():
    """A kind whose confirmation writes a centre, then fails as the sheet says ("ok", "refuse" or "crash")."""

    def preview(job, files):
        ((name, content),) = files.values()
        return {"ok": content != b"refuse-preview", "rows": [{"name": name}], "totals": {"new": 1}}

    def confirm(job, files):
        ((_name, content),) = files.values()
        CommunityCentre.objects.create(name="Creado por la prueba", municipality="Huixtán")
        if content == b"crash":
            raise RuntimeError("a bug")
        return {"ok": content == b"ok", "errors": [] if content == b"ok" else ["Fila 2: mal"]}

    imports.register("test", preview=preview, confirm=confirm)
    yield "test"
    imports.KINDS.pop("test")


def run(owner, kind, content):
    job = imports.import_job_start(owner=owner, kind=kind, files={"file": ("x.csv", content)}, params={"n": 1})
    assert job.status == ImportJob.Status.PREVIEWED and job.params == {"n": 1, "uploads": {"file": str(job.upload_id)}}
    assert imports.import_job_confirm_request(job=job, user=owner)
    assert not imports.import_job_confirm_request(job=job, user=owner)  # queued once
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("content", [b"refuse", b"crash"])
def test_a_refused_or_broken_confirmation_leaves_nothing_behind(kind, content, caplog):
    owner = factories.AdminFactory(username="admin-imports")
    job = run(owner, kind, content)
    assert job.status == ImportJob.Status.FAILED
    assert not CommunityCentre.objects.filter(name="Creado por la prueba").exists()  # rolled back
    assert PendingUpload.objects.filter(pk=job.upload_id).exists()  # kept with its job (it expires on its own)
    if content == b"crash":
        assert "Algo salió mal" in job.result["file_error"] and "a bug" in caplog.text


def test_a_good_confirmation_commits_and_a_refused_preview_keeps_no_file(kind, django_capture_on_commit_callbacks):
    owner = factories.AdminFactory(username="admin-imports")
    with django_capture_on_commit_callbacks(execute=True):
        job = run(owner, kind, b"ok")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and CommunityCentre.objects.filter(name="Creado por la prueba").exists()
    assert job.upload_id is None  # imported: the kept file went after the commit
    refused = imports.import_job_start(owner=owner, kind=kind, files={"file": ("x.csv", b"refuse-preview")})
    assert refused.status == ImportJob.Status.REFUSED and refused.upload_id is None
    assert not imports.import_job_confirm_request(job=refused, user=owner)


def test_only_her_jobs_and_a_known_kind(kind):
    owner, other = factories.AdminFactory(username="admin-a"), factories.AdminFactory(username="admin-b")
    job = imports.import_job_start(owner=owner, kind=kind, files={"file": ("x.csv", b"ok")})
    assert not imports.import_job_confirm_request(job=job, user=other)
    from core.selectors import import_job_for, import_jobs_recent

    assert import_job_for(owner=other, job_id=job.pk, kind=kind) is None
    assert import_job_for(owner=owner, job_id=job.pk, kind="roster") is None
    assert import_job_for(owner=owner, job_id="not-a-uuid", kind=kind) is None
    assert import_job_for(owner=owner, job_id=job.pk, kind=kind) == job
    assert import_jobs_recent(owner=owner, kind=kind, params={"n": 2}) == []
    with pytest.raises(LookupError):
        imports.import_job_start(owner=owner, kind="nothing", files={"file": ("x.csv", b"ok")})


def test_a_job_from_before_the_move_confirms_with_its_one_upload(kind, django_capture_on_commit_callbacks):
    """Roster jobs copied from reports.ImportJob (migration 0004) have ``upload`` and no ``params["uploads"]``."""
    from core import uploads

    owner = factories.AdminFactory(username="admin-old-job")
    kept = uploads.upload_keep(owner=owner, purpose="roster", name="viejo.csv", content=b"ok")
    job = ImportJob.objects.create(owner=owner, kind=kind, upload=kept, filename="viejo.csv", language="es")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CONFIRMING)
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_job_confirm(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.upload_id is None
