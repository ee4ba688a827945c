"""The applications' pages; their routes are listed in fsi.applications.blueprint."""
