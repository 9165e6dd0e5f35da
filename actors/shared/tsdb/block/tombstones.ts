/**
 * The `tombstones` file of a block with no deletions, byte for byte as Prometheus 2.42 writes it
 * (`tsdb/tombstones.WriteFile`): `BE32 magic 0x0130BA30 | u8 version 1 | BE32 CRC32C of the (empty)
 * record data` = 9 bytes.
 */
export const TOMBSTONES_FILENAME = 'tombstones';
export const TOMBSTONES_MAGIC = 0x0130ba30;

export function emptyTombstones(): Uint8Array {
  // CRC32C of zero bytes is 0.
  return Uint8Array.of(0x01, 0x30, 0xba, 0x30, 0x01, 0x00, 0x00, 0x00, 0x00);
}
