from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class StandardPagination(PageNumberPagination):
    """Pages of 24 by default, at most 100. `page_size` is an integer given once, or a 400 naming
    it: DRF would quietly use the default for `page_size=true` or `page_size=1&page_size=2`,
    which the schema (an integer) does not allow."""

    page_size = 24
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        values = request.query_params.getlist(self.page_size_query_param)
        text = values[0].strip() if values else ""
        if len(values) > 1 or (values and not text.lstrip("-").isdigit()):
            raise ValidationError(
                {self.page_size_query_param: [_("Give page_size once, as a whole number.")]}
            )
        return super().get_page_size(request)
