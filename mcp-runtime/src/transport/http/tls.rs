//! HTTPS with rustls: certificate chain and key from PEM files.

use std::io;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;

use super::config::TlsFiles;

/// A TLS acceptor for the configured certificate and key.
pub(crate) fn acceptor(files: &TlsFiles) -> io::Result<TlsAcceptor> {
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|error| {
            invalid(format!(
                "cannot read certificates from {}: {error}",
                files.cert.display()
            ))
        })?
        .collect::<Result<_, _>>()
        .map_err(|error| {
            invalid(format!(
                "bad certificate in {}: {error}",
                files.cert.display()
            ))
        })?;
    if certificates.is_empty() {
        return Err(invalid(format!(
            "no certificate in {}",
            files.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|error| {
        invalid(format!(
            "cannot read a private key from {}: {error}",
            files.key.display()
        ))
    })?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|error| invalid(error.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .map_err(|error| invalid(format!("certificate and key do not fit: {error}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
