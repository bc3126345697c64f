"""One running instance per user (and per --basedir): a second launch hands its request over and exits."""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket


def server_name(key: str) -> str:
    # per user and per data folder, so a test's --basedir never talks to the user's real app
    digest = hashlib.sha256(f"{getpass.getuser()}:{key}".encode()).hexdigest()[:16]
    return f"private-copilot-{digest}"


def send_to_running(name: str, message: str, timeout_ms: int = 1000) -> bool:
    """Deliver ``message`` to a running instance; False when there is none."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(message.encode("utf-8") + b"\n")
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches: ``sig_message`` carries what they asked (e.g. "show")."""

    sig_message = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.UserAccessOption)
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # left behind by a crashed instance
            self.server.listen(name)
        self.server.newConnection.connect(self._on_connection)

    @Slot()
    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            self.sig_message.emit(bytes(socket.readLine()).decode("utf-8", "replace").strip())

    def close(self) -> None:
        self.server.close()
