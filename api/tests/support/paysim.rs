//! The payment gateway simulator (`motcua payment-sim`, a real process speaking both protocols
//! with real signatures), started for one test on a free port.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// The simulator, killed when dropped.
pub struct Sim {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    http: reqwest::Client,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sim {
    /// Starts it.
    pub fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["payment-sim", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .trim()
            .strip_prefix("payment-sim: ")
            .unwrap()
            .to_owned();
        Self {
            child,
            address,
            http: reqwest::Client::new(),
        }
    }

    /// Sets how its callbacks misbehave (and where VNPay IPNs go).
    pub async fn behave(&self, b: Value) {
        let r = self
            .http
            .post(format!("{}/_sim/behaviour", self.address))
            .json(&b)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }

    /// The customer's browser opens the gateway's page.
    pub async fn open(&self, url: &str) {
        let r = self.http.get(url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{url}");
        assert!(r.text().await.unwrap().contains("Xác nhận thanh toán"));
    }

    /// The customer pays (or cancels) at the gateway.
    pub async fn pay(&self, reference: &str, outcome: &str) -> String {
        let r: Value = self
            .http
            .post(format!("{}/_sim/pay", self.address))
            .json(&json!({ "reference": reference, "outcome": outcome }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["return_url"].as_str().unwrap().to_owned()
    }

    /// The last signed callback it sent for `reference`.
    pub async fn last(&self, reference: &str) -> BTreeMap<String, String> {
        self.http
            .get(format!("{}/_sim/last/{reference}", self.address))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}
