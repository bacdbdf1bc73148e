from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# `make run` demonstrates bank transfers too: a sample account (no real bank behind it).
BANK_TRANSFER_IBAN = BANK_TRANSFER_IBAN or "TN59 1000 6035 1835 9847 8831"  # noqa: F405
BANK_TRANSFER_BIC = BANK_TRANSFER_BIC or "BCTNTNTT"  # noqa: F405
BANK_TRANSFER_HOLDER = BANK_TRANSFER_HOLDER or "Jusoor (demo)"  # noqa: F405
