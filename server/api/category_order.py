"""The Z-ticket order of a company's sales categories, set in one call (« Réglages » drag and drop)."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.schemas.settings import CategoryOrderSchema, CategorySchema
from server.services import settings

bp = Blueprint("category_order", __name__, url_prefix="/api/companies/<int:cid>/categories/order",
               description="Ordre du ticket Z")


@bp.put("")
@company_access(write=True)
@bp.arguments(CategoryOrderSchema)
@bp.response(200, CategorySchema(many=True))
def put_order(data, cid):
    """Every category id in the new Z order (admins); positions become 1, 2, 3…"""
    return settings.reorder_categories(current_company(), data["ids"])
