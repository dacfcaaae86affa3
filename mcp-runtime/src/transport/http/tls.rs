//! HTTPS with rustls: certificate chain and key from PEM files, and, with a client CA,
//! mutual TLS: a client without a certificate that CA issued is refused in the
//! handshake.

use std::io;
use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig};

use crate::certificate::ClientCertificate;

use super::config::TlsFiles;

/// A TLS acceptor for the configured certificate and key (and client CA).
pub(crate) fn acceptor(files: &TlsFiles) -> io::Result<TlsAcceptor> {
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
    let certificates = read_certificates(&files.cert)?;
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|error| {
        invalid(format!(
            "cannot read a private key from {}: {error}",
            files.key.display()
        ))
    })?;
    let provider = Arc::new(ring::default_provider());
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| invalid(error.to_string()))?;
    let builder = match &files.client_ca {
        None => builder.with_no_client_auth(),
        Some(path) => {
            let roots = client_roots(path)?;
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|error| {
                    invalid(format!(
                        "cannot verify clients with {}: {error}",
                        path.display()
                    ))
                })?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder
        .with_single_cert(certificates, key)
        .map_err(|error| invalid(format!("certificate and key do not fit: {error}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Reads the certificates of a PEM file (at least one).
fn read_certificates(path: &Path) -> io::Result<Vec<CertificateDer<'static>>> {
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|error| {
            invalid(format!(
                "cannot read certificates from {}: {error}",
                path.display()
            ))
        })?
        .collect::<Result<_, _>>()
        .map_err(|error| invalid(format!("bad certificate in {}: {error}", path.display())))?;
    if certificates.is_empty() {
        return Err(invalid(format!("no certificate in {}", path.display())));
    }
    Ok(certificates)
}

/// The trust anchors of `--tls-client-ca`.
fn client_roots(path: &Path) -> io::Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    for certificate in read_certificates(path)? {
        roots.add(certificate).map_err(|error| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("unusable CA certificate in {}: {error}", path.display()),
            )
        })?;
    }
    Ok(roots)
}

/// The certificate a client proved it holds on this connection, if it sent one.
pub(crate) fn client_certificate<S>(
    stream: &tokio_rustls::server::TlsStream<S>,
) -> Option<ClientCertificate> {
    let (_, connection) = stream.get_ref();
    let leaf = connection.peer_certificates()?.first()?;
    ClientCertificate::from_der(leaf.as_ref())
}
