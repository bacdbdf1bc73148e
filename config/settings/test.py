from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
JUSOOR_TASKS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES["private"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": BASE_DIR / "var" / "test-private"},  # noqa: F405
}
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# --- Payments: the offline test processor on; Stripe stays off (its tests set keys and replay recordings)
TESTPAY_ENABLED = True
TESTPAY_SECRET = "whsec_testpay_test_suite"  # noqa: S105  (a test value)
TESTPAY_DELIVER_HTTP = False
STRIPE_SECRET_KEY = ""
STRIPE_WEBHOOK_SECRET = ""
BANK_TRANSFER_IBAN = "TN59 1000 6035 1835 9847 8831"
BANK_TRANSFER_BIC = "BCTNTNTT"
BANK_TRANSFER_HOLDER = "Jusoor"
