"""Static files: hashed names, gzip and Brotli copies (whitenoise), the manifest kept apart."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """The manifest lists every file the site has; it is written beside STATIC_ROOT, not in
    it, so whitenoise (which serves all of STATIC_ROOT) never hands it out."""

    def __init__(self, *args, **kwargs):
        location = settings.STATIC_ROOT.parent / "staticfiles-manifest"
        kwargs.setdefault("manifest_storage", FileSystemStorage(location=location))
        super().__init__(*args, **kwargs)
