"""Compresses what the site renders (pages, feeds, the sitemap, JSON) for clients that accept it.

Static files are whitenoise's (compressed when collected) and images are compressed already, so
only the types in `pagecache.compression.COMPRESSIBLE_TYPES` are touched; an answer that already
has an encoding (a stored page, gzipped when it was kept) passes as it is. Brotli when the client
takes it, else gzip; either with random padding against BREACH.
"""

from django.utils.cache import patch_vary_headers

from pagecache import compression

_ENCODERS = {"br": compression.brotli_compress, "gzip": compression.gzip_compress}


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or not compression.compressible(response.get("Content-Type", ""))
            or len(response.content) < compression.MIN_LENGTH
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = compression.accepted(request)
        if encoding is None:
            return response
        response.content = _ENCODERS[encoding](response.content)
        response["Content-Length"] = str(len(response.content))
        response["Content-Encoding"] = encoding
        if response.has_header("ETag"):
            response["ETag"] = compression.weak_etag(response["ETag"])
        return response
