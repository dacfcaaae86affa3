//! `mcp::ClientCertificate` reads the subject of certificates made by rcgen (a peer
//! nobody here wrote), in the RFC 4514 form tools see.

use mcp::ClientCertificate;
use rcgen::{CertificateParams, DistinguishedName, DnType, DnValue, KeyPair};

fn certificate(subject: &[(DnType, DnValue)]) -> ClientCertificate {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("parameters");
    let mut name = DistinguishedName::new();
    for (kind, value) in subject {
        name.push(kind.clone(), value.clone());
    }
    params.distinguished_name = name;
    let key = KeyPair::generate().expect("a key");
    let certified = params.self_signed(&key).expect("a certificate");
    ClientCertificate::from_der(certified.der().to_vec()).expect("rcgen makes certificates")
}

#[test]
fn the_subject_reads_most_specific_first() {
    let cert = certificate(&[
        (
            DnType::CountryName,
            DnValue::PrintableString("DE".try_into().unwrap()),
        ),
        (DnType::OrganizationName, "Example Corp".into()),
        (DnType::OrganizationalUnitName, "payments".into()),
        (DnType::CommonName, "alice".into()),
    ]);
    assert_eq!(cert.subject(), "CN=alice,OU=payments,O=Example Corp,C=DE");
    assert_eq!(cert.common_name(), Some("alice"));
    assert_eq!(
        ClientCertificate::from_der(cert.der().to_vec()).as_ref(),
        Some(&cert),
        "the DER round-trips"
    );
}

#[test]
fn special_characters_are_escaped_and_other_string_types_decoded() {
    let cert = certificate(&[
        (DnType::OrganizationName, "Smith, Jones + Partners".into()),
        (
            DnType::CommonName,
            DnValue::BmpString("Jürgen".try_into().unwrap()),
        ),
    ]);
    assert_eq!(cert.subject(), "CN=Jürgen,O=Smith\\, Jones \\+ Partners");
    assert_eq!(cert.common_name(), Some("Jürgen"));
}

#[test]
fn unknown_attributes_show_their_oid_and_value() {
    let cert = certificate(&[
        (
            DnType::CustomDnType(vec![1, 3, 6, 1, 4, 1, 99999, 1]),
            "team-7".into(),
        ),
        (DnType::CommonName, "svc".into()),
    ]);
    // UTF8String (0x0c) of 6 bytes: "team-7".
    assert_eq!(
        cert.subject(),
        "CN=svc,1.3.6.1.4.1.99999.1=#0c067465616d2d37"
    );
}

#[test]
fn a_certificate_without_a_subject_has_an_empty_one() {
    let cert = certificate(&[]);
    assert_eq!(cert.subject(), "");
    assert_eq!(cert.common_name(), None);
}
