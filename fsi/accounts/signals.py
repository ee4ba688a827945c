"""The accounts domain's hooks (see fsi.hooks)."""
from fsi.hooks import signals

#: sent with the user: receivers answer the HTML section(s) (Markup, from their own template) the
#: user's account page shows below its own cards (e.g. the API domain's personal tokens)
profile_sections = signals.signal("accounts-profile-sections")
