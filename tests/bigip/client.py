"""A small HTTPS client for the test harness (the double's certificate is self-signed)."""
import base64
import json
import ssl
import urllib.error
import urllib.request


class Client(object):
    def __init__(self, url, user="admin", password="admin", timeout=30):
        self.url = url.rstrip("/")
        self.auth = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.timeout = timeout
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def request(self, method, path, body=None, headers=None, auth=True):
        """(status, parsed JSON body)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if auth:
            request.add_header("Authorization", self.auth)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:
                return response.status, json.loads(response.read().decode("utf-8") or "null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read().decode("utf-8") or "null")

    def ok(self, method, path, body=None):
        status, payload = self.request(method, path, body)
        if status != 200:
            raise RuntimeError("%s %s -> %s %s" % (method, path, status, payload))
        return payload

    def mark(self, label, **extra):
        body = dict(extra, label=label)
        return self.ok("POST", "/_double/mark", body)

    def state(self):
        return self.ok("GET", "/_double/state")

    def records(self):
        return self.ok("GET", "/_double/records")["records"]
