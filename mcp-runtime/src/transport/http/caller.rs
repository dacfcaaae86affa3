//! The [`Caller`] of an HTTP request: the bearer token's [`Identity`] the auth layer
//! attached, and the client certificate the TLS layer verified for the connection.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::Extensions;
use axum::http::request::Parts;

use crate::certificate::ClientCertificate;
use crate::context::{Caller, Identity};

/// Moves the caller out of a request's extensions.
pub(crate) fn take(extensions: &mut Extensions) -> Caller {
    Caller {
        identity: extensions.remove::<Identity>(),
        certificate: extensions.remove::<ClientCertificate>(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Caller, Infallible> {
        Ok(take(&mut parts.extensions))
    }
}
