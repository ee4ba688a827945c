"""The funding domain's views, one module per responsibility (routes in fsi.funding.blueprint)."""
