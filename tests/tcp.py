"""A two-way TCP relay for the tests that stand between the app and PostgreSQL."""
import socket
import threading


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
