from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jusoor.payments.statement_csv import MAX_BYTES


class TestPayCardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "cc-number",
                "inputmode": "numeric",
                "dir": "ltr",
                "placeholder": "4242 4242 4242 4242",
            }
        ),
    )


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Statement file (CSV)"),
        help_text=_("Columns: date, amount, currency, label, bank_reference; separated by ; or ,; in UTF-8."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large; the limit is 5 MB."))
        return upload


class LineActionForm(forms.Form):
    ACTIONS = (("match", _("Match to the pledge")), ("resolve", _("Resolved by hand")), ("ignore", _("Ignore")))

    action = forms.ChoiceField(choices=ACTIONS)
    reference = forms.CharField(label=_("Pledge reference"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
