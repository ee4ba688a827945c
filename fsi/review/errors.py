from fsi.errors import Refused


class ReviewError(Refused):
    """An operation of the review domain refused, with the reason in French for the user."""
