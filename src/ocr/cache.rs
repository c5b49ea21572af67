//! What was read in each picture, by the picture's SHA-256: a JSON Lines file per model
//! and settings, appended as pictures are read, so that a run cut short keeps what it
//! read and the next night reads only new pictures.

use super::engine::TextLine;
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    sha256: String,
    lines: Vec<TextLine>,
}

/// The cache file and what it holds.
#[derive(Debug)]
pub(crate) struct Cache {
    #[cfg_attr(not(test), allow(dead_code))]
    path: PathBuf,
    map: Mutex<HashMap<[u8; 32], Arc<Vec<TextLine>>>>,
    file: Mutex<Option<std::fs::File>>,
}

fn hex(hash: &[u8; 32]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Cache {
    /// Open (or start) the cache `dir/pictures-KEY.jsonl`. A line that does not parse
    /// (a run killed mid-write) is skipped: the picture is read again.
    pub(crate) fn open(dir: &Path, key: &str) -> Result<Cache> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(format!("pictures-{key}.jsonl"));
        let mut map = HashMap::new();
        match std::fs::File::open(&path) {
            Ok(f) => {
                for line in std::io::BufReader::new(f).lines() {
                    let line = line.map_err(|e| Error::io(&path, e))?;
                    if let Ok(e) = serde_json::from_str::<Entry>(&line) {
                        if let Some(h) = unhex(&e.sha256) {
                            map.insert(h, Arc::new(e.lines));
                        }
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Ok(Cache {
            path,
            map: Mutex::new(map),
            file: Mutex::new(Some(file)),
        })
    }

    pub(crate) fn get(&self, hash: &[u8; 32]) -> Option<Arc<Vec<TextLine>>> {
        self.map.lock().ok()?.get(hash).cloned()
    }

    /// Keep `lines` for `hash`. A cache that cannot be written is dropped, not fatal:
    /// the run's results do not depend on it.
    pub(crate) fn put(&self, hash: [u8; 32], lines: Arc<Vec<TextLine>>) {
        let entry = Entry {
            sha256: hex(&hash),
            lines: lines.to_vec(),
        };
        if let Ok(mut map) = self.map.lock() {
            map.insert(hash, lines);
        }
        let Ok(mut json) = serde_json::to_string(&entry) else {
            return;
        };
        json.push('\n');
        if let Ok(mut file) = self.file.lock() {
            // One write per line, so lines from two workers never interleave.
            if file
                .as_mut()
                .is_some_and(|f| f.write_all(json.as_bytes()).is_err())
            {
                *file = None;
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_put_is_there_next_time_and_torn_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let lines = Arc::new(vec![TextLine {
            text: "NIKE".into(),
            confidence: 0.97,
        }]);
        let h = [7u8; 32];
        {
            let c = Cache::open(dir.path(), "k").unwrap();
            assert!(c.get(&h).is_none());
            c.put(h, lines.clone());
            assert_eq!(c.get(&h), Some(lines.clone()));
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(c.path())
                .unwrap();
            f.write_all(b"{\"sha256\":\"ab").unwrap();
        }
        let c = Cache::open(dir.path(), "k").unwrap();
        assert_eq!(c.get(&h), Some(lines));
        assert!(Cache::open(dir.path(), "other").unwrap().get(&h).is_none());
    }
}
