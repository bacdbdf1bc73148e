urlpatterns: list = []  # filled by the bulk import/export work
