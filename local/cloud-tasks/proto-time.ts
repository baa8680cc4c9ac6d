// google.protobuf.Timestamp and Duration as the loaded protos hand them over, to and from epoch/duration milliseconds.

/** Seconds arrive as a number (proto-loader `longs: Number`); a client may also send a decimal string. */
export interface ProtoSeconds {
  readonly seconds?: number | string | null;
  readonly nanos?: number | null;
}

export function protoToMs(value: ProtoSeconds | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const seconds = Number(value.seconds ?? 0);
  const nanos = Number(value.nanos ?? 0);
  if (!Number.isFinite(seconds) || !Number.isFinite(nanos)) return undefined;
  return seconds * 1000 + nanos / 1e6;
}

export function msToProto(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6)) };
}
