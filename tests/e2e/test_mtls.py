"""Mutual TLS: `everything` over HTTPS on 127.0.0.1 with `--tls-client-ca`.

Certificates are made for each run with the `cryptography` package: a CA the server
trusts, a client certificate it issued (subject `CN=alice,OU=payments,O=Example Corp`),
and a second CA with a client certificate of its own, which the server does not trust.

- The official Python SDK, presenting the trusted certificate, is served in both eras
  (a stateless 2026-07-28 client and a 2025-11-25 session), and the `whoami` tool sees
  the certificate's subject through `Context::client_certificate`.
- Without a certificate, or with the untrusted one, the TLS handshake is refused: the
  client gets a TLS alert and not one byte of HTTP, on every route (`/health` too).
  This runs against the calculator with the flags of docs/production.md.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import httpx2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from harness import CLIENT_INFO, REQUEST_TIMEOUT, calculator_bin, everything_bin
from server_process import ServerProcess, start_server, stop_server

ALICE = x509.Name(
    [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "payments"),
        x509.NameAttribute(NameOID.COMMON_NAME, "alice"),
    ]
)


@dataclass
class Pki:
    """PEM files of one run."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    rogue_cert: Path
    rogue_key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write(path: Path, certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> Path:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path = path.with_suffix(".key")
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return key_path


def _issue(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
    *,
    ca: bool = False,
    usage: x509.ObjectIdentifier | None = None,
    ip: str | None = None,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    issuer_name, issuer_key = issuer or (subject, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if ip is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("mcp test client CA")
    ca = _issue(ca_name, ca_key, None, ca=True)
    ca_path = folder / "client-ca.pem"
    _write(ca_path, ca, ca_key)

    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _issue(_name("127.0.0.1"), server_key, (ca_name, ca_key), usage=ExtendedKeyUsageOID.SERVER_AUTH, ip="127.0.0.1")
    server_cert = folder / "server.pem"
    server_key_path = _write(server_cert, server, server_key)

    client_key = ec.generate_private_key(ec.SECP256R1())
    client = _issue(ALICE, client_key, (ca_name, ca_key), usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    client_cert = folder / "alice.pem"
    client_key_path = _write(client_cert, client, client_key)

    rogue_ca_key = ec.generate_private_key(ec.SECP256R1())
    rogue_ca_name = _name("someone else's CA")
    rogue_key = ec.generate_private_key(ec.SECP256R1())
    rogue = _issue(_name("mallory"), rogue_key, (rogue_ca_name, rogue_ca_key), usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    rogue_cert = folder / "mallory.pem"
    rogue_key_path = _write(rogue_cert, rogue, rogue_key)
    return Pki(ca_path, server_cert, server_key_path, client_cert, client_key_path, rogue_cert, rogue_key_path)


def serve(binary: Path, tmp_path: Path, pki: Pki) -> Iterator[ServerProcess]:
    """`binary` with the flags of docs/production.md (on 127.0.0.1, without a token)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    stderr = tmp_path / f"{binary.name}.stderr"
    args = ("--tls-cert", str(pki.server_cert), "--tls-key", str(pki.server_key), "--tls-client-ca", str(pki.ca))
    process, url = start_server(binary, env, stderr, args=args)
    running = ServerProcess(process=process, mcp_url=url, stderr_path=stderr)
    try:
        yield running
    finally:
        stop_server(running)


@pytest.fixture
def server(tmp_path: Path, pki: Pki) -> Iterator[ServerProcess]:
    """`everything`, whose `whoami` tool reports the caller."""
    yield from serve(everything_bin(), tmp_path, pki)


@pytest.fixture
def calculator(tmp_path: Path, pki: Pki) -> Iterator[ServerProcess]:
    """The calculator, as the production guide runs it."""
    yield from serve(calculator_bin(), tmp_path, pki)


def client_context(pki: Pki, cert: Path | None, key: Path | None) -> ssl.SSLContext:
    """A client context trusting the test CA (which issued the server's certificate),
    presenting `cert` when given."""
    context = ssl.create_default_context(cafile=str(pki.ca))
    if cert is not None and key is not None:
        context.load_cert_chain(str(cert), str(key))
    return context


async def whoami(url: str, context: ssl.SSLContext, mode: str) -> dict[str, object]:
    async with httpx2.AsyncClient(verify=context, timeout=httpx2.Timeout(10.0, read=30.0)) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport, mode=mode, read_timeout_seconds=REQUEST_TIMEOUT, client_info=CLIENT_INFO) as client:
            result = await client.session.call_tool("whoami", {})
            assert not result.is_error, result
            assert result.structured_content is not None, result
            return dict(result.structured_content)


@pytest.mark.parametrize("mode", ["2026-07-28", "legacy"])
def test_a_trusted_client_certificate_is_served_and_its_subject_reaches_tools(
    server: ServerProcess, pki: Pki, mode: str
) -> None:
    assert server.mcp_url.startswith("https://"), server.mcp_url
    context = client_context(pki, pki.client_cert, pki.client_key)
    seen = anyio.run(whoami, server.mcp_url, context, mode)
    assert seen == {
        "token": None,
        "certificate": "CN=alice,OU=payments,O=Example Corp",
        "commonName": "alice",
    }, seen
    assert server.alive()


def raw_exchange(url: str, context: ssl.SSLContext, path: str) -> bytes:
    """A TLS connection that sends `GET path` and reads until the server closes; what it
    read. Raises `ssl.SSLError` (or `ConnectionResetError`) when TLS refuses the client."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as plain:
        with context.wrap_socket(plain, server_hostname=parts.hostname) as tls:
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := tls.recv(65536):
                reply += chunk
            return reply


@pytest.mark.parametrize("client", ["no certificate", "untrusted certificate"])
@pytest.mark.parametrize("path", ["/health", "/mcp", "/sse"])
def test_a_client_without_a_trusted_certificate_is_refused_in_the_handshake(
    calculator: ServerProcess, pki: Pki, client: str, path: str
) -> None:
    server = calculator
    if client == "no certificate":
        context = client_context(pki, None, None)
        alert = "CERTIFICATE_REQUIRED"
    else:
        context = client_context(pki, pki.rogue_cert, pki.rogue_key)
        alert = "UNKNOWN_CA"
    with pytest.raises((ssl.SSLError, ConnectionResetError)) as refused:
        reply = raw_exchange(server.mcp_url, context, path)
        pytest.fail(f"{client}: the server answered {reply[:200]!r}")
    # TLS 1.3 finishes the client's side of the handshake before the server has checked
    # its certificate: the refusal arrives as the server's alert on the first read.
    assert alert in str(refused.value).upper(), f"{client}: {refused.value!r}"
    # The same client with the trusted certificate is served: the refusal was the
    # certificate's, not the route's or the server's.
    reply = raw_exchange(server.mcp_url, client_context(pki, pki.client_cert, pki.client_key), "/health")
    assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
    assert json.loads(reply.partition(b"\r\n\r\n")[2])["status"] == "ok"
    assert server.alive()
