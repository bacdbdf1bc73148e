from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jusoor.api"
    verbose_name = "API"
