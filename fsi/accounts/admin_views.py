"""Administration of users and organisations (admins only)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
