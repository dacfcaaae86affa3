//! Raw HTTP/1.1 over a TCP stream, for what a client library will not send.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;

use super::REQUEST_TIMEOUT;

/// Sends `POST path` with `head_lines` (each `Name: value`) and a body of `len` bytes
/// (`prefix`, then spaces) over a raw connection, the body written by a second thread
/// while this one reads the response, so that a server refusing the body early is
/// heard; `chunked` sends it with `Transfer-Encoding: chunked` instead of a length.
/// Returns the status line.
///
/// # Errors
///
/// A description of the I/O error if no status line could be read.
pub fn post_large_body(
    port: u16,
    path: &str,
    head_lines: &[String],
    prefix: &[u8],
    len: usize,
    chunked: bool,
) -> Result<String, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(REQUEST_TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(REQUEST_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let mut head = format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for line in head_lines {
        head.push_str(line);
        head.push_str("\r\n");
    }
    if chunked {
        head.push_str("Transfer-Encoding: chunked\r\n\r\n");
    } else {
        head.push_str(&format!("Content-Length: {len}\r\n\r\n"));
    }
    stream
        .write_all(head.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let prefix = prefix.to_vec();
    let sender = thread::spawn(move || -> std::io::Result<()> {
        const CHUNK: usize = 64 * 1024;
        let mut sent = 0;
        while sent < len {
            let size = CHUNK.min(len - sent);
            let mut chunk = vec![b' '; size];
            if sent < prefix.len() {
                let n = (prefix.len() - sent).min(size);
                chunk[..n].copy_from_slice(&prefix[sent..sent + n]);
            }
            if chunked {
                writer.write_all(format!("{size:x}\r\n").as_bytes())?;
                chunk.extend_from_slice(b"\r\n");
            }
            writer.write_all(&chunk)?;
            sent += size;
        }
        if chunked {
            writer.write_all(b"0\r\n\r\n")?;
        }
        Ok(())
    });
    let mut response = Vec::new();
    let mut buffer = [0_u8; 1024];
    let status = loop {
        if let Some(end) = response.iter().position(|&b| b == b'\n') {
            break Ok(String::from_utf8_lossy(&response[..end])
                .trim_end()
                .to_owned());
        }
        match stream.read(&mut buffer) {
            Ok(0) => break Err(format!("connection closed after {} bytes", response.len())),
            Ok(n) => response.extend_from_slice(&buffer[..n]),
            Err(error) => break Err(format!("reading the response: {error}")),
        }
    };
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = sender.join();
    status
}
