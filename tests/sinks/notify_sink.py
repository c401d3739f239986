#!/usr/bin/env python3
"""A local SMTP server (aiosmtpd) and SMS gateway (HTTP) for the notification tests and for
trying motcua by hand: every message received is appended as one JSON line to OUT/smtp.jsonl or
OUT/sms.jsonl, with its id (Message-ID / Idempotency-Key) and decoded text.

    python3 tests/sinks/notify_sink.py --smtp-port 1025 --http-port 1080 --out /tmp/sink

The HTTP side answers 200 to POST /sms. With --delay-ms each message takes that long to accept,
so a test can kill the relay while messages are in flight.
"""
import argparse
import json
import os
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

LOCK = threading.Lock()


def append(path, record):
    with LOCK:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())


class Mail:
    def __init__(self, out, delay):
        self.out = out
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        append(
            os.path.join(self.out, "smtp.jsonl"),
            {
                "id": str(msg["Message-ID"]),
                "to": envelope.rcpt_tos,
                "subject": str(msg["Subject"]),
                "body": body.get_content() if body else "",
            },
        )
        return "250 Message accepted for delivery"


def sms_handler(out, delay):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            if self.delay:
                time.sleep(self.delay)
            append(
                os.path.join(out, "sms.jsonl"),
                {
                    "id": self.headers.get("Idempotency-Key"),
                    "auth": self.headers.get("Authorization"),
                    "to": payload.get("to"),
                    "text": payload.get("text"),
                },
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status":"queued"}')

        def log_message(self, *args):
            pass

    Handler.delay = delay
    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smtp-port", type=int, required=True)
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--delay-ms", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    delay = args.delay_ms / 1000
    smtp = Controller(Mail(args.out, delay), hostname="127.0.0.1", port=args.smtp_port)
    smtp.start()
    http = ThreadingHTTPServer(("127.0.0.1", args.http_port), sms_handler(args.out, delay))
    print("ready", flush=True)
    try:
        http.serve_forever()
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
