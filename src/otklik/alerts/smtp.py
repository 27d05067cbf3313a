"""E-mail channel: a plain-text letter through SMTP (stdlib smtplib), STARTTLS or implicit TLS, login optional.

The password comes from ``OTKLIK_SMTP_PASSWORD`` (or the channel's ``password_env``) and is only
ever handed to ``SMTP.login``; failures are reported by the server's code, never with it.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from otklik.alerts.config import EmailChannel
from otklik.alerts.message import Message
from otklik.alerts.redact import Redactor
from otklik.errors import AlertError


def letter(channel: EmailChannel, message: Message) -> EmailMessage:
    em = EmailMessage()
    em["Subject"] = message.subject
    em["From"] = channel.sender
    em["To"] = ", ".join(channel.to)
    em["Date"] = formatdate(localtime=False)
    em["Message-ID"] = make_msgid(domain=channel.sender.rpartition("@")[2] or None)
    em.set_content(message.text)
    return em


class EmailSender:
    max_chars: int | None = None

    def __init__(self, channel: EmailChannel, *, password: str | None) -> None:
        self.channel = channel
        self._password = password
        self._redact = Redactor([password])

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.channel.ca_file) if self.channel.ca_file else None)

    def send(self, message: Message) -> None:
        ch = self.channel
        if ch.username and not self._password:
            raise AlertError(ch.name, f"login as {ch.username} needs a password: set {ch.password_env}")
        try:
            if ch.ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(ch.host, ch.port, timeout=ch.timeout, context=self._tls())
            else:
                smtp = smtplib.SMTP(ch.host, ch.port, timeout=ch.timeout)
            with smtp:
                if ch.starttls:
                    smtp.starttls(context=self._tls())
                if ch.username:
                    smtp.login(ch.username, self._password or "")
                smtp.send_message(letter(ch, message))
        except smtplib.SMTPNotSupportedError:
            raise AlertError(ch.name, f"{ch.host}:{ch.port} does not offer STARTTLS (set starttls: false only on a trusted network)") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise AlertError(ch.name, f"the SMTP server refused the login of {ch.username} (code {exc.smtp_code})") from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise AlertError(ch.name, f"the SMTP server refused the recipients {', '.join(exc.recipients)}") from None
        except (smtplib.SMTPException, OSError) as exc:  # ssl.SSLError is an OSError
            raise AlertError(ch.name, f"cannot send through {ch.host}:{ch.port} ({type(exc).__name__}: {self._redact(exc)})") from None
