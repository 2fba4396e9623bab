"""Requests a client abandons part-way are the client's doing: Pace answers or closes quietly, logs no
error of its own, and keeps serving."""
import os
import socket
import tempfile

from servers import Server, request


def test_a_body_cut_short_is_not_logged_as_a_failure_of_pace():
    with tempfile.TemporaryDirectory() as directory:
        server = Server(f"sqlite:{os.path.join(directory, 'pace.sqlite')}")
        try:
            for path in ("/sign-in", "/api/v1/studies", "/api/v1/import/sites"):
                connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                connection.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                   f"Content-Length: 100\r\n\r\nemail=a".encode())
                connection.shutdown(socket.SHUT_WR)
                try:
                    answer = connection.recv(200)
                except OSError:
                    answer = b""
                connection.close()
                assert not answer.startswith(b"HTTP/1.1 5"), answer
            status, _, _ = request(server.base, "/health")
            assert status == 200
            assert server.running()
            assert "failed:" not in server.output(), server.output()
        finally:
            server.stop()
