"""TCP helpers for the tests that stand between the app and PostgreSQL: a loopback listener
that hands each accepted connection to `accepted`, and a two-way splice of two sockets."""
import socket
import threading


class Listener:
    """Listens on a free loopback port (`port`) and calls `accepted(client)` for each connection,
    on a daemon thread, until `listener` is closed. Subclasses set their state before calling
    this __init__: the first connection may come at once."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted(client)

    def accepted(self, client: socket.socket) -> None:
        raise NotImplementedError


def splice(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways between two connected sockets, on daemon threads, until either
    side ends; then both are shut down and closed."""
    for source, sink in ((client, upstream), (upstream, client)):
        threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
