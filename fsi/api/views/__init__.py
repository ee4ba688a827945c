"""The endpoints of /api/v1, one module per area; each adds its routes to fsi.api.blueprint.bp."""
