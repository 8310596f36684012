//! Network prefix masks: the bits a `/prefix` keeps of an IPv4 or IPv6
//! address, shared by the allowlist's networks and the refused ranges.

/// The bits `/prefix` keeps of an IPv4 address (a prefix over 32 keeps all).
pub(super) fn v4_mask(prefix: u8) -> u32 {
    u32::MAX
        .checked_shl(32 - u32::from(prefix.min(32)))
        .unwrap_or(0)
}

/// The bits `/prefix` keeps of an IPv6 address (a prefix over 128 keeps all).
pub(super) fn v6_mask(prefix: u8) -> u128 {
    u128::MAX
        .checked_shl(128 - u32::from(prefix.min(128)))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_the_prefix_bits() {
        assert_eq!(v4_mask(0), 0);
        assert_eq!(v4_mask(8), 0xff00_0000);
        assert_eq!(v4_mask(32), u32::MAX);
        assert_eq!(v4_mask(40), u32::MAX);
        assert_eq!(v6_mask(0), 0);
        assert_eq!(v6_mask(16), 0xffff_u128 << 112);
        assert_eq!(v6_mask(128), u128::MAX);
        assert_eq!(v6_mask(200), u128::MAX);
    }
}
