"""Settings for the clinic site, read from the environment.

Production differs from development only by environment values (see `.env.example`
and docs/DEPLOY.md); there is no second settings module.
"""

import os
import platform
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from clinic_site.development_key import development_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """A comma-separated variable as a list, without the empty items `"".split(",")` gives."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


# --- Core ---------------------------------------------------------------------------

# Off unless asked for: a server started with nothing set is a production one (`make run`,
# `make test` and pytest ask for DEBUG themselves).
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # This checkout's own key, in the git-ignored .dev-secret-key (`make setup` makes it).
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the site's host names (comma-separated) "
        "when DJANGO_DEBUG is off, for example: clinic.example.org"
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The site's public address (scheme and host, no trailing slash), for absolute links where there is
# no request to take them from (emails). `check --deploy` insists on an https one.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or ("http://127.0.0.1:8000" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",
    "csp",
    "axes",
    "django_recaptcha",
    "clinic_site",
    "core",
    "pagecache",
    "submissions",
    "revisions",
    "articles",
    "shop",
    "comments",
    "topics",
    "backups",
]

MIDDLEWARE = [
    "core.middleware.RequestLogMiddleware",
    # Pages, feeds and JSON leave compressed (gzip or Brotli); whitenoise's files are left as they are.
    "core.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.csp.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous readers get cached pages here, before sessions, auth and the URL resolver.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.resilience.DatabaseRetryMiddleware",
]

ROOT_URLCONF = "clinic_site.urls"
WSGI_APPLICATION = "clinic_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]
# Form widgets render through TEMPLATES, so the reCAPTCHA widget can be overridden
# in templates/django_recaptcha/ to carry the CSP nonce.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -----------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept, as on PostgreSQL: opening one costs about a millisecond per request
    # (the file, the pragmas below and a cold page cache).
    # WAL lets readers work while one writer writes; IMMEDIATE transactions and the busy
    # timeout make concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    # A Redis that is down or restarting costs speed, never an error page (core/cache.py).
    _REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "retry_on_timeout": False}
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "clinic"),
            "OPTIONS": _REDIS_OPTIONS,
        },
        "pages": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "clinic") + "-pages",
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
else:
    # One server without Redis: a file cache shared by every process on the machine (all
    # gunicorn workers, management commands), so an edit in the admin clears the page cache,
    # site settings and navigation for every worker at once. Per-process memory would not.
    # Stored pages have a folder of their own, so however many pages are stored, culling only
    # ever drops pages, never the shared page-cache generation or site settings.
    _CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache" / "django")))
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FileCache",
            "LOCATION": str(_CACHE_DIR),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "pages": {
            "BACKEND": "core.cache.FileCache",
            "LOCATION": str(_CACHE_DIR / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

# Rate-limit counters, sign-in lockout notices and the like live apart from cached pages, so no
# flood of pages can push a counter out and no cache flush forgives a client: with Redis, the same
# server under the next database number of REDIS_URL's (or LIMITS_REDIS_URL); else a folder of
# their own. Every key written there expires.
LIMITS_REDIS_URL = (os.environ.get("LIMITS_REDIS_URL") or os.environ.get("RATE_LIMIT_REDIS_URL") or "").strip()
if not LIMITS_REDIS_URL and REDIS_URL:
    _redis_url = urlsplit(REDIS_URL)
    _redis_db = _redis_url.path.strip("/") or "0"
    if _redis_url.scheme not in ("redis", "rediss") or not _redis_db.isdigit():
        raise ImproperlyConfigured("Set LIMITS_REDIS_URL: no database number follows from this REDIS_URL.")
    LIMITS_REDIS_URL = urlunsplit(_redis_url._replace(path=f"/{int(_redis_db) + 1}"))
if LIMITS_REDIS_URL:
    CACHES["limits"] = {
        "BACKEND": "core.cache.ForgivingRedisCache",
        "LOCATION": LIMITS_REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "clinic") + "-limits",
        "TIMEOUT": 86400,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2, "retry_on_timeout": False},
    }
else:
    CACHES["limits"] = {
        "BACKEND": "core.cache.FileCache",
        "LOCATION": str(Path(os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache" / "django"))) / "limits"),
        "TIMEOUT": 86400,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# The cache alias of rate-limit counters and sign-in notices.
LIMITS_CACHE_ALIAS = "limits"

# Markup that is the same for every reader, kept in each process's memory: the blank reader
# forms (they change only with a deploy) and the pieces of pages under keys carrying the versions
# of what they show (`pagecache.cached_fragment`), so a change needs no delete here.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    # Kept pieces are dropped by tag versions, not by age; a day bounds what nothing reads again.
    "TIMEOUT": 86400,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# The cache alias holding stored pages (pagecache).
PAGE_CACHE_ALIAS = "pages"
# How long an anonymous page may be served from the cache; content changes clear it at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Pages each web worker also keeps in its own memory (about 60 KB each), so a hit skips the
# shared cache's read; a content change makes them all unreachable at once. 0 turns this off.
PAGE_CACHE_LOCAL_ENTRIES = env_int("PAGE_CACHE_LOCAL_ENTRIES", 200)
# A change drops only the pages that show it; on, every change drops every page (as before
# tagged invalidation; kept as a fallback and as the benchmark's baseline).
PAGE_CACHE_WHOLE_SITE = env_bool("PAGE_CACHE_WHOLE_SITE", False)
# How long a rendered piece of a page (an article's text, its comment threads, the shop widget)
# may be kept in each process's memory (`pagecache.cached_fragment`); its key carries the
# versions of what it shows, so a change reaches it at once. 0 turns fragments off.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 600)

# --- Auth and admin -----------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
LOGIN_URL = "admin:login"

# Three sign-in limits (core/lockout.py), each counting failed admin logins:
# - one account from one network: AXES_FAILURE_LIMIT, for AXES_COOLOFF_HOURS;
# - one account from anywhere (a guesser changing addresses): ACCOUNT_LOCKOUT_FAILURES within
#   ACCOUNT_LOCKOUT_MINUTES cool the account down for that many minutes, and its owner is emailed
#   once per cool-down;
# - one network across any user names (a password spray): AXES_ADDRESS_FAILURE_LIMIT, for
#   AXES_COOLOFF_HOURS; higher, so colleagues behind one office address survive each other's typos.
# A network is an IPv4 address or an IPv6 /CLIENT_IPV6_PREFIX. Failures while locked out are not
# counted, so every cool-down ends on time.
AXES_HANDLER = "core.lockout.SignInLimitsHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
ACCOUNT_LOCKOUT_FAILURES = env_int("ACCOUNT_LOCKOUT_FAILURES", 10)
ACCOUNT_LOCKOUT_MINUTES = env_int("ACCOUNT_LOCKOUT_MINUTES", 15)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# A wrong second-factor code is a failed sign-in too: its box (`code`) is masked like the password in
# the failed sign-ins the admin lists.
AXES_SENSITIVE_PARAMETERS = ["code"]
# The reader's network as the site's own proxies saw it (never a header a reader can forge).
AXES_CLIENT_IP_CALLABLE = "core.client_ip.lockout_network"

# Staff sessions end after two idle hours and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security -----------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
# Each is a promise about every subdomain or a request to browsers' preload lists that is hard to
# take back, so each is its own opt-in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0 and env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("DJANGO_HSTS_PRELOAD", False)
# Django's deploy check warns while either is off; off is this site's default on purpose.
SILENCED_SYSTEM_CHECKS = [
    check
    for check, chosen in (("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS), ("security.W021", SECURE_HSTS_PRELOAD))
    if not chosen
]
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses or networks of the proxies in front of the site (comma-separated): only a request
# from one of them may say, in X-Forwarded-For, whom it came from (core/client_ip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# gunicorn on a unix socket (GUNICORN_BIND=unix:...) sees no peer address: on, the proxy that
# writes to the socket is trusted like one of TRUSTED_PROXIES. Off, such requests have no address.
TRUSTED_PROXY_UNIX_SOCKET = env_bool("TRUSTED_PROXY_UNIX_SOCKET", False)
# Limits, votes, address hashes and lockouts count an IPv6 reader by this network prefix.
CLIENT_IPV6_PREFIX = env_int("CLIENT_IPV6_PREFIX", 64)
# Believe the proxy's X-Forwarded-Port (the port readers connected to), when the proxy listens on a
# port of its own that is not 80 or 443 (the loopback cluster). The proxy must always set it.
USE_X_FORWARDED_PORT = env_bool("DJANGO_USE_X_FORWARDED_PORT", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

RECAPTCHA_HOSTS = ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *RECAPTCHA_HOSTS],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, "https://www.google.com/recaptcha/"],
        "frame-src": ["https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Staff sign-in security (staff_security/) ----------------------------------------

INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "staff_security",
]
# request.user.is_verified() after authentication; then idle staff sessions end, then the wall.
_after_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_auth:_after_auth] = [
    "django_otp.middleware.OTPMiddleware",
    "staff_security.middleware.StaffSessionMiddleware",
    "staff_security.middleware.SecondFactorMiddleware",
]
# Every staff member signs in with a second factor (authenticator app, passkey or recovery code)
# and reaches nothing of the admin but the enrolment page until they have one. On whenever DEBUG
# is off, so an operator who forgets it is still safe; in development only when set to 1.
STAFF_REQUIRE_SECOND_FACTOR = env_bool("STAFF_REQUIRE_SECOND_FACTOR", not DEBUG)
# A staff session left idle this long ends (the session cookie's own age may end it sooner).
STAFF_IDLE_HOURS = env_float("STAFF_IDLE_HOURS", 12)
# Password reset links work for an hour; requests are limited per network and per address.
PASSWORD_RESET_TIMEOUT = 3600
PASSWORD_RESET_LIMIT_PER_NETWORK = env_int("PASSWORD_RESET_LIMIT_PER_NETWORK", 5)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_HOURS = env_float("PASSWORD_RESET_LIMIT_HOURS", 1)
OTP_TOTP_ISSUER = os.environ.get("STAFF_OTP_ISSUER", "Clinic site")
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Passkeys belong to the host a request reached (one of ALLOWED_HOSTS) and its own origin.
OTP_WEBAUTHN_RP_ID_CALLABLE = "staff_security.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "staff_security.passkeys.SiteWebAuthnHelper"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else ["http://localhost:8000"]
# A passkey is a second factor here, never a way in without the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# --- Internationalisation -----------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Where `manage.py backup` writes its archives unless given --output (docs/OPERATIONS.md); not
# BASE_DIR / "backups", which is the backups app itself.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backup-archives"))
# Encrypts every archive and signs its manifest; without it archives are checked for integrity only.
# Kept apart from the archives: an archive cannot be restored without the key that made it.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")
# Rows no archive holds: live log-ins, lockout and rate-limit state that expire on their own.
BACKUP_LEAVE_OUT = [
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "submissions.RateLimitCounter",
    "staff_security.StaffSession",
]
# Serve uploaded media from Django itself when no web server or object storage does.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)
# Browsers and shared caches may keep uploads this long, and feeds, the sitemap and other
# non-HTML answers that say nothing themselves for PUBLIC_CACHE_SECONDS (core/middleware.py).
MEDIA_CACHE_SECONDS = env_int("MEDIA_CACHE_SECONDS", 86400)
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible object storage for uploads when several web instances share media.
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    # "http:" only where the media host is plain HTTP (the loopback cluster). Default: https:
    AWS_S3_URL_PROTOCOL = os.environ.get("AWS_S3_URL_PROTOCOL") or "https:"
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    # Uploads and renditions never change under a name (a new upload gets a new one).
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": f"public, max-age={MEDIA_CACHE_SECONDS}"}
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
    SERVE_MEDIA = False
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"

STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {
        # whitenoise's hashed, compressed files, without the comments of our own CSS and JS.
        "BACKEND": "core.static_files.CompactStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Upload limits; images are checked further in articles/images.py.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_RENDITION_WIDTHS = [480, 800, 1200]

# --- Email --------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Content ------------------------------------------------------------------------

# An article's medical review is due this many months after its live text was approved.
ARTICLE_REVIEW_MONTHS = env_int("ARTICLE_REVIEW_MONTHS", 12)
ARTICLES_PER_PAGE = 12

# --- Medical review of articles (docs/EDITORIAL.md) ------------------------------------
# Any member of "Medical reviewers" may approve, not only the article's named reviewer.
ARTICLES_ANY_REVIEWER_MAY_APPROVE = env_bool("ARTICLES_ANY_REVIEWER_MAY_APPROVE", False)
# Nobody approves a revision they wrote.
ARTICLES_NO_SELF_APPROVAL = env_bool("ARTICLES_NO_SELF_APPROVAL", True)
# Typo-only corrections may go live without a new review, where the reviewer allowed it.
ARTICLES_ALLOW_MINOR_EDITS = env_bool("ARTICLES_ALLOW_MINOR_EDITS", False)
# At most this many words may change in such a correction (articles/typos.py has the rest of the rule).
ARTICLES_TYPO_MAX_WORDS = env_int("ARTICLES_TYPO_MAX_WORDS", 3)
# The dashboard and the reminders list reviews due within this many days.
ARTICLES_REVIEW_DUE_SOON_DAYS = env_int("ARTICLES_REVIEW_DUE_SOON_DAYS", 30)
SHOP_CURRENCY = os.environ.get("SHOP_CURRENCY", "USD")

# --- Reader submissions: comments and topic suggestions (see submissions/policy.py) ----

RECAPTCHA_PUBLIC_KEY = os.environ.get("RECAPTCHA_PUBLIC_KEY", "")
RECAPTCHA_PRIVATE_KEY = os.environ.get("RECAPTCHA_PRIVATE_KEY", "")
RECAPTCHA_CONFIGURED = bool(RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY)
# Without keys (development) submissions are held for review with the reason
# `captcha_not_configured`; in production `check --deploy` refuses to pass.
RECAPTCHA_VERIFY_REQUEST_TIMEOUT = min(env_int("RECAPTCHA_VERIFY_TIMEOUT", 3), 3)  # seconds; the library wants an int
RECAPTCHA_EXPECTED_HOSTNAMES = env_list("RECAPTCHA_EXPECTED_HOSTNAMES") or [
    host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"
]


def renamed_env(name, old_name):
    """The variable to read for `name`, which was called `old_name` until this release.

    The old name still counts, with a DeprecationWarning, when the new one is not set.
    """
    if os.environ.get(name, "").strip() or not os.environ.get(old_name, "").strip():
        return name
    import warnings

    warnings.warn(f"The environment variable {old_name} is deprecated: set {name}.", DeprecationWarning, stacklevel=2)
    return old_name


# Rules for every kind of submission (submissions/conf.py lists their former COMMENTS_* names).
SUBMISSIONS_SPAM_BELOW = env_float(renamed_env("SUBMISSIONS_SPAM_BELOW", "COMMENTS_SPAM_BELOW"), 0.3)
SUBMISSIONS_APPROVE_FROM = env_float(renamed_env("SUBMISSIONS_APPROVE_FROM", "COMMENTS_APPROVE_FROM"), 0.7)
SUBMISSIONS_AUTO_APPROVE = env_bool(renamed_env("SUBMISSIONS_AUTO_APPROVE", "COMMENTS_AUTO_APPROVE"), False)
SUBMISSIONS_TRUST_KNOWN_EMAILS = env_bool(
    renamed_env("SUBMISSIONS_TRUST_KNOWN_EMAILS", "COMMENTS_TRUST_KNOWN_EMAILS"), False
)
SUBMISSIONS_MAX_LINKS = env_int(renamed_env("SUBMISSIONS_MAX_LINKS", "COMMENTS_MAX_LINKS"), 2)
SUBMISSIONS_RATE_LIMIT = env_int(renamed_env("SUBMISSIONS_RATE_LIMIT", "COMMENTS_RATE_LIMIT"), 5)
SUBMISSIONS_RATE_WINDOW_SECONDS = env_int(
    renamed_env("SUBMISSIONS_RATE_WINDOW_SECONDS", "COMMENTS_RATE_WINDOW_SECONDS"), 600
)
SUBMISSIONS_SPAM_RETENTION_DAYS = env_int(
    renamed_env("SUBMISSIONS_SPAM_RETENTION_DAYS", "COMMENTS_SPAM_RETENTION_DAYS"), 30
)
SUBMISSIONS_IP_RETENTION_DAYS = env_int(renamed_env("SUBMISSIONS_IP_RETENTION_DAYS", "COMMENTS_IP_RETENTION_DAYS"), 90)
# Comments only.
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)  # 0: never close by age
COMMENTS_THREADS_PER_PAGE = env_int("COMMENTS_THREADS_PER_PAGE", 20)  # newest threads on the article page
COMMENTS_REPORTS_TO_HIDE = env_int("COMMENTS_REPORTS_TO_HIDE", 3)  # readers' reports that hide a comment for review
# Rate-limit counters: in the limits cache when it is Redis (atomic INCR with the window's
# expiry), else in a database table (submissions.RateLimitCounter).
# Salt for hashing client addresses; defaults to one derived from SECRET_KEY. The hashing key is
# derived from it anew every IP_HASH_PERIOD_DAYS, so one reader's hashes of two periods differ.
IP_HASH_SALT = os.environ.get("IP_HASH_SALT", "")
IP_HASH_PERIOD_DAYS = max(1, env_int("IP_HASH_PERIOD_DAYS", 30))

# A dotted path to a callable replacing django-recaptcha's verification call (load tests on
# loopback, which must never reach Google). Never set in production; `check --deploy` refuses it.
RECAPTCHA_VERIFY = os.environ.get("RECAPTCHA_VERIFY", "")

# --- Background work: the task queue, mail delivery, periodic jobs (docs/OPERATIONS.md) ---

# Jobs are rows in the site's own database (django-tasks' database backend), written in the same
# transaction as the change that caused them; `manage.py run_worker` runs them and the periodic jobs.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed email is tried again after MAIL_RETRY_FIRST_SECONDS, then twice as long each time (at most
# MAIL_RETRY_MAX_SECONDS), until MAIL_RETRY_HOURS after it was queued; then it is marked failed.
MAIL_RETRY_HOURS = env_float("MAIL_RETRY_HOURS", 24.0)
MAIL_RETRY_FIRST_SECONDS = env_int("MAIL_RETRY_FIRST_SECONDS", 60)
MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 3600)
# An email claimed by a worker that died (or whose job was lost) is queued again after this long.
MAIL_STALE_SECONDS = env_int("MAIL_STALE_SECONDS", 300)
# /healthz/ready answers 503 while the oldest job waiting to run is older than this.
TASKS_READY_MAX_WAIT_SECONDS = env_int("TASKS_READY_MAX_WAIT_SECONDS", 600)
# How often a worker's scheduler looks for periodic jobs that are due.
SCHEDULER_TICK_SECONDS = env_float("SCHEDULER_TICK_SECONDS", 30.0)
# Sent emails are kept this many days (readers' addresses and words), finished job rows this many.
MAIL_KEEP_DAYS = env_int("MAIL_KEEP_DAYS", 30)
TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 7)
# Work in flight is not restored: a restored queue would send again what went out after the backup.
BACKUP_LEAVE_OUT += ["django_tasks_database.DBTaskResult", "core.OutgoingEmail", "core.PeriodicRun"]
# The nightly backup keeps this many of its newest archives in BACKUP_DIR.
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
# Periodic jobs: the task, its period in seconds, and the offset into the period (local time) it runs
# at. Each runs once per period however many workers run; each can be switched off.
PERIODIC_JOBS = {
    "publish_scheduled": {
        "task": "articles.tasks.publish_scheduled",
        "every": 60,
        "enabled": env_bool("PERIODIC_PUBLISH_SCHEDULED", True),
    },
    "mail_sweep": {
        "task": "core.tasks.requeue_stalled_emails",
        "every": env_int("MAIL_SWEEP_SECONDS", 60),
        "enabled": True,
    },
    "review_reminders": {
        "task": "articles.tasks.send_review_reminders",
        "every": 86400,
        "offset": 7 * 3600,
        "enabled": env_bool("PERIODIC_REVIEW_REMINDERS", True),
    },
    "purge_submission_data": {
        "task": "submissions.tasks.purge_submission_data",
        "every": 86400,
        "offset": 3 * 3600,
        "enabled": env_bool("PERIODIC_PURGE_SUBMISSION_DATA", True),
    },
    "backup": {
        "task": "backups.tasks.backup_and_verify",
        "every": 86400,
        "offset": 2 * 3600,
        "enabled": env_bool("PERIODIC_BACKUP", bool(os.environ.get("BACKUP_DIR"))),
    },
    "prune_finished_work": {
        "task": "core.tasks.prune_finished_work",
        "every": 86400,
        "offset": 4 * 3600,
        "enabled": env_bool("PERIODIC_PRUNE_FINISHED_WORK", True),
    },
    "clear_sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "every": 86400,
        "offset": 4 * 3600,
        "enabled": env_bool("PERIODIC_CLEAR_SESSIONS", True),
    },
}

# --- Logging and errors -------------------------------------------------------------

# One JSON line per request on stderr (core.middleware.RequestLogMiddleware), naming this
# instance; INSTANCE_NAME defaults to the host name.
REQUEST_LOG = env_bool("DJANGO_REQUEST_LOG", True)
INSTANCE_NAME = os.environ.get("INSTANCE_NAME", "").strip() or platform.node()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json_line": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": sys.stderr},
        "requests": {"class": "logging.StreamHandler", "formatter": "json_line", "stream": sys.stderr},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.csrf": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "clinic.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
}

# Errors go to Sentry when SENTRY_DSN is set, without readers' personal data (no addresses,
# cookies or form bodies). Off by default.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
        server_name=INSTANCE_NAME,
    )
