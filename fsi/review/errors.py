class ReviewError(Exception):
    """An operation of the review domain refused, with the reason in French for the user."""
