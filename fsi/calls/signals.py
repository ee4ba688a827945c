"""The calls domain's hooks (see fsi.hooks)."""
from fsi.hooks import signals

#: sent with the new call, in its transaction: higher domains give it what they attach to a call
call_created = signals.signal("call-created")
#: sent with the call and ``user``: receivers answer the PageLink(s) the call's page offers them
call_page_links = signals.signal("call-page-links")
#: sent with the call: receivers answer the ids of criteria that may no longer be removed
#: (already used, e.g. scored by the committee)
criteria_in_use = signals.signal("criteria-in-use")
#: sent with the call: a receiver answers True when something already follows the call's rules
#: (its applications), so that its circuit may no longer change
call_in_use = signals.signal("call-in-use")
