"""The applications domain's hooks (see fsi.hooks)."""
from fsi.hooks import signals

#: sent with the application and ``user``: a receiver answers True to let that user see it (the
#: applications domain itself decides for staff and the applicant organisation; e.g. the review
#: domain grants its assigned, non-conflicted reviewers)
can_view = signals.signal("application-can-view")
#: sent with the application and ``audience`` (a workflow notification audience this domain does
#: not know, e.g. "reviewers"): receivers answer the users to mail
recipients = signals.signal("application-recipients")
#: sent with the application and ``user``: receivers answer the PageSection(s) the application's
#: page shows that user (e.g. the assessment, the reviews, the decision letters)
page_sections = signals.signal("application-page-sections")
#: sent with ``application_ids``: receivers answer {application id: Decimal}, what a grant really
#: commits once its project lives (e.g. what is finally due after the final report, what was paid
#: of an abandoned project); an application nobody answers for counts its approved amount while
#: awarded (see fsi.applications.calculator.committed_amounts)
committed = signals.signal("application-committed")
#: sent with ``organisation_id`` and ``since`` (a date, Europe/Paris): receivers answer a Decimal,
#: what the organisation was granted outside FSI from that day on (the tracking domain: grants
#: obtained through the fédération or other funders, entered by staff). It counts against the
#: organisation's ceiling with FSI's own grants (see fsi.applications.calculator.awarded_within)
outside_grants = signals.signal("application-outside-grants")
