"""What a rule answers when it says no: one exception the request boundary turns into the reasons
shown to the user (flashed on a page, or a JSON error), whichever domain raised it."""


class Refused(Exception):
    """An action refused by a rule. ``reasons`` are sentences for the user (French, translated);
    ``field`` names the form field the refusal concerns, when there is one."""

    def __init__(self, reasons, field=None):
        self.reasons = [reasons] if isinstance(reasons, str) or not hasattr(reasons, "__iter__") else list(reasons)
        # a Reason (a str carrying its remedy) stays one; lazy strings become text
        self.reasons = [reason if isinstance(reason, str) else str(reason) for reason in self.reasons]
        self.field = field
        super().__init__(" ".join(self.reasons))

    @property
    def message(self):
        return " ".join(self.reasons)
