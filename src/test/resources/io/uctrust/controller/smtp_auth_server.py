"""An SMTP server for uctrust's tests: Debian's aiosmtpd on 127.0.0.1 requiring STARTTLS, and a login (only over
TLS) with one user whose password is read from a file. Accepted messages are added to a Maildir. Prints "ready"
once it listens; stop it with SIGTERM."""
import argparse
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--cert", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--password-file", required=True)
parser.add_argument("--maildir", required=True)
args = parser.parse_args()

with open(args.password_file) as f:
    password = f.read().strip()


def authenticator(server, session, envelope, mechanism, auth_data):
    valid = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user
             and auth_data.password.decode() == password)
    # handled=False: aiosmtpd then answers 535 itself (its default, handled=True, answers nothing)
    return AuthResult(success=valid, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(args.cert, args.key)
controller = Controller(Mailbox(args.maildir), hostname="127.0.0.1", port=args.port, tls_context=context,
                        require_starttls=True, auth_required=True, auth_require_tls=True,
                        authenticator=authenticator)
controller.start()
print("ready", flush=True)
threading.Event().wait()
