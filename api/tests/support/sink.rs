//! The local SMTP server and SMS gateway of `tests/sinks/notify_sink.py`, started for one test.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running sink; killed when dropped.
pub struct Sink {
    pub smtp_port: u16,
    pub http_port: u16,
    pub dir: PathBuf,
    child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Sink {
    /// Starts the sink; each message takes `delay_ms` to be accepted.
    pub fn start(delay_ms: u32) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "motcua-sink-{}-{}",
            std::process::id(),
            free_port()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let (smtp_port, http_port) = (free_port(), free_port());
        let script = format!(
            "{}/../tests/sinks/notify_sink.py",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--smtp-port", &smtp_port.to_string()])
            .args(["--http-port", &http_port.to_string()])
            .args(["--delay-ms", &delay_ms.to_string()])
            .arg("--out")
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("python3 with aiosmtpd (installed by the test command): {e}")
            });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the sink did not start");
        Self {
            smtp_port,
            http_port,
            dir,
            child,
        }
    }

    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.smtp_port)
    }

    pub fn sms_url(&self) -> String {
        format!("http://127.0.0.1:{}/sms", self.http_port)
    }

    fn read(&self, file: &str) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join(file))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Every e-mail received, in order.
    pub fn mails(&self) -> Vec<Value> {
        self.read("smtp.jsonl")
    }

    /// Every SMS received, in order.
    pub fn sms(&self) -> Vec<Value> {
        self.read("sms.jsonl")
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
