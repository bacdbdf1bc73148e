"""The test processor's hosted card page (what a real processor would host on its own site)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.common.exceptions import ApplicationError, NotFoundError
from jusoor.common.ratelimit import rate_limited
from jusoor.payments.forms import TestPayCardForm
from jusoor.payments.models import TestPaySession
from jusoor.payments.services.testpay import TEST_CARDS, testpay_pay, testpay_session_get

PAY_LIMIT = (30, 60)  # submissions per IP per minute


class TestPayPageView(View):
    template_name = "payments/testpay_page.html"

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not settings.TESTPAY_ENABLED:
            raise Http404(_("This payment page does not exist or has expired."))
        return super().dispatch(request, *args, **kwargs)

    def _session(self, token: str) -> TestPaySession:
        try:
            return testpay_session_get(token=token)
        except NotFoundError as error:
            raise Http404(str(error.message)) from error

    def _render(
        self, request: HttpRequest, session: TestPaySession, form: TestPayCardForm, status: int = 200
    ) -> HttpResponse:
        context = {"session": session, "form": form, "cards": TEST_CARDS}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self._render(request, self._session(token), TestPayCardForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        session = self._session(token)
        if session.status != TestPaySession.Status.OPEN:
            return HttpResponseRedirect(session.return_url)
        form = TestPayCardForm(request.POST)
        if rate_limited(request, "testpay.pay", *PAY_LIMIT):
            form.add_error(None, _("Too many attempts. Please wait a minute and try again."))
            return self._render(request, session, form, status=429)
        if not form.is_valid():
            return self._render(request, session, form, status=400)
        try:
            session = testpay_pay(token=token, card_number=form.cleaned_data["card_number"])
        except ApplicationError as error:
            form.add_error("card_number", str(error.message))
            return self._render(request, session, form, status=400)
        return HttpResponseRedirect(session.return_url)
