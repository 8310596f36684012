//! Debug output for wire types that hold a secret: the secret's place shows
//! [`REDACTED`], so a `{:?}` in a log or a failed assertion never prints it.

/// Stands in for a secret in Debug output.
pub struct Redacted;

/// What [`Redacted`] prints.
pub const REDACTED: &str = "<redacted>";

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Implements Debug for a struct showing `shown` fields as they are and the
/// `secret` field as [`REDACTED`].
macro_rules! debug_redacting {
    ($type:ident, secret: $secret:ident, shown: [$($field:ident),*]) => {
        impl std::fmt::Debug for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($type))
                    .field(stringify!($secret), &$crate::redacted::Redacted)
                    $(.field(stringify!($field), &self.$field))*
                    .finish()
            }
        }
    };
}
pub(crate) use debug_redacting;
