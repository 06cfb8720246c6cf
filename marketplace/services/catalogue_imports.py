"""The catalogue import as a background task: the page stores the upload as a `CatalogueImport`
(file in the private storage) and the worker runs `catalogue_csv.catalogue_import` on it, in the
uploader's language, reporting progress in the shared cache (marketplace.import_progress) and
the result on the row.

Idempotent: a done or failed import is not run again. A redelivered one still "running" (the
worker died) runs again safely: the listings and the final status are written in one
transaction, so the run that died left nothing behind."""

from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import User
from cooperatives.models import Cooperative
from core.errors import DomainError
from marketplace import import_progress
from marketplace.import_progress import ImportProgress
from marketplace.models import CatalogueImport
from marketplace.services.catalogue_csv import (
    CatalogueImportError,
    catalogue_import,
    ensure_may_import,
)
from marketplace.state import IMPORT_FINISHED, ensure_import_transition


def _report(job: CatalogueImport, stage: str, done: int, total: int) -> None:
    if job.progress_token and job.actor_id is not None:
        import_progress.record(
            job.cooperative_id, job.actor_id, job.progress_token, ImportProgress(stage, done, total)
        )


def _enqueue(import_id: int) -> None:
    """After commit. Run eagerly (no broker) the task runs in this process, on this connection,
    which sees the row whether or not an outer transaction committed yet."""
    from marketplace import tasks

    if tasks.catalogue_import.app.conf.task_always_eager:
        tasks.catalogue_import.delay(import_id)
    else:
        transaction.on_commit(lambda: tasks.catalogue_import.delay(import_id), robust=True)


def catalogue_import_start(
    *, cooperative: Cooperative, actor: User, upload: UploadedFile, progress_token: str = ""
) -> CatalogueImport:
    """Keep the uploaded file and queue its import. Refuses at once what needs no reading of the
    rows (who may import, an inactive cooperative, a file too large)."""
    data = upload.read()
    ensure_may_import(cooperative, actor, data)
    with transaction.atomic():
        job = CatalogueImport(
            cooperative=cooperative,
            actor=actor,
            language=get_language() or settings.LANGUAGE_CODE,
            progress_token=progress_token,
        )
        job.file.save("catalogue.csv", ContentFile(data), save=False)
        job.save()
    _enqueue(job.pk)
    return job


def _locked(import_id: int) -> CatalogueImport | None:
    job = CatalogueImport.objects.select_for_update().filter(pk=import_id).first()
    return None if job is None or job.status in IMPORT_FINISHED else job


def catalogue_import_run(import_id: int) -> CatalogueImport | None:
    """Run a queued import (the body of marketplace.tasks.catalogue_import); None when there is
    nothing to do (unknown, or already finished)."""
    with transaction.atomic():
        job = _locked(import_id)
        if job is None:
            return None
        job.status = ensure_import_transition("start", job.status)
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    with transaction.atomic(), translation.override(job.language):
        job = _locked(import_id)  # a run redelivered meanwhile may have finished it
        if job is None:
            return None
        try:
            with job.file.open("rb") as stored:
                data = stored.read()
            result = catalogue_import(
                cooperative=job.cooperative,
                actor=job.actor,
                data=data,
                progress=partial(_report, job),
            )
        except CatalogueImportError as error:
            job.error_code, job.error_message = error.code, error.message
            job.row_errors = [row.as_dict() for row in error.rows]
        except DomainError as error:  # the person or the cooperative lost the right meanwhile
            job.error_code, job.error_message = error.code, str(error.detail)
        else:
            job.created, job.updated = result.created, result.updated
            job.unchanged, job.sent_back_to_review = result.unchanged, result.sent_back_to_review
        failed = bool(job.error_code)
        job.status = ensure_import_transition("fail" if failed else "finish", job.status)
        job.finished_at = timezone.now()
        job.save()
    # After the commit, so that a page told "finished" finds the result on the row.
    if failed:
        _report(job, "failed", 0, 0)
    else:
        _report(job, "done", job.rows, job.rows)
    return job


def catalogue_import_give_up(import_id: int) -> CatalogueImport | None:
    """The import crashed on our side and its task will not try again (a stored file that cannot
    be read, a lost database...): mark it failed, in the uploader's language, so the page stops
    waiting. Nothing was written: the listings and a finished status commit together."""
    with transaction.atomic():
        job = _locked(import_id)
        if job is None:
            return None
        with translation.override(job.language):
            job.error_code = "import_crashed"
            job.error_message = str(
                _(
                    "The import stopped on an error of ours and nothing was changed. Try again; "
                    "if it happens again, tell the Minga team."
                )
            )
        job.status = ensure_import_transition("give_up", job.status)
        job.finished_at = timezone.now()
        job.save()
    _report(job, "failed", 0, 0)
    return job
