//! The allowlist entries' tests: parsing, refusing bad entries with a
//! sentence, displaying rules so they parse back, and matching.

use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn net(s: &str, prefix: u8) -> AllowRule {
    AllowRule::net(ip(s), prefix)
}

fn at(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

#[test]
fn parses_hosts() {
    assert_eq!("sandbox.example".parse(), Ok(AllowRule::host("sandbox.example")));
    assert_eq!("  Sandbox.EXAMPLE. ".parse(), Ok(AllowRule::host("sandbox.example")));
    assert_eq!("localhost".parse(), Ok(AllowRule::host("localhost")));
    assert_eq!("my_host-1.internal".parse(), Ok(AllowRule::host("my_host-1.internal")));
    // International names are kept the way URLs carry them.
    assert_eq!("bücher.example".parse(), Ok(AllowRule::host("xn--bcher-kva.example")));
}

#[test]
fn parses_networks() {
    assert_eq!("127.0.0.1".parse(), Ok(net("127.0.0.1", 32)));
    assert_eq!("127.0.0.0/8".parse(), Ok(net("127.0.0.0", 8)));
    assert_eq!("::1".parse(), Ok(net("::1", 128)));
    assert_eq!("[::1]".parse(), Ok(net("::1", 128)));
    assert_eq!("fd00::/8".parse(), Ok(net("fd00::", 8)));
    assert_eq!("::ffff:127.0.0.1".parse(), Ok(net("::ffff:127.0.0.1", 128)));
    // Host bits are cleared.
    assert_eq!("10.1.2.3/16".parse(), Ok(net("10.1.0.0", 16)));
    assert_eq!("fd12:3456::1/32".parse(), Ok(net("fd12:3456::", 32)));
    assert_eq!("192.168.1.1/32".parse(), Ok(net("192.168.1.1", 32)));
    assert_eq!("fe80::1/128".parse(), Ok(net("fe80::1", 128)));
}

#[test]
fn parses_ports() {
    assert_eq!("127.0.0.1:3000".parse(), Ok(net("127.0.0.1", 32).on_port(3000)));
    assert_eq!("10.0.0.0/8:443".parse(), Ok(net("10.0.0.0", 8).on_port(443)));
    assert_eq!("10.1.2.3/16:443".parse(), Ok(net("10.1.0.0", 16).on_port(443)));
    assert_eq!("ERP.internal.:8443".parse(), Ok(AllowRule::host("erp.internal").on_port(8443)));
    assert_eq!("[::1]:3000".parse(), Ok(net("::1", 128).on_port(3000)));
    assert_eq!("[fd00::]/8:443".parse(), Ok(net("fd00::", 8).on_port(443)));
    assert_eq!("[fd00::1]/8".parse(), Ok(net("fd00::", 8)));
    assert_eq!("localhost:65535".parse(), Ok(AllowRule::host("localhost").on_port(65535)));
    assert_eq!(AllowRule::address(at("127.0.0.1:3000")), net("127.0.0.1", 32).on_port(3000));
    assert_eq!(AllowRule::address(at("[::1]:3000")), net("::1", 128).on_port(3000));
}

#[test]
fn rejects_bad_entries_with_a_sentence() {
    for bad in [
        "",
        "   ",
        "127.0.0.0/33",
        "::/129",
        "127.0.0.0/",
        "127.0.0.0/-1",
        "127.0.0.0/+8",
        "127.0.0.0/eight",
        "127.0.0.0/8/8",
        "300.0.0.1/8",
        "example.com/8",
        "sandbox.example/path",
        "http://sandbox.example",
        "sand box.example",
        "*.example.com",
        "user@sandbox.example",
        "a..b",
        ".",
        "..",
        "127.1",
        "2130706433",
        "0x7f.0.0.1",
        "127.0.0.1.",
        "[::1",
        "fe80::1%eth0",
        &format!("{}.example", "a".repeat(64)),
        // Ports.
        "127.0.0.1:",
        "127.0.0.1:0",
        "127.0.0.1:65536",
        "127.0.0.1:+80",
        "127.0.0.1:http",
        "erp.internal:80:81",
        ":3000",
        "[::1]3000",
        "[::1]:",
        "[::1]/8/8:1",
        "fd00::/8:443",
        "[sandbox.example]:80",
    ] {
        let err = bad
            .parse::<AllowRule>()
            .expect_err(&format!("{bad:?} should be rejected"));
        assert!(err.ends_with('.'), "{bad:?}: {err}");
        assert!(err.len() > 20, "{bad:?}: {err}");
    }
    let err = "127.0.0.0/33".parse::<AllowRule>().unwrap_err();
    assert!(err.contains("0 to 32"), "{err}");
    let err = "::/129".parse::<AllowRule>().unwrap_err();
    assert!(err.contains("0 to 128"), "{err}");
    let err = "127.0.0.1:99999".parse::<AllowRule>().unwrap_err();
    assert!(err.contains("1 to 65535"), "{err}");
    let err = "fd00::/8:443".parse::<AllowRule>().unwrap_err();
    assert!(err.contains("[fd00::]/8:443"), "{err}");
}

#[test]
fn refuses_rules_that_open_every_address() {
    for everything in ["0.0.0.0/0", "::/0", "10.0.0.0/0", "0.0.0.0/0:443", "[::]/0:443", "[2001:db8::]/0"] {
        let err = everything
            .parse::<AllowRule>()
            .expect_err(&format!("{everything:?} should be refused"));
        assert!(err.contains("would let connection tests reach every address"), "{err}");
        assert!(err.ends_with("List the hosts and networks they need instead."), "{err}");
    }
    // Wide but not everything is the administrator's choice.
    assert_eq!("0.0.0.0/1".parse(), Ok(net("0.0.0.0", 1)));
}

#[test]
fn displays_rules_so_they_parse_back() {
    for text in [
        "sandbox.example",
        "sandbox.example:8443",
        "127.0.0.1/32",
        "127.0.0.1/32:3000",
        "10.0.0.0/8",
        "10.0.0.0/8:443",
        "fd00::/8",
        "[fd00::]/8:443",
        "::1/128",
        "[::1]/128:3000",
    ] {
        let rule: AllowRule = text.parse().unwrap();
        assert_eq!(rule.to_string(), text);
        assert_eq!(rule.to_string().parse::<AllowRule>(), Ok(rule));
    }
}

#[test]
fn networks_match_addresses_and_ports() {
    let any_port = net("127.0.0.1", 32);
    assert!(any_port.contains(at("127.0.0.1:22")));
    assert!(any_port.contains(at("127.0.0.1:3000")));
    assert!(!any_port.contains(at("127.0.0.2:3000")));

    let one_port = net("127.0.0.1", 32).on_port(3000);
    assert!(one_port.contains(at("127.0.0.1:3000")));
    assert!(!one_port.contains(at("127.0.0.1:3001")));
    assert!(!one_port.contains(at("127.0.0.1:22")));
    assert!(!one_port.contains(at("127.0.0.2:3000")));

    let v6: AllowRule = "[fd00::]/8:443".parse().unwrap();
    assert!(v6.contains(at("[fd12::1]:443")));
    assert!(!v6.contains(at("[fd12::1]:80")));
    assert!(!v6.contains(at("[fe80::1]:443")));
    // Never across families, not even IPv4-mapped.
    let v4: AllowRule = "127.0.0.1:3000".parse().unwrap();
    assert!(!v4.contains(at("[::ffff:127.0.0.1]:3000")));
    // Host rules never contain an address.
    assert!(!AllowRule::host("localhost").contains(at("127.0.0.1:80")));
}

#[test]
fn host_rules_match_whole_names_and_their_port() {
    let rule = AllowRule::host("sandbox.test");
    assert!(rule.names("sandbox.test", 80));
    assert!(rule.names("sandbox.test", 8443));
    assert!(!rule.names("api.sandbox.test", 80));
    assert!(!rule.names("sandbox.test.evil", 80));
    assert!(!rule.names("xsandbox.test", 80));

    let rule = AllowRule::host("erp.internal").on_port(8443);
    assert!(rule.names("erp.internal", 8443));
    assert!(!rule.names("erp.internal", 443));
    assert!(!rule.names("erp.internal", 22));
    // Network rules never name a host.
    assert!(!net("127.0.0.1", 32).names("localhost", 80));
}
