"""Mail: an outbox written in each action's transaction, sent by SMTP (``flask fsi send-mail``).

Below every domain: it knows none of them."""
from fsi.cli import add_commands
from fsi.home import add_panel
from fsi.mail import cli
from fsi.mail.outbox import failed_count


def init_app(app):
    add_commands(cli.send_mail)
    add_panel("mail/_home_outbox.html", {"staff", "admin"}, lambda user: {"failed_mails": failed_count()}, order=50)
