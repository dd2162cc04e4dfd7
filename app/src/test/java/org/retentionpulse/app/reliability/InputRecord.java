package org.retentionpulse.app.reliability;

/**
 * One record as a producer writes it to an input topic: raw key and value bytes, so a test can write
 * poison (undecodable bytes, foreign schemas) exactly as it would arrive.
 *
 * @param key    the customer id bytes (decides the partition), or null
 * @param value  the value bytes
 * @param poison whether the pipeline must reject it to the dead-letter topic
 */
record InputRecord(byte[] key, byte[] value, boolean poison) {
}
