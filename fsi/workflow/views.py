from flask import Blueprint

bp = Blueprint("workflow", __name__, url_prefix="/workflow")
