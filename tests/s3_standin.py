"""pytest plugin (registered in tests/conftest.py): a local S3-compatible server for the object
storage tests, moto's server mode on a free 127.0.0.1 port in a background thread.

- `s3_server` (session): the server, with the media and private buckets made.
- `s3_storages`: Django's STORAGES pointed at those buckets for one test (both emptied first).

Moto keeps private objects private from an unsigned GET, like S3, but accepts any presigned URL;
S3 checks a presigned URL's signature and refuses it once it has expired. A small WSGI layer in
front of moto does those two checks, so the tests see what a browser would.
"""

from __future__ import annotations

import datetime as dt
import hmac
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

ACCESS_KEY = "AKIAMINGATESTKEY0001"
SECRET_KEY = "minga-test-secret-key-for-the-s3-stand-in"
REGION = "us-east-1"
MEDIA_BUCKET = "minga-media"
PRIVATE_BUCKET = "minga-private"
SIGNED_URL_SECONDS = 60


def _refuse(start_response: Any, code: str, message: str) -> list[bytes]:
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
    start_response("403 Forbidden", [("Content-Type", "application/xml")])
    return [body]


class PresignedUrlCheck:
    """Refuses a presigned GET whose signature does not match or whose time has run out."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        fields = dict(query)
        if "X-Amz-Signature" in fields and not environ.get("HTTP_AUTHORIZATION"):
            signed_at = dt.datetime.strptime(fields["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(
                tzinfo=dt.UTC
            )
            expires_at = signed_at + dt.timedelta(seconds=int(fields["X-Amz-Expires"]))
            if dt.datetime.now(dt.UTC) > expires_at:
                return _refuse(start_response, "AccessDenied", "Request has expired")
            if not hmac.compare_digest(self._signature(environ, query), fields["X-Amz-Signature"]):
                return _refuse(start_response, "SignatureDoesNotMatch", "The signature differs.")
        return self.app(environ, start_response)

    @staticmethod
    def _signature(environ: dict[str, Any], query: list[tuple[str, str]]) -> str:
        """What the signature of this URL is with the stand-in's secret, signed at its X-Amz-Date."""
        from botocore.auth import S3SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        fields = dict(query)
        unsigned = [(key, value) for key, value in query if not key.startswith("X-Amz-")]
        url = f"http://{environ['HTTP_HOST']}{environ.get('PATH_INFO', '')}"
        if unsigned:
            url += "?" + urlencode(unsigned)
        request = AWSRequest(method=environ["REQUEST_METHOD"], url=url)
        request.context["timestamp"] = fields["X-Amz-Date"]
        auth = S3SigV4QueryAuth(
            Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION, expires=int(fields["X-Amz-Expires"])
        )
        # add_auth would sign at this second; the URL was signed at its X-Amz-Date.
        auth._modify_request_before_signing(request)
        canonical = auth.canonical_request(request)
        return str(auth.signature(auth.string_to_sign(request, canonical), request))


class S3Server:
    def __init__(self) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        app = PresignedUrlCheck(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            "127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> S3Server:
        self._thread.start()
        for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
            self.client().create_bucket(Bucket=bucket)
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def empty(self) -> None:
        client = self.client()
        for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
            for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
                client.delete_object(Bucket=bucket, Key=item["Key"])

    def keys(self, bucket: str) -> list[str]:
        contents = self.client().list_objects_v2(Bucket=bucket).get("Contents", [])
        return [item["Key"] for item in contents]

    def environment(self) -> dict[str, str]:
        """The variables that point Minga's settings at this server (docs/deployment.md)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
            "MINGA_S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "MINGA_S3_ENDPOINT_URL": self.url,
            "MINGA_S3_REGION": REGION,
            "MINGA_S3_SIGNED_URL_SECONDS": str(SIGNED_URL_SECONDS),
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3_storages(s3_server: S3Server, settings: Any) -> S3Server:
    """STORAGES as config/settings/base.py builds them from s3_server.environment()."""
    from config.settings.base import s3_storage

    s3_server.empty()
    options = {
        "endpoint_url": s3_server.url,
        "addressing_style": "path",
        "region_name": REGION,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "querystring_expire": SIGNED_URL_SECONDS,
    }
    media = s3_storage(MEDIA_BUCKET, settings.MEDIA_URL)
    private = s3_storage(PRIVATE_BUCKET, "/private-media-is-not-served/")
    for storage in (media, private):
        storage["OPTIONS"] |= options  # type: ignore[operator]
    settings.STORAGES = {**settings.STORAGES, "default": media, "private": private}
    return s3_server
