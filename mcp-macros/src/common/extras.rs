//! The options tools, resources and prompts share besides their names: `icon` (one per
//! icon, repeatable) and `meta(...)`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;

use crate::common::errors::Errors;
use crate::common::icons::IconSpec;
use crate::common::meta::MetaSpec;
use crate::common::options::Slot;

/// `icon` and `meta` as written.
#[derive(Default)]
pub(crate) struct Extras {
    icons: Vec<IconSpec>,
    meta: Slot<MetaSpec>,
}

impl Extras {
    /// Reads the option if it is `icon` or `meta`; `None` for any other.
    pub(crate) fn option(&mut self, meta: &ParseNestedMeta<'_>) -> Option<syn::Result<()>> {
        if meta.path.is_ident("icon") {
            Some(IconSpec::parse(meta).map(|icon| self.icons.push(icon)))
        } else if meta.path.is_ident("meta") {
            Some(MetaSpec::parse(meta).and_then(|spec| self.meta.set(meta, spec)))
        } else {
            None
        }
    }

    /// Reports what the specification does not allow.
    pub(crate) fn check(&self, errors: &mut Errors) {
        for icon in &self.icons {
            icon.check(errors);
        }
        if let Some(meta) = self.meta.get() {
            meta.check(errors);
        }
    }

    /// The `icons: ..., meta: ...,` fields of a descriptor.
    pub(crate) fn fields(&self, private: &TokenStream) -> TokenStream {
        let icons = self.icons.iter().map(|icon| icon.emit(private));
        let meta = match self.meta.get() {
            Some(meta) => meta.emit(),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            icons: &[#(#icons),*],
            meta: #meta,
        }
    }
}
