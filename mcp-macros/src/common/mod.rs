//! Pieces every macro uses.

pub(crate) mod docs;
pub(crate) mod errors;
pub(crate) mod extras;
pub(crate) mod handler;
pub(crate) mod icons;
pub(crate) mod items;
pub(crate) mod meta;
pub(crate) mod names;
pub(crate) mod options;
pub(crate) mod paths;
