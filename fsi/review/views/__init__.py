"""The review pages; their routes are listed in fsi.review.blueprint."""
