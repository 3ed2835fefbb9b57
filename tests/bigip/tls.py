"""The double's HTTPS certificate: made with the openssl CLI at start, else the committed test pair.

Neither is trusted by anything: clients of the double use validate_certs=false (as against a
BIG-IP with its default self-signed device certificate).
"""
import os
import shutil
import ssl
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FALLBACK_CERT = os.path.join(HERE, "certs", "fallback-cert.pem")
FALLBACK_KEY = os.path.join(HERE, "certs", "fallback-key.pem")
OPENSSL_TIMEOUT = 60


def make_certificate(directory=None, openssl=None):
    """(cert_path, key_path, origin): origin is 'openssl' or 'committed'."""
    openssl = openssl or shutil.which("openssl")
    if openssl:
        directory = directory or tempfile.mkdtemp(prefix="bigip-double-cert-")
        if not os.path.isdir(directory):
            os.makedirs(directory)
        cert = os.path.join(directory, "bigip-double-cert.pem")
        key = os.path.join(directory, "bigip-double-key.pem")
        argv = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                "-days", "7", "-subj", "/CN=localhost/O=hatools bigip test double",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        try:
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=OPENSSL_TIMEOUT, env=dict(os.environ, LC_ALL="C"))
            return cert, key, "openssl"
        except (OSError, subprocess.SubprocessError):
            pass
    return FALLBACK_CERT, FALLBACK_KEY, "committed"


def server_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
