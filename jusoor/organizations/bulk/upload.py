"""The upload form of the import: the file is read and every row checked while the form is cleaned."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from jusoor.organizations.bulk.checks import CheckResult, check_file
from jusoor.organizations.bulk.parsing import MAX_BYTES, FileRefusedError, ParsedFile, parse_upload


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1256) or Excel workbook (.xlsx); 10 MB and 20,000 rows at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )

    parsed: ParsedFile
    checked: CheckResult
    content: bytes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                code="file_too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
            )
        upload.seek(0)
        self.content = upload.read()
        try:
            self.parsed = parse_upload(self.content)
        except FileRefusedError as refused:
            raise forms.ValidationError(str(refused.message), code=refused.code) from refused
        self.checked = check_file(self.parsed)
        return upload
