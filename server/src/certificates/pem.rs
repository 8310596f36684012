//! PEM text as people upload it: blocks found among other text, Windows line
//! endings, and the headers of OpenSSL's traditional encrypted keys.

use base64::Engine as _;

/// One PEM block: its label and the whole block's text, from which its
/// headers (as in `Proc-Type: 4,ENCRYPTED`) and body are read.
pub(crate) struct Block<'a> {
    pub label: &'a str,
    pub text: &'a str,
}

impl Block<'_> {
    /// The value of header `name` (e.g. `DEK-Info`), if the block has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers().find_map(|(key, value)| (key == name).then_some(value))
    }

    fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.text
            .lines()
            .skip(1)
            .map(str::trim)
            .take_while(|line| !line.is_empty() && !line.starts_with("-----"))
            .filter_map(|line| line.split_once(':'))
            .map(|(key, value)| (key.trim(), value.trim()))
    }

    /// Whether the block is an OpenSSL traditional encrypted key.
    pub fn is_encrypted_traditional(&self) -> bool {
        self.header("Proc-Type").is_some_and(|value| value.replace(' ', "") == "4,ENCRYPTED")
    }

    /// The block's body as DER. Headers (if any) are skipped; the body must
    /// be base64.
    pub fn der(&self) -> Option<Vec<u8>> {
        let mut lines = self.text.lines().skip(1).map(str::trim).peekable();
        if lines.peek().is_some_and(|line| line.contains(':')) {
            // Headers end at the first blank line.
            for line in lines.by_ref() {
                if line.is_empty() {
                    break;
                }
            }
        }
        let body: String = lines.take_while(|line| !line.starts_with("-----END ")).collect();
        base64::engine::general_purpose::STANDARD.decode(body).ok()
    }
}

/// The PEM blocks in `text`, in order.
pub(crate) fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else { break };
        let label = &after[..label_end];
        let end_marker = format!("-----END {label}-----");
        let Some(end) = rest[start..].find(&end_marker) else { break };
        let block_end = start + end + end_marker.len();
        blocks.push(Block { label, text: &rest[start..block_end] });
        rest = &rest[block_end..];
    }
    blocks
}

/// PEM text of one DER block.
pub fn encode(label: &str, der: &[u8]) -> String {
    pkcs8::der::pem::encode_string(label, pkcs8::der::pem::LineEnding::LF, der).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_among_text() {
        let text = "junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nmore\n-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n";
        let labels: Vec<_> = blocks(text).into_iter().map(|b| b.label).collect();
        assert_eq!(labels, vec!["CERTIFICATE", "PRIVATE KEY"]);
        assert!(blocks("-----BEGIN CERTIFICATE-----\nno end").is_empty());
    }

    #[test]
    fn bodies_decode_past_headers_and_windows_line_endings() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-128-CBC,00FF\r\n\r\nAAEC\r\nAw==\r\n-----END RSA PRIVATE KEY-----\r\n";
        let block = &blocks(text)[0];
        assert!(block.is_encrypted_traditional());
        assert_eq!(block.header("DEK-Info"), Some("AES-128-CBC,00FF"));
        assert_eq!(block.der(), Some(vec![0, 1, 2, 3]));
        let plain = &blocks("-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----")[0];
        assert!(!plain.is_encrypted_traditional());
        assert_eq!(plain.der(), Some(vec![0, 1, 2]));
        assert_eq!(blocks("-----BEGIN X-----\n%%%\n-----END X-----")[0].der(), None);
    }
}
