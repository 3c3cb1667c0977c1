from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from pagecache.store import request_versions

        # The pieces of one page read each tag's version once per request (pagecache.fragments).
        request_started.connect(request_versions.start, dispatch_uid="pagecache-versions-start")
        request_finished.connect(request_versions.finish, dispatch_uid="pagecache-versions-finish")
