//! Object bodies. On disk each blob is one file under `<data dir>/s3/blobs/`, written to a
//! temporary file, flushed (`fsync`) and renamed into place, so a blob is either whole or absent;
//! its record in the store is written after, so an acknowledged object always has its body. A
//! crash between the two leaves an unreferenced file, never a dangling record. With
//! `--in-memory`, blobs are byte buffers.
//!
//! Bodies stream: a write takes the request body chunk by chunk, a read yields chunks of at most
//! [`READ_CHUNK`] bytes, so a 5 GB upload never sits in memory.

use std::collections::HashMap;
use std::io::SeekFrom;
use std::path::PathBuf;
use std::sync::Mutex;

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use s3s::crypto::Checksum as _;
use s3s::dto::StreamingBlob;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// Largest chunk a read yields.
pub const READ_CHUNK: usize = 256 * 1024;

/// Where blobs live.
pub struct Blobs {
    backing: Backing,
}

enum Backing {
    Dir { root: PathBuf, tmp: PathBuf },
    Memory(Mutex<HashMap<String, Bytes>>),
}

/// What writing a blob learned of its content.
#[derive(Debug)]
pub struct Written {
    /// Its length in bytes.
    pub len: u64,
    /// MD5 of the content (the ETag of a single-part object), hex.
    pub md5_hex: String,
    /// The additional checksums asked for, base64.
    pub checksums: s3s::dto::Checksum,
}

/// A body could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The file system failed.
    #[error("object storage failed: {0}")]
    Io(#[from] std::io::Error),
    /// The request body failed (the client went away, a chunk signature did not match).
    #[error("{0}")]
    Body(String),
    /// The blob is missing.
    #[error("object body {0} is missing")]
    Missing(String),
}

impl Blobs {
    /// Blobs as files under `dir`.
    pub fn on_disk(dir: PathBuf) -> std::io::Result<Blobs> {
        let root = dir.join("blobs");
        let tmp = dir.join("tmp");
        std::fs::create_dir_all(&root)?;
        std::fs::create_dir_all(&tmp)?;
        Ok(Blobs {
            backing: Backing::Dir { root, tmp },
        })
    }

    /// Blobs in memory.
    pub fn in_memory() -> Blobs {
        Blobs {
            backing: Backing::Memory(Mutex::new(HashMap::new())),
        }
    }

    fn path_of(root: &std::path::Path, id: &str) -> PathBuf {
        let shard = id.get(..2).unwrap_or("00");
        root.join(shard).join(id)
    }

    /// Streams `body` into the new blob `id`, hashing as it goes (MD5 always, and the checksums
    /// `hasher` has enabled).
    pub async fn write<S, E>(
        &self,
        id: &str,
        mut body: S,
        mut hasher: s3s::checksum::ChecksumHasher,
    ) -> Result<Written, BlobError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let mut md5 = s3s::crypto::Md5::new();
        let mut len = 0u64;
        match &self.backing {
            Backing::Dir { root, tmp } => {
                let tmp_path = tmp.join(id);
                let mut file = tokio::fs::File::create(&tmp_path).await?;
                let result: Result<(), BlobError> = async {
                    while let Some(chunk) = body.next().await {
                        let chunk = chunk.map_err(|e| BlobError::Body(e.to_string()))?;
                        md5.update(&chunk);
                        hasher.update(&chunk);
                        len += chunk.len() as u64;
                        file.write_all(&chunk).await?;
                    }
                    file.flush().await?;
                    file.sync_all().await?;
                    Ok(())
                }
                .await;
                drop(file);
                if let Err(e) = result {
                    let _ = tokio::fs::remove_file(&tmp_path).await;
                    return Err(e);
                }
                let path = Self::path_of(root, id);
                if let Some(parent) = path.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                tokio::fs::rename(&tmp_path, &path).await?;
            }
            Backing::Memory(map) => {
                let mut buffer = BytesMut::new();
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.map_err(|e| BlobError::Body(e.to_string()))?;
                    md5.update(&chunk);
                    hasher.update(&chunk);
                    len += chunk.len() as u64;
                    buffer.extend_from_slice(&chunk);
                }
                map.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(id.to_owned(), buffer.freeze());
            }
        }
        Ok(Written {
            len,
            md5_hex: hex::encode(md5.finalize()),
            checksums: hasher.finalize(),
        })
    }

    /// Writes the new blob `id` whole, synchronously (small bodies: services' deliveries).
    pub fn write_bytes(
        &self,
        id: &str,
        body: &[u8],
        mut hasher: s3s::checksum::ChecksumHasher,
    ) -> Result<Written, BlobError> {
        use std::io::Write as _;
        let mut md5 = s3s::crypto::Md5::new();
        md5.update(body);
        hasher.update(body);
        match &self.backing {
            Backing::Dir { root, tmp } => {
                let tmp_path = tmp.join(id);
                let mut file = std::fs::File::create(&tmp_path)?;
                file.write_all(body)?;
                file.sync_all()?;
                drop(file);
                let path = Self::path_of(root, id);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::rename(&tmp_path, &path)?;
            }
            Backing::Memory(map) => {
                map.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(id.to_owned(), Bytes::copy_from_slice(body));
            }
        }
        Ok(Written {
            len: body.len() as u64,
            md5_hex: hex::encode(md5.finalize()),
            checksums: hasher.finalize(),
        })
    }

    /// The bytes `range` of blob `id`, as a stream of chunks.
    pub async fn read(
        &self,
        id: &str,
        range: std::ops::Range<u64>,
    ) -> Result<impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static, BlobError> {
        enum Source {
            File(tokio::fs::File),
            Memory(Bytes),
        }
        let source = match &self.backing {
            Backing::Dir { root, .. } => {
                let mut file = tokio::fs::File::open(Self::path_of(root, id))
                    .await
                    .map_err(|e| match e.kind() {
                        std::io::ErrorKind::NotFound => BlobError::Missing(id.to_owned()),
                        _ => BlobError::Io(e),
                    })?;
                file.seek(SeekFrom::Start(range.start)).await?;
                Source::File(file)
            }
            Backing::Memory(map) => {
                let map = map.lock().unwrap_or_else(|p| p.into_inner());
                let bytes = map
                    .get(id)
                    .ok_or_else(|| BlobError::Missing(id.to_owned()))?;
                let end = (range.end as usize).min(bytes.len());
                let start = (range.start as usize).min(end);
                Source::Memory(bytes.slice(start..end))
            }
        };
        let remaining = range.end.saturating_sub(range.start);
        Ok(futures::stream::unfold(
            (source, remaining),
            |(mut source, remaining)| async move {
                if remaining == 0 {
                    return None;
                }
                let want = (remaining as usize).min(READ_CHUNK);
                match &mut source {
                    Source::Memory(bytes) => {
                        let chunk = bytes.split_to(want.min(bytes.len()));
                        if chunk.is_empty() {
                            return None;
                        }
                        let left = remaining - chunk.len() as u64;
                        Some((Ok(chunk), (source, left)))
                    }
                    Source::File(file) => {
                        let mut buffer = BytesMut::zeroed(want);
                        match file.read(&mut buffer).await {
                            Ok(0) => Some((
                                Err(std::io::Error::new(
                                    std::io::ErrorKind::UnexpectedEof,
                                    "object body shorter than recorded",
                                )),
                                (source, 0),
                            )),
                            Ok(n) => {
                                buffer.truncate(n);
                                Some((Ok(buffer.freeze()), (source, remaining - n as u64)))
                            }
                            Err(e) => Some((Err(e), (source, 0))),
                        }
                    }
                }
            },
        ))
    }

    /// Removes every blob (the partition was reset).
    pub fn clear(&self) {
        match &self.backing {
            Backing::Dir { root, tmp } => {
                for dir in [root, tmp] {
                    let _ = std::fs::remove_dir_all(dir);
                    let _ = std::fs::create_dir_all(dir);
                }
            }
            Backing::Memory(map) => map.lock().unwrap_or_else(|p| p.into_inner()).clear(),
        }
    }

    /// Removes blobs no record refers to any more (best effort: a leftover file wastes space,
    /// nothing else).
    pub fn remove(&self, ids: &[String]) {
        match &self.backing {
            Backing::Dir { root, .. } => {
                for id in ids {
                    let _ = std::fs::remove_file(Self::path_of(root, id));
                }
            }
            Backing::Memory(map) => {
                let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
                for id in ids {
                    map.remove(id);
                }
            }
        }
    }
}

/// A body made of `segments` (blob id, length), read over `range` of the whole. A task reads
/// ahead at most a few chunks, so a slow client holds little memory.
pub fn stream_segments(
    blobs: std::sync::Arc<Blobs>,
    segments: Vec<(String, u64)>,
    range: std::ops::Range<u64>,
) -> StreamingBlob {
    // The pieces of each segment that fall in the range.
    let mut pieces = Vec::new();
    let mut offset = 0u64;
    for (blob, len) in segments {
        let (start, end) = (offset, offset + len);
        offset = end;
        let from = range.start.max(start);
        let to = range.end.min(end);
        if from < to {
            pieces.push((blob, (from - start)..(to - start)));
        }
    }
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        for (blob, piece) in pieces {
            match blobs.read(&blob, piece).await {
                Ok(chunks) => {
                    let mut chunks = std::pin::pin!(chunks);
                    while let Some(chunk) = chunks.next().await {
                        let failed = chunk.is_err();
                        if sender.send(chunk).await.is_err() || failed {
                            return;
                        }
                    }
                }
                Err(e) => {
                    let _ = sender.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            }
        }
    });
    StreamingBlob::wrap(futures::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|chunk| (chunk, receiver)) },
    ))
}
