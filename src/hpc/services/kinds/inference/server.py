"""HTTP embedding server around minilm.py with Ollama's embedding API, so a real Ollama can stand
in for it: POST /api/embed {"model", "input": str | [str]} -> {"model", "embeddings": [[...]]};
GET /api/tags lists the model, GET / answers like Ollama's root (the health check).
One thread per connection; numpy's matrix products release the GIL, so requests overlap there.
Usage: server.py PORT MODEL_NAME [MAX_INPUTS]"""

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from minilm import MiniLM

PORT = int(sys.argv[1])
NAME = sys.argv[2]
MAX_INPUTS = int(sys.argv[3]) if len(sys.argv) > 3 else 64
MODEL = MiniLM()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the load generator reuses its connections

    def log_message(self, *args):  # no line per request in the job's output
        pass

    def _send(self, code, body, kind="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/":
            self._send(200, b"Ollama is running", "text/plain")
        elif self.path == "/api/tags":
            self._send(200, {"models": [{"name": NAME, "model": NAME, "details": {"family": "bert", "embedding_length": 384}}]})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/api/embed":
            self._send(404, {"error": "not found"})
            return
        try:
            req = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            texts = req.get("input")
            texts = [texts] if isinstance(texts, str) else texts
            if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
                raise ValueError("input must be a string or a non-empty list of strings")
            if len(texts) > MAX_INPUTS:
                raise ValueError(f"at most {MAX_INPUTS} inputs per request")
            if req.get("model", NAME) != NAME:
                self._send(404, {"error": f"model {req.get('model')!r} not found, try {NAME!r}"})
                return
        except (ValueError, AttributeError) as e:
            self._send(400, {"error": str(e)})
            return
        t0 = time.perf_counter_ns()
        vectors = MODEL.embed(texts)
        self._send(200, {"model": NAME, "embeddings": vectors.tolist(), "total_duration": time.perf_counter_ns() - t0})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog is 5: a client opening 32 connections at once gets resets.
    request_queue_size = 1024


if __name__ == "__main__":
    server = Server(("0.0.0.0", PORT), Handler)
    print(f"serving {NAME} on port {PORT}", flush=True)
    server.serve_forever()
