//! Pieces every macro uses.

pub(crate) mod docs;
pub(crate) mod errors;
pub(crate) mod handler;
pub(crate) mod items;
pub(crate) mod names;
pub(crate) mod options;
pub(crate) mod paths;
