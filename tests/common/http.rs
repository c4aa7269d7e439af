//! A small HTTP/1.1 server on 127.0.0.1 for the URL tests (never the
//! internet): each route answers with fixed bytes, a redirect, an error, a
//! lie about its size, or silence.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// What a route answers.
#[derive(Clone)]
pub enum Reply {
    /// 200 with this Content-Type and body.
    Ok(&'static str, Vec<u8>),
    /// A redirect (301) to this path.
    Redirect(&'static str),
    /// This status and no body.
    Status(u16),
    /// Headers claiming this many bytes, then the bytes, slowly cut off.
    Claims(u64),
    /// Read the request, then say nothing for this long.
    Silence(Duration),
}

/// Serve `routes` (path → reply) until the process ends; the base URL.
pub fn serve(routes: Vec<(&'static str, Reply)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            std::thread::spawn(move || answer(stream, &routes));
        }
    });
    format!("http://{addr}")
}

fn answer(mut stream: TcpStream, routes: &[(&'static str, Reply)]) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
    }
    let reply = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, r)| r.clone())
        .unwrap_or(Reply::Status(404));
    let _ = match reply {
        Reply::Ok(ct, body) => stream
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            )
            .and_then(|_| stream.write_all(&body)),
        Reply::Redirect(to) => stream.write_all(
            format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        ),
        Reply::Status(code) => stream
            .write_all(format!("HTTP/1.1 {code} Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes()),
        Reply::Claims(n) => stream
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )
            .and_then(|_| stream.write_all(&vec![b'a'; 64 * 1024])),
        Reply::Silence(d) => {
            std::thread::sleep(d);
            Ok(())
        }
    };
    let _ = stream.flush();
}
