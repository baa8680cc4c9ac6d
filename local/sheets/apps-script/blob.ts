// Blob: bytes with a content type and a name; bytes come back signed (-128…127), as Apps Script's Byte[] does.

function signed(bytes: Uint8Array): number[] {
  return Array.from(bytes, (b) => (b > 127 ? b - 256 : b));
}

export function toBuffer(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Array.isArray(data)) return Buffer.from(data.map((b) => (Number(b) + 256) % 256));
  if (data instanceof BlobFace) return Buffer.from(data.getBytes().map((b) => (b + 256) % 256));
  return Buffer.from(String(data), 'utf8');
}

export class BlobFace {
  constructor(
    private data: Buffer,
    private contentType: string | null,
    private name: string | null,
  ) {}

  getBytes(): number[] {
    return signed(this.data);
  }

  getDataAsString(_charset?: string): string {
    return this.data.toString('utf8');
  }

  setDataFromString(text: string): BlobFace {
    this.data = Buffer.from(String(text), 'utf8');
    return this;
  }

  getContentType(): string | null {
    return this.contentType;
  }

  setContentType(contentType: string | null): BlobFace {
    this.contentType = contentType;
    return this;
  }

  getName(): string | null {
    return this.name;
  }

  setName(name: string): BlobFace {
    this.name = String(name);
    return this;
  }

  copyBlob(): BlobFace {
    return new BlobFace(Buffer.from(this.data), this.contentType, this.name);
  }
}
