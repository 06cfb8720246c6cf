"""Files in S3-compatible buckets (django-storages over boto3), used when the environment names a
bucket (docs/deployment.md); the local filesystem stays the default.

Nothing in a bucket is public: listing images and logos are shown only while their listing or
cooperative is visible, and verification documents only to members and moderators. So a file's
`url` is Minga's own address for it (the permission-checked views under MEDIA_URL, or the
document view), and those views answer with a redirect to a signed URL that lives a few minutes
(`signed_url`). The bytes never pass through the app servers."""

from typing import Any

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class SignedS3Storage(S3Storage):
    """A bucket whose objects are reached only through signed, short-lived URLs.

    `gate_url`: what `url()` answers, the prefix of the view that checks permissions.
    `public_endpoint_url`: the address browsers reach the store by, when the app servers reach it
    by another (MinIO as `http://minio:9000` inside docker-compose, `http://localhost:9000` for
    the browser). A signature covers the host, so the URL is signed for the browser's address;
    signing needs no network, only the keys.
    """

    def get_default_settings(self) -> dict[str, Any]:
        return {**super().get_default_settings(), "gate_url": "", "public_endpoint_url": ""}

    def url(
        self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        return self.gate_url + filepath_to_uri(clean_name(name))

    def signed_url(self, name: str, *, parameters: dict[str, str] | None = None) -> str:
        """A GET of the object that works for `querystring_expire` seconds, then answers 403.
        `parameters`: S3's response overrides (ResponseContentType, ...), covered by the signature."""
        params = {
            **(parameters or {}),
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return self._signing_client().generate_presigned_url(
            "get_object", Params=params, ExpiresIn=self.querystring_expire
        )

    def _signing_client(self) -> Any:
        if not self.public_endpoint_url:
            return self.connection.meta.client
        client = getattr(self, "_public_client", None)
        if client is None:
            client = self._create_session().client(
                "s3",
                region_name=self.region_name,
                endpoint_url=self.public_endpoint_url,
                config=self.client_config,
            )
            self._public_client = client
        return client


class _PrivateStorage(LazyObject):
    """`storages["private"]`, looked up on first use and again after STORAGES changes (a model
    field keeps the storage it was given when its class was built)."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty  # type: ignore[assignment]


def signed_redirect(
    storage: SignedS3Storage,
    name: str,
    *,
    content_type: str,
    download_name: str = "",
    cache_control: str = "private, no-store",
) -> HttpResponseRedirect:
    """The answer of a permission-checked view for a file in a bucket: a redirect, itself never
    cached, to a signed URL whose answer carries the type, disposition and caching Minga chose
    (S3 sets them from the signed query, so nobody can change them)."""
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": cache_control}
    if download_name:
        parameters["ResponseContentDisposition"] = content_disposition_header(True, download_name)
    response = HttpResponseRedirect(storage.signed_url(name, parameters=parameters))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(
    file: FieldFile, *, content_type: str, download_name: str
) -> HttpResponseBase:
    """A private file as an attachment, for the API and the pages alike (after their permission
    check): in a private bucket, a redirect to a short-lived signed URL; on the local disk, the
    bytes. Either way the type is the one Minga stored and the browser may not sniff another."""
    if isinstance(file.storage, SignedS3Storage):
        return signed_redirect(
            file.storage, str(file.name), content_type=content_type, download_name=download_name
        )
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("This file is missing.") from exc
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=download_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
