"""Settings come from environment variables only; every one has a safe default for the embedded desk."""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DESK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# With no DATABASE_URL this is the embedded development desk; any real deployment configures a database.
DEBUG = env_bool("DEBUG", "DATABASE_URL" not in os.environ)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "servicedesk.admin.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "django_filters",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "teams",
    "catalogue",
    "requests_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "servicedesk.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: refused in the visitor's language, never half-read.
    "servicedesk.middleware.RejectOversizeMiddleware",
    "servicedesk.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "requests_app.audit.middleware.AuditActorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicedesk.urls"
WSGI_APPLICATION = "servicedesk.wsgi.application"

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
                "django.template.context_processors.i18n",
                "requests_app.health.context.background_runs",
            ],
        },
    },
]
FORM_RENDERER = "servicedesk.widgets.DeskFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'desk.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded desk runs a web server and a Celery worker on one SQLite file: WAL lets them share it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The dashboards' covering indexes (INCLUDE columns) are a PostgreSQL feature; SQLite keeps the plain index.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-desk.sqlite3")}
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES:
    # Every option list of a form is read with .iterator(): a server-side cursor costs three round trips
    # (DECLARE, FETCH, CLOSE) for a dozen rows. Plain fetches also work behind PgBouncer's transaction pooling.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "teams.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Guessing passwords: after LOGIN_FAILURE_LIMIT failures for one user name from one address (pages and the
# API's Basic authentication alike) that pair is refused for LOGIN_LOCKOUT_MINUTES; a success clears the count.
# `manage.py axes_reset_username NAME` unlocks at once. Behind a proxy every address is the proxy's.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Staff sign-in through the organisation's OpenID Connect provider, beside local accounts, when its endpoints
# are given (README, "Signing in with the organisation's account").
OIDC_ENABLED = bool(os.environ.get("OIDC_CLIENT_ID"))
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_MAP = json.loads(os.environ.get("OIDC_GROUP_MAP", "{}"))
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
LOGIN_REDIRECT_URL_FAILURE = "login"
OIDC_AUTHENTICATE_CLASS = "requests_app.identity.views.SignIn"
OIDC_CALLBACK_CLASS = "requests_app.identity.views.Return"
AUTHENTICATION_BACKENDS.append("requests_app.identity.backend.DeskOIDCBackend")
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "teams.views.locked_out"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fi", _("Finnish")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["servicedesk.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Attachments: the file system under var/ by default; for several web servers, object storage through
    # django-storages (ATTACHMENT_STORAGE=storages.backends.s3.S3Storage, its options as JSON).
    "attachments": {
        "BACKEND": os.environ.get("ATTACHMENT_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ["ATTACHMENT_STORAGE_OPTIONS"])
        if os.environ.get("ATTACHMENT_STORAGE_OPTIONS")
        else {"location": str(VAR_DIR / "attachments"), "directory_permissions_mode": 0o750,
              "file_permissions_mode": 0o640},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Mail: SMTP in production; with no EMAIL_HOST the embedded desk writes each mail to a file in var/mail/.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that accepts the connection and never answers must not hold a mail worker for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Service desk <servicedesk@localhost>")

# Celery: Redis in production. With no broker configured, the embedded broker is a SQLite file of its own
# through kombu's SQLAlchemy transport: a message is a row written in one transaction and taken under
# BEGIN IMMEDIATE, so the web server, the workers and beat share it without ever reading half a message
# (kombu's filesystem transport lets a reader take a file still being written, and the worker dies).
EMBEDDED_BROKER_FILE = VAR_DIR / "broker.sqlite3"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or f"sqla+sqlite:///{EMBEDDED_BROKER_FILE}"
EMBEDDED_BROKER = CELERY_BROKER_URL == f"sqla+sqlite:///{EMBEDDED_BROKER_FILE}"
if CELERY_BROKER_URL.startswith("sqla+sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # A writer waits for another's short transaction rather than fail with "database is locked".
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 60}}
else:
    # Longer than any countdown we ever use; long clocks live in the database, never in the broker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
    if os.environ.get("CELERY_UNACKED_RESTORE_SECONDS"):
        # How often a worker hands out again the messages a dead worker held (kombu: ~100 s by default).
        CELERY_BROKER_TRANSPORT_OPTIONS |= {
            "unacked_restore_interval": int(os.environ["CELERY_UNACKED_RESTORE_SECONDS"]),
            "unacked_restore_throttle": 1,
        }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No task of the desk runs for minutes; one stuck past this is ended (prefork pools; the solo pool of the
# embedded desk cannot, and relies on EMAIL_TIMEOUT and database timeouts instead).
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
TIMER_SWEEP_SECONDS = float(os.environ.get("TIMER_SWEEP_SECONDS", "1"))
# Working-hours calendars are read through the cache; another process sees a change within this time.
CALENDAR_CACHE_SECONDS = int(os.environ.get("CALENDAR_CACHE_SECONDS", "60"))
# Mail (replies and notifications) is looked for this often by the mail worker.
MAIL_SWEEP_SECONDS = float(os.environ.get("MAIL_SWEEP_SECONDS", "10"))
# Every staff page, /health/ and `manage.py doctor` say so when the timers or the mail have not run this long.
TIMERS_STALE_SECONDS = int(os.environ.get("TIMERS_STALE_SECONDS", "120"))
MAIL_STALE_SECONDS = int(os.environ.get("MAIL_STALE_SECONDS", "300"))
TIMER_SWEEP_BATCH = int(os.environ.get("TIMER_SWEEP_BATCH", "500"))
# A reply whose mail task was lost is sent by the sweep this long after it was written; a mail server that
# refuses is tried again 1, 2, 4 ... minutes later (at most six hours apart) up to MAIL_MAX_ATTEMPTS times.
MAIL_RETRY_FIRST_SECONDS = int(os.environ.get("MAIL_RETRY_FIRST_SECONDS", "60"))
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "12"))
# Incoming mail: every mailbox is read this often (IMAP), and a message larger than this is set aside.
MAIL_FETCH_SECONDS = float(os.environ.get("MAIL_FETCH_SECONDS", "30"))
MAIL_MAX_BYTES = int(os.environ.get("MAIL_MAX_BYTES", str(25 * 1024 * 1024)))
# How long one fetch may hold a mailbox; a worker that died holding it lets go after this.
MAIL_FETCH_LEASE_SECONDS = int(os.environ.get("MAIL_FETCH_LEASE_SECONDS", "300"))
# The timer sweep: the database holds every deadline; beat only says "look now". A sweep message that
# waited longer than two intervals is dropped, since the next one does the same work.
# Notification mail has a queue of its own: a worker serves its queues in turn, so a burst of mail never
# holds the timer sweep back for long. A worker started without -Q serves both.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {"celery": {}, "mail": {}}
CELERY_TASK_ROUTES = {
    "requests_app.tasks.email_notifications": {"queue": "mail"},
    "requests_app.tasks.deliver_message": {"queue": "mail"},
    "requests_app.tasks.sweep_due_mail": {"queue": "mail"},
    "requests_app.tasks.fetch_mail": {"queue": "mail"},
    "requests_app.tasks.read_mail": {"queue": "mail"},
}
# Dashboards add up daily figures: the recent days are recounted this often, everything once a night.
DASHBOARD_REFRESH_SECONDS = float(os.environ.get("DASHBOARD_REFRESH_SECONDS", "300"))
DASHBOARD_RECENT_DAYS = int(os.environ.get("DASHBOARD_RECENT_DAYS", "35"))
# How often an open queue page asks for its rows again (while visible, switched on and not being worked in).
QUEUE_REFRESH_SECONDS = int(os.environ.get("QUEUE_REFRESH_SECONDS", "30"))
CELERY_BEAT_SCHEDULE = {
    "sweep-due-clocks": {
        "task": "requests_app.tasks.sweep_due_clocks",
        "schedule": TIMER_SWEEP_SECONDS,
        "options": {"expires": TIMER_SWEEP_SECONDS * 2},
    },
    "sweep-due-mail": {
        "task": "requests_app.tasks.sweep_due_mail",
        "schedule": MAIL_SWEEP_SECONDS,
        "options": {"expires": MAIL_SWEEP_SECONDS * 2},
    },
    "mail-due-notifications": {
        "task": "requests_app.tasks.email_notifications",
        "schedule": MAIL_SWEEP_SECONDS,
        "options": {"expires": MAIL_SWEEP_SECONDS * 2},
    },
    "fetch-mail": {
        "task": "requests_app.tasks.fetch_mail",
        "schedule": MAIL_FETCH_SECONDS,
        "options": {"expires": MAIL_FETCH_SECONDS},
    },
    "refresh-dashboard-figures": {
        "task": "requests_app.tasks.refresh_dashboard_figures",
        "schedule": DASHBOARD_REFRESH_SECONDS,
        "options": {"expires": DASHBOARD_REFRESH_SECONDS},
    },
    "rebuild-dashboard-figures": {
        "task": "requests_app.tasks.refresh_dashboard_figures",
        "schedule": crontab(hour=3, minute=15),
        "kwargs": {"everything": True},
    },
    # Personal data past each service's retention period is removed nightly (before the recount).
    "apply-retention": {
        "task": "requests_app.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Integrations call the API with keys (`manage.py api_token`); HTTP Basic hashes a password on every call and
# is off unless turned on for an integration that cannot send a key yet.
API_BASIC_AUTH = env_bool("API_BASIC_AUTH", False)
API_TOKEN_RATE = os.environ.get("API_TOKEN_RATE", "1200/min")  # calls per key, over every web process
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "teams.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "teams.authentication.LockableBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "teams.authentication.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["requests_app.api.throttling.TokenRateThrottle"],
    # JSON only: one encoding, described exactly by the schema (a form encoding cannot tell "" from absent).
    "DEFAULT_PARSER_CLASSES": ["servicedesk.parsers.StrictJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "servicedesk.schema.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Service desk API",
    "DESCRIPTION": "Channels and integrations: log, follow and work service requests.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # What a client sends described apart from what it gets back: required texts say they may not be empty.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the desk itself: no CDN, so the documentation works on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "servicedesk.schema.document_refusals",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CustomerKindEnum": "requests_app.models.Customer.Kind",
        "TimelineEventKindEnum": "requests_app.models.Event",
        "RequestChannelEnum": "catalogue.models.Channel",
        "ContactEnum": "requests_app.models.Contact",
        "CustomerContactEnum": ["phone", "visit", "letter"],
        "AnswerContactEnum": ["phone", "visit"],
    },
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A working day, not Django's two weeks: a desk left signed in on a shared counter ends with the shift.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", "8")) * 3600)
# Production behind HTTPS (README, "Production"): these come from the environment, off by default so that the
# embedded desk and a plain-HTTP test run work. A TLS proxy in front says so with X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers ask over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the desk: the client's address is read from that far back in
# X-Forwarded-For (never further: a client can write the header itself). 0: the connection's own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "servicedesk.client.client_address"
# Django's admin only where the organisation turns it on, and then for superusers alone.
ADMIN_ENABLED = env_bool("DESK_ADMIN", False)
# The API's schema and documentation to anyone (the embedded desk), or only to the signed in.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", DEBUG)
# No inline script and no eval anywhere (static/js/desk.js holds the desk's few behaviours); inline styles
# are allowed (a bar's width, a cell's indent). Everything from the desk itself: no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

DESK_REFERENCE_PREFIX = os.environ.get("DESK_REFERENCE_PREFIX", "SD")
CSRF_FAILURE_VIEW = "servicedesk.views.csrf_failure"

# Attachments: at most this many files of this size at once (a form, a reply, a message); a body larger
# than all of them together is refused before it is read. CLAMD ("host:port" or a socket path) scans each.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_MAX_COUNT = int(os.environ.get("ATTACHMENT_MAX_COUNT", "5"))
CLAMD = os.environ.get("CLAMD", "")
# The public door: submissions per client address (see TRUSTED_PROXY_COUNT) and per e-mail address in each
# window; a status link shows staff names only when the organisation says so.
PUBLIC_LIMIT_WINDOW_SECONDS = int(os.environ.get("PUBLIC_LIMIT_WINDOW_SECONDS", "600"))
PUBLIC_LIMIT_PER_ADDRESS = int(os.environ.get("PUBLIC_LIMIT_PER_ADDRESS", "20"))
PUBLIC_LIMIT_PER_EMAIL = int(os.environ.get("PUBLIC_LIMIT_PER_EMAIL", "5"))
PUBLIC_SHOW_STAFF_NAMES = env_bool("PUBLIC_SHOW_STAFF_NAMES", False)
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The Finnish Service Catalogue's open data (import_ptv); absent on most machines.
PTV_DATA_DIR = Path(os.environ.get("PTV_DATA_DIR", BASE_DIR / "catalogue" / "data" / "ptv"))
