"""Local stand-ins for the work-notice APIs (issue 31): a real HTTP server (``http.server`` in a
thread on 127.0.0.1) that speaks WeCom's, DingTalk's or an SMS gateway's protocol and records every
request. Nothing of Wuyi's is mocked; the server is only as strict as the real APIs are about what
the tests check: the token must be one it issued and still valid, the credentials must match.

``fail_next``: answers for the next message sends, in order (a status with a body), before the
server takes messages again; ``expire_tokens()`` makes every token issued so far expired (42001)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PROTOCOLS = {
    "wecom": {
        "token_path": "/cgi-bin/gettoken",
        "credentials": ("corpid", "corpsecret"),
        "send_path": "/cgi-bin/message/send",
    },
    "dingtalk": {
        "token_path": "/gettoken",
        "credentials": ("appkey", "appsecret"),
        "send_path": "/topapi/message/corpconversation/asyncsend_v2",
    },
    "sms": {"token_path": None, "credentials": (), "send_path": "/sms/send"},
}
CREDENTIALS = {
    "wecom": ("ww-corp-test", "wecom-secret-test"),
    "dingtalk": ("ding-key-test", "ding-secret-test"),
}


class NoticeApi:
    def __init__(self, protocol: str, *, sms_answer: bytes = b'{"code": 0, "msg": "ok"}'):
        self.protocol = protocol
        self.spec = PROTOCOLS[protocol]
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.accepted: list[dict] = []  # message sends answered with success
        self.tokens: list[str] = []
        self.expired: set[str] = set()
        self.fail_next: list[tuple[int, bytes]] = []
        self.sms_answer = sms_answer
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's hook name)
                self._answer(*api.handle("GET", self.path, self.headers, b""))

            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer(*api.handle("POST", self.path, self.headers, raw))

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NoticeApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def expire_tokens(self) -> None:
        with self.lock:
            self.expired.update(self.tokens)

    def token_fetches(self) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"] == self.spec["token_path"]]

    def sends(self) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"] == self.spec["send_path"]]

    def taken(self) -> list[dict]:
        with self.lock:
            return list(self.accepted)

    # --- the protocol ------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers, raw: bytes) -> tuple[int, bytes]:
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        request = {"method": method, "path": parts.path, "query": query, "headers": dict(headers), "raw": raw}
        with self.lock:
            self.requests.append(request)
            if method == "GET" and parts.path == self.spec["token_path"]:
                return self._token(query)
            if method == "POST" and parts.path == self.spec["send_path"]:
                return self._send(request, query)
        return 404, b'{"errcode": 404, "errmsg": "no such path"}'

    def _token(self, query: dict) -> tuple[int, bytes]:
        id_name, secret_name = self.spec["credentials"]
        if (query.get(id_name), query.get(secret_name)) != CREDENTIALS[self.protocol]:
            return 200, b'{"errcode": 40001, "errmsg": "invalid credential"}'
        token = f"{self.protocol}-token-{len(self.tokens) + 1}"
        self.tokens.append(token)
        return 200, json.dumps(
            {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        ).encode()

    def _send(self, request: dict, query: dict) -> tuple[int, bytes]:
        if self.spec["token_path"]:
            token = query.get("access_token")
            if token in self.expired:
                return 200, b'{"errcode": 42001, "errmsg": "access_token expired"}'
            if token not in self.tokens:
                return 200, b'{"errcode": 40014, "errmsg": "invalid access_token"}'
        if self.fail_next:
            return self.fail_next.pop(0)
        self.accepted.append(request)
        if self.protocol == "sms":
            return 200, self.sms_answer
        return 200, b'{"errcode": 0, "errmsg": "ok", "invaliduser": "", "task_id": 1}'
