"""The JSON API v1 (/api/v1): the same operations and permission predicates as the web pages,
for scripts and information systems, with personal bearer tokens. Last of DOMAINS: it may use
every domain.

- ``blueprint.bp`` holds every endpoint (``views/``: calls, applications, actions, projects,
  public); ``spec.api`` (spectree) validates requests and responses with pydantic models and
  generates the OpenAPI document from them (``docs``: /api/v1/openapi.json and /api/v1/docs);
- ``auth``: only ``Authorization: Bearer <token>`` counts under /api/ (``token_required``);
- ``errors.api_abort``: the one error shape (fsi.web.error_response);
- ``pagination``: ``PageQuery``, ``Page[T]``, ``page_of``;
- ``tokens`` (``models.ApiToken``), their card on the account page (``token_views``) and
  ``flask fsi create-token`` (``cli``); ``ratelimit``: Flask-Limiter, per token.
"""
from fsi.accounts.signals import profile_sections
from fsi.api import auth, cli, docs, ratelimit, token_views  # noqa: F401  (docs: its routes)
from fsi.api.blueprint import bp
from fsi.api.views import actions, applications, calls, projects, public  # noqa: F401  (their routes)
from fsi.cli import add_commands
from fsi.extensions import csrf


def init_app(app):
    csrf.exempt(bp)  # only a bearer token authenticates under /api/: no cookie, no CSRF question
    app.before_request(auth.load_api_user)
    ratelimit.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(token_views.web_bp)
    profile_sections.connect(token_views.profile_section)
    add_commands(cli.create_token)
