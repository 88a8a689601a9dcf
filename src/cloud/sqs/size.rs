//! Message sizes as SQS counts them, and SendMessageBatch's limits.
//!
//! The SQS API reference (MessageAttributeValue): "All parts of the message
//! attribute, including Name, Type, and Value, are part of the message size
//! restriction". So a message's size is its body's bytes plus, for every
//! attribute, the bytes of its name, its data type and its value — a binary
//! value's own bytes (not its base64 on the wire, not its summary on
//! screen), a string's UTF-8 bytes.

use super::{AttrValue, QueueMessage};
use std::collections::BTreeMap;

/// SendMessageBatch: at most 10 entries (SQS API reference).
pub const BATCH_MAX: usize = 10;
/// SendMessageBatch: the entries' sizes together at most 1 MiB
/// (1,048,576 bytes), and one message at most as much (the SendMessageBatch
/// reference as of the SDK model this build uses; it was 256 KiB before).
pub const BATCH_BYTES: usize = 1_048_576;
/// What a queue accepts when MaximumMessageSize cannot be read: the
/// service's own ceiling (its default).
pub const SERVICE_MAX_MESSAGE: usize = 1_048_576;

/// One attribute's share of a message's size.
pub fn attribute_bytes(name: &str, v: &AttrValue) -> usize {
    let value = match (&v.string, &v.binary) {
        (Some(s), _) => s.len(),
        (None, Some(b)) => b.len(),
        (None, None) => 0,
    };
    name.len() + v.data_type.len() + value
}

/// A body and its attributes, in bytes as SQS counts them.
pub fn message_bytes(body: &str, attributes: &BTreeMap<String, AttrValue>) -> usize {
    body.len()
        + attributes
            .iter()
            .map(|(k, v)| attribute_bytes(k, v))
            .sum::<usize>()
}

impl QueueMessage {
    /// Its size as SQS counts it (what MaximumMessageSize bounds).
    pub fn size_bytes(&self) -> usize {
        message_bytes(&self.body, &self.attributes)
    }
}

/// Splits into SendMessageBatch-sized chunks: 10 entries, 1 MiB together.
/// A message alone over the total is a chunk of its own (the caller keeps
/// messages larger than the destination accepts out of every chunk).
pub fn chunks(msgs: &[QueueMessage]) -> Vec<&[QueueMessage]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, m) in msgs.iter().enumerate() {
        let size = m.size_bytes();
        if i > start && (i - start == BATCH_MAX || bytes + size > BATCH_BYTES) {
            out.push(&msgs[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < msgs.len() {
        out.push(&msgs[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body: &str, attributes: BTreeMap<String, AttrValue>) -> QueueMessage {
        QueueMessage {
            id: "m".into(),
            receipt_handle: "rh".into(),
            body: body.into(),
            attributes,
            receive_count: None,
            sent: None,
            source_arn: None,
            group_id: None,
        }
    }

    #[test]
    fn every_part_of_an_attribute_counts_in_bytes() {
        let attrs = BTreeMap::from([
            (
                "blob".to_string(),
                AttrValue {
                    data_type: "Binary".into(),
                    string: None,
                    binary: Some(vec![0; 200 * 1024]),
                },
            ),
            ("who".to_string(), AttrValue::text("String.user", "zoë")),
        ]);
        let m = msg("héllo", attrs);
        // "héllo" is 6 bytes; "blob"+"Binary"+204,800; "who"+"String.user"+"zoë" (4).
        assert_eq!(m.size_bytes(), 6 + (4 + 6 + 204_800) + (3 + 11 + 4));
        // Not the length of what the peek view shows for the binary.
        assert!(m.attributes["blob"].display().len() < 100);
    }

    #[test]
    fn chunks_hold_ten_entries_and_one_mib_at_most() {
        let small: Vec<QueueMessage> = (0..25).map(|_| msg("x", BTreeMap::new())).collect();
        let sizes: Vec<usize> = chunks(&small).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, [10, 10, 5]);
        let big: Vec<QueueMessage> = (0..5)
            .map(|_| msg(&"x".repeat(400_000), BTreeMap::new()))
            .collect();
        let sizes: Vec<usize> = chunks(&big).iter().map(|c| c.len()).collect();
        assert_eq!(
            sizes,
            [2, 2, 1],
            "two of 400,000 bytes fit in 1 MiB, three do not"
        );
    }
}
