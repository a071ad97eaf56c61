"""`.ci/run`: waits until the redis-server and moto's S3 server it started answer on their
loopback ports (arguments: the two ports), 30 seconds at most."""

import contextlib
import socket
import sys
import time
import urllib.error
import urllib.request


def redis_answers(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


def s3_answers(port: int) -> bool:
    with contextlib.suppress(urllib.error.HTTPError):  # an error is an answer all the same
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
    return True


def main() -> int:
    redis_port, s3_port = (int(arg) for arg in sys.argv[1:3])
    waiting = {
        "redis-server": lambda: redis_answers(redis_port),
        "moto_server": lambda: s3_answers(s3_port),
    }
    deadline = time.monotonic() + 30
    while waiting and time.monotonic() < deadline:
        for name, answers in list(waiting.items()):
            try:
                if answers():
                    del waiting[name]
            except OSError:
                pass
        time.sleep(0.1)
    if waiting:
        print(f"Not answering within 30 s: {', '.join(waiting)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
