"""PyInstaller runtime hook: give the frozen app a CA bundle when the bundled OpenSSL has none.

The bundle carries the build machine's OpenSSL, whose compiled-in certificate paths may not exist on the
user's machine (a python.org/setup-python build on macOS points into Python.framework; Fedora and Arch
keep certificates elsewhere than Debian). HTTPS to a remote CPA or to the LiteLLM price list would then
fail verification. Only when SSL_CERT_FILE/SSL_CERT_DIR are unset and the default paths are missing,
point SSL_CERT_FILE at certifi's bundle, which release.spec ships when certifi is installed at build
time. Windows keeps using its system store as well (ssl.create_default_context loads it regardless).
"""

import os
import ssl
import sys


def _use_bundled_certificates() -> None:
    if os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR"):
        return
    defaults = ssl.get_default_verify_paths()
    if defaults.cafile and os.path.isfile(defaults.cafile):
        return
    if defaults.capath and os.path.isdir(defaults.capath) and os.listdir(defaults.capath):
        return
    bundle = os.path.join(getattr(sys, "_MEIPASS", ""), "certifi", "cacert.pem")
    if os.path.isfile(bundle):
        os.environ["SSL_CERT_FILE"] = bundle


_use_bundled_certificates()
del _use_bundled_certificates
